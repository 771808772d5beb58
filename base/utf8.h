// UTF-8 validation, decoding, encoding and repair following Unicode's well-formedness table
// (no overlong forms, no surrogates, nothing above U+10FFFF). Pure functions on caller-owned
// text; thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace fathom::base {

inline constexpr char32_t kReplacementCharacter = U'\uFFFD';

// Whether `text` is entirely well-formed UTF-8.
bool IsValidUtf8(std::string_view text);

// The length of the longest prefix of `text` that does not end inside a multibyte sequence
// that is incomplete but valid so far. A streaming detokenizer emits this prefix and keeps the
// rest until more bytes arrive. Invalid bytes count as complete (more input cannot fix them).
size_t CompleteUtf8PrefixLength(std::string_view text);

// Decodes the character starting at `offset` and advances `offset` past it. On an invalid or
// truncated sequence returns nullopt and advances `offset` by one byte; at the end of `text`
// returns nullopt and leaves `offset` unchanged.
std::optional<char32_t> DecodeUtf8(std::string_view text, size_t& offset);

// Appends the UTF-8 encoding of `codepoint`; surrogates and values above U+10FFFF append
// U+FFFD instead.
void AppendUtf8(std::string& out, char32_t codepoint);

// A copy of `text` in which every byte that does not belong to a well-formed sequence is
// replaced by U+FFFD.
std::string SanitizeUtf8(std::string_view text);

// A copy of `text` in which each maximal subpart of an ill-formed sequence (the longest prefix of
// a well-formed sequence, else one byte) is replaced by one U+FFFD: Unicode's recommended
// practice, as Rust's String::from_utf8_lossy (Hugging Face's decoders) and Python's
// errors="replace" do it. "\xE2\x82A" becomes "\uFFFDA", where SanitizeUtf8 gives two U+FFFD.
std::string ReplaceInvalidUtf8(std::string_view text);

// The longest prefix of `text` of at most `max_bytes` bytes that does not cut a character.
std::string_view TruncateUtf8(std::string_view text, size_t max_bytes);

}  // namespace fathom::base
