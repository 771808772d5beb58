// GPT-2's byte-level alphabet as Hugging Face's ByteLevel pre-tokenizer and decoder use it: each of
// the 256 byte values is written as one printable code point, so BPE tokens are strings of those
// code points. Pure functions over constant tables; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fathom::engine {

// The code point that stands for `byte` in token strings ('Ġ' for a space).
char32_t ByteLevelCodePoint(uint8_t byte);

// The byte that `code_point` stands for, or nullopt when it is not in the alphabet.
std::optional<uint8_t> ByteLevelByte(char32_t code_point);

// The token string of `bytes`: the UTF-8 of each byte's code point, concatenated.
std::string ByteLevelEncode(std::string_view bytes);

// The bytes a token stands for when decoded, as Hugging Face's ByteLevel decoder computes them:
// when every code point of `token` is in the alphabet, the bytes they stand for; otherwise (added
// tokens such as "<｜User｜>") the token's own UTF-8 bytes. `token` must be valid UTF-8.
std::string ByteLevelDecode(std::string_view token);

}  // namespace fathom::engine
