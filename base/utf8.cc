#include "base/utf8.h"

#include <cstdint>

namespace fathom::base {
namespace {

enum class SequenceKind { kValid, kInvalid, kIncomplete };

struct Sequence {
  SequenceKind kind;
  size_t length;  // bytes of a valid sequence; 1 otherwise
  char32_t codepoint;
};

// What a lead byte promises: the sequence length, the allowed range of the second byte (which
// excludes overlongs, surrogates and values above U+10FFFF) and the lead's payload bits.
struct LeadByte {
  size_t length;  // 0 for a byte that cannot start a sequence
  uint8_t second_min;
  uint8_t second_max;
  char32_t payload;
};

LeadByte Classify(uint8_t lead) {
  if (lead < 0x80) return {1, 0, 0, lead};
  if (lead < 0xC2) return {0, 0, 0, 0};  // continuation byte or overlong 2-byte lead
  if (lead < 0xE0) return {2, 0x80, 0xBF, lead & 0x1Fu};
  if (lead == 0xE0) return {3, 0xA0, 0xBF, 0};
  if (lead == 0xED) return {3, 0x80, 0x9F, 0x0D};
  if (lead < 0xF0) return {3, 0x80, 0xBF, lead & 0x0Fu};
  if (lead == 0xF0) return {4, 0x90, 0xBF, 0};
  if (lead < 0xF4) return {4, 0x80, 0xBF, lead & 0x07u};
  if (lead == 0xF4) return {4, 0x80, 0x8F, 4};
  return {0, 0, 0, 0};
}

bool IsContinuation(uint8_t byte) { return (byte & 0xC0) == 0x80; }

// Decodes the sequence at `offset` (which must be inside `text`).
Sequence DecodeAt(std::string_view text, size_t offset) {
  auto byte = [&](size_t i) { return static_cast<uint8_t>(text[offset + i]); };
  LeadByte lead = Classify(byte(0));
  if (lead.length == 0) return {SequenceKind::kInvalid, 1, 0};
  char32_t codepoint = lead.payload;
  for (size_t i = 1; i < lead.length; ++i) {
    if (offset + i >= text.size()) return {SequenceKind::kIncomplete, 1, 0};
    uint8_t next = byte(i);
    bool allowed =
        i == 1 ? next >= lead.second_min && next <= lead.second_max : IsContinuation(next);
    if (!allowed) return {SequenceKind::kInvalid, 1, 0};
    codepoint = (codepoint << 6) | (next & 0x3Fu);
  }
  return {SequenceKind::kValid, lead.length, codepoint};
}

void AppendReplacement(std::string& out) { out += "\xEF\xBF\xBD"; }

}  // namespace

bool IsValidUtf8(std::string_view text) {
  size_t offset = 0;
  while (offset < text.size()) {
    if (static_cast<uint8_t>(text[offset]) < 0x80) {
      ++offset;
      continue;
    }
    Sequence sequence = DecodeAt(text, offset);
    if (sequence.kind != SequenceKind::kValid) return false;
    offset += sequence.length;
  }
  return true;
}

size_t CompleteUtf8PrefixLength(std::string_view text) {
  // An incomplete sequence has at most 3 bytes: its lead is among the last 3.
  size_t lowest = text.size() > 3 ? text.size() - 3 : 0;
  for (size_t start = text.size(); start > lowest; --start) {
    if (IsContinuation(static_cast<uint8_t>(text[start - 1]))) continue;
    bool incomplete = DecodeAt(text, start - 1).kind == SequenceKind::kIncomplete;
    return incomplete ? start - 1 : text.size();
  }
  return text.size();
}

std::optional<char32_t> DecodeUtf8(std::string_view text, size_t& offset) {
  if (offset >= text.size()) return std::nullopt;
  Sequence sequence = DecodeAt(text, offset);
  offset += sequence.length;
  if (sequence.kind != SequenceKind::kValid) return std::nullopt;
  return sequence.codepoint;
}

void AppendUtf8(std::string& out, char32_t codepoint) {
  if (codepoint > 0x10FFFF || (codepoint >= 0xD800 && codepoint <= 0xDFFF)) {
    codepoint = kReplacementCharacter;
  }
  auto put = [&out](char32_t bits) { out.push_back(static_cast<char>(bits)); };
  if (codepoint < 0x80) {
    put(codepoint);
  } else if (codepoint < 0x800) {
    put(0xC0 | (codepoint >> 6));
    put(0x80 | (codepoint & 0x3F));
  } else if (codepoint < 0x10000) {
    put(0xE0 | (codepoint >> 12));
    put(0x80 | ((codepoint >> 6) & 0x3F));
    put(0x80 | (codepoint & 0x3F));
  } else {
    put(0xF0 | (codepoint >> 18));
    put(0x80 | ((codepoint >> 12) & 0x3F));
    put(0x80 | ((codepoint >> 6) & 0x3F));
    put(0x80 | (codepoint & 0x3F));
  }
}

namespace {

// Copies the valid sequences of `text` and writes one U+FFFD for each invalid span, whose length
// `invalid_length(offset, sequence)` gives.
template <typename InvalidLength>
std::string ReplaceInvalidSpans(std::string_view text, InvalidLength invalid_length) {
  if (IsValidUtf8(text)) return std::string(text);
  std::string out;
  out.reserve(text.size() + text.size() / 2);
  size_t offset = 0;
  while (offset < text.size()) {
    Sequence sequence = DecodeAt(text, offset);
    if (sequence.kind == SequenceKind::kValid) {
      out.append(text.substr(offset, sequence.length));
      offset += sequence.length;
      continue;
    }
    AppendReplacement(out);
    offset += invalid_length(offset, sequence);
  }
  return out;
}

// The maximal subpart at `offset`: the lead byte and the continuation bytes it accepts before
// failing (at least one byte).
size_t MaximalSubpartLength(std::string_view text, size_t offset) {
  LeadByte lead = Classify(static_cast<uint8_t>(text[offset]));
  size_t length = 1;
  while (length < lead.length && offset + length < text.size()) {
    uint8_t next = static_cast<uint8_t>(text[offset + length]);
    bool allowed =
        length == 1 ? next >= lead.second_min && next <= lead.second_max : IsContinuation(next);
    if (!allowed) break;
    ++length;
  }
  return length;
}

}  // namespace

std::string SanitizeUtf8(std::string_view text) {
  return ReplaceInvalidSpans(text, [](size_t, const Sequence& sequence) { return sequence.length; });
}

std::string ReplaceInvalidUtf8(std::string_view text) {
  return ReplaceInvalidSpans(
      text, [text](size_t offset, const Sequence&) { return MaximalSubpartLength(text, offset); });
}

std::string_view TruncateUtf8(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  std::string_view prefix = text.substr(0, max_bytes);
  return prefix.substr(0, CompleteUtf8PrefixLength(prefix));
}

}  // namespace fathom::base
