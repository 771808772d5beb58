// libFuzzer target for the tokenizer: the DeepSeek-V3 fixture tokenizer with the V4 special tokens
// (loaded once) encodes arbitrary bytes and decodes arbitrary id sequences. Checked: Encode fails
// exactly on ill-formed UTF-8; Decode(Encode(text)) == text; encoding is deterministic (the word
// cache); streamed deltas are well-formed UTF-8 and add up to Decode. Failed checks are findings.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/check.h"
#include "base/utf8.h"
#include "engine/tokenizer/deepseek_v4_tokens.h"
#include "engine/tokenizer/streaming_detokenizer.h"
#include "engine/tokenizer/tokenizer.h"

namespace fathom::engine {
namespace {

const Tokenizer& FuzzTokenizer() {
  static const Tokenizer* tokenizer = [] {
    const char* path = std::getenv("FATHOM_TOKENIZER_JSON");
    auto loaded = Tokenizer::Load(path != nullptr ? path : FATHOM_TOKENIZER_FIXTURE);
    if (!loaded.ok()) {
      std::cerr << "tokenizer_fuzzer: " << loaded.error() << "\n";
      std::abort();
    }
    auto v4 = WithDeepSeekV4SpecialTokens(std::move(loaded).value());
    FATHOM_CHECK(v4.ok()) << v4.error();
    return new Tokenizer(std::move(v4).value());
  }();
  return *tokenizer;
}

// Streams `ids` one at a time; every delta must be well-formed and the whole must equal Decode.
void CheckStreaming(const Tokenizer& tokenizer, std::span<const int32_t> ids) {
  auto decoded = tokenizer.Decode(ids);
  FATHOM_CHECK(decoded.ok()) << decoded.error();
  StreamingDetokenizer stream(tokenizer);
  std::string streamed;
  for (int32_t id : ids) {
    auto delta = stream.Push(id);
    FATHOM_CHECK(delta.ok()) << delta.error();
    FATHOM_CHECK(base::IsValidUtf8(*delta)) << "a streamed delta is not well-formed UTF-8";
    streamed += *delta;
  }
  streamed += stream.Flush();
  FATHOM_CHECK(streamed == *decoded) << "streamed text differs from Decode";
}

void CheckEncode(const Tokenizer& tokenizer, std::string_view input) {
  auto ids = tokenizer.Encode(input);
  FATHOM_CHECK(ids.ok() == base::IsValidUtf8(input)) << "Encode accepts exactly valid UTF-8";
  const std::string text = ids.ok() ? std::string(input) : base::SanitizeUtf8(input);
  if (!ids.ok()) ids = tokenizer.Encode(text);
  FATHOM_CHECK(ids.ok()) << ids.error();
  auto again = tokenizer.Encode(text);
  FATHOM_CHECK(again.ok() && *again == *ids) << "encoding twice gives different ids";
  auto decoded = tokenizer.Decode(*ids);
  FATHOM_CHECK(decoded.ok()) << decoded.error();
  FATHOM_CHECK(*decoded == text) << "Decode(Encode(text)) != text";
  CheckStreaming(tokenizer, *ids);
}

// Reads the input as little-endian 24-bit ids (mod the vocabulary) and decodes them.
void CheckDecode(const Tokenizer& tokenizer, std::string_view input) {
  std::vector<int32_t> ids;
  for (size_t i = 0; i + 3 <= input.size(); i += 3) {
    const uint32_t raw = static_cast<uint8_t>(input[i]) |
                         (static_cast<uint32_t>(static_cast<uint8_t>(input[i + 1])) << 8) |
                         (static_cast<uint32_t>(static_cast<uint8_t>(input[i + 2])) << 16);
    const int32_t id = static_cast<int32_t>(raw % static_cast<uint32_t>(tokenizer.vocab_size()));
    if (tokenizer.TokenBytes(id)) ids.push_back(id);
  }
  auto bytes = tokenizer.DecodeBytes(ids);
  FATHOM_CHECK(bytes.ok()) << bytes.error();
  auto decoded = tokenizer.Decode(ids);
  FATHOM_CHECK(decoded.ok() && *decoded == base::ReplaceInvalidUtf8(*bytes));
  FATHOM_CHECK(base::IsValidUtf8(*decoded));
  CheckStreaming(tokenizer, ids);
}

}  // namespace
}  // namespace fathom::engine

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const fathom::engine::Tokenizer& tokenizer = fathom::engine::FuzzTokenizer();
  std::string_view input(reinterpret_cast<const char*>(data), size);
  fathom::engine::CheckEncode(tokenizer, input);
  fathom::engine::CheckDecode(tokenizer, input);
  return 0;
}
