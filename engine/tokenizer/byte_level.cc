#include "engine/tokenizer/byte_level.h"

#include <array>

#include "base/utf8.h"

namespace fathom::engine {
namespace {

// GPT-2's bytes_to_unicode: printable Latin-1 bytes ('!'..'~', '¡'..'¬', '®'..'ÿ') stand for
// themselves; the other 68 take the code points from U+0100 on, in byte order.
constexpr std::array<char32_t, 256> MakeByteToCodePoint() {
  std::array<char32_t, 256> table{};
  char32_t next_unprintable = 0x100;
  for (int byte = 0; byte < 256; ++byte) {
    bool printable = (byte >= '!' && byte <= '~') || (byte >= 0xA1 && byte <= 0xAC) ||
                     (byte >= 0xAE && byte <= 0xFF);
    table[byte] = printable ? static_cast<char32_t>(byte) : next_unprintable++;
  }
  return table;
}

constexpr std::array<char32_t, 256> kByteToCodePoint = MakeByteToCodePoint();

// Every code point of the alphabet is below U+0144: the inverse is a small table, -1 for none.
constexpr size_t kCodePointLimit = 0x144;

constexpr std::array<int16_t, kCodePointLimit> MakeCodePointToByte() {
  std::array<int16_t, kCodePointLimit> table{};
  for (int16_t& entry : table) entry = -1;
  for (int byte = 0; byte < 256; ++byte) {
    table[kByteToCodePoint[byte]] = static_cast<int16_t>(byte);
  }
  return table;
}

constexpr std::array<int16_t, kCodePointLimit> kCodePointToByte = MakeCodePointToByte();

}  // namespace

char32_t ByteLevelCodePoint(uint8_t byte) { return kByteToCodePoint[byte]; }

std::optional<uint8_t> ByteLevelByte(char32_t code_point) {
  if (code_point >= kCodePointLimit || kCodePointToByte[code_point] < 0) return std::nullopt;
  return static_cast<uint8_t>(kCodePointToByte[code_point]);
}

std::string ByteLevelEncode(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (char byte : bytes) base::AppendUtf8(out, ByteLevelCodePoint(static_cast<uint8_t>(byte)));
  return out;
}

std::string ByteLevelDecode(std::string_view token) {
  std::string out;
  out.reserve(token.size());
  size_t offset = 0;
  while (offset < token.size()) {
    std::optional<char32_t> code_point = base::DecodeUtf8(token, offset);
    std::optional<uint8_t> byte = code_point ? ByteLevelByte(*code_point) : std::nullopt;
    if (!byte) return std::string(token);
    out.push_back(static_cast<char>(*byte));
  }
  return out;
}

}  // namespace fathom::engine
