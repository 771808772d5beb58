// Tokenizer: byte-exact Hugging Face tokenization for DeepSeek's tokenizer.json. Added tokens are
// matched in the raw text first (leftmost-longest, never split); the text between them goes
// through the Split regexes (Oniguruma, as Hugging Face) and byte-level BPE. Encode matches
// tokenizers' encode(text, add_special_tokens=False); Decode matches decode(ids,
// skip_special_tokens=False). Move-only; after construction every const method is thread-safe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/json.h"
#include "base/result.h"
#include "engine/tokenizer/added_token_matcher.h"
#include "engine/tokenizer/bpe_model.h"
#include "engine/tokenizer/pre_tokenizer.h"
#include "engine/tokenizer/tokenizer_json.h"

namespace fathom::engine {

class Tokenizer {
 public:
  // Reads a tokenizer.json; errors name the file and the unsupported or invalid feature.
  static base::Result<Tokenizer> Load(const std::filesystem::path& path);
  static base::Result<Tokenizer> FromJson(const base::Json& json);
  static base::Result<Tokenizer> FromDefinition(const TokenizerDefinition& definition);

  Tokenizer(Tokenizer&&) noexcept = default;
  Tokenizer& operator=(Tokenizer&&) noexcept = default;
  Tokenizer(const Tokenizer&) = delete;
  Tokenizer& operator=(const Tokenizer&) = delete;
  ~Tokenizer() = default;

  // The ids of `text`, which must be valid UTF-8. Added tokens in the text become their ids.
  base::Result<std::vector<int32_t>> Encode(std::string_view text) const;

  // The text of `ids` as Hugging Face decodes it: the tokens' bytes concatenated, then each
  // ill-formed UTF-8 sequence replaced by U+FFFD (base::ReplaceInvalidUtf8). An id that is not
  // in the vocabulary is an error.
  base::Result<std::string> Decode(std::span<const int32_t> ids) const;

  // The raw bytes of `ids`, which need not be valid UTF-8 (a token can end inside a character).
  base::Result<std::string> DecodeBytes(std::span<const int32_t> ids) const;

  // The id of the token whose text (as in tokenizer.json, byte-level for BPE tokens: "Ġthe") is
  // `text`; added tokens first. nullopt when there is none.
  std::optional<int32_t> TokenId(std::string_view text) const;

  // The text of token `id` as in tokenizer.json, or nullopt for an id without a token.
  std::optional<std::string_view> TokenText(int32_t id) const;

  // The bytes token `id` decodes to, or nullopt for an id without a token.
  std::optional<std::string_view> TokenBytes(int32_t id) const;

  // Whether `id` is an added token marked special.
  bool IsSpecial(int32_t id) const;

  // One past the largest id: ids are in [0, vocab_size()), possibly with gaps.
  int32_t vocab_size() const { return static_cast<int32_t>(tokens_.size()); }

  const std::vector<AddedToken>& added_tokens() const { return added_tokens_; }

  // Adds `tokens` as added tokens. A token already present with the same id is left as it is;
  // content that already has another id, or an id that already has other content, is an error.
  base::Status AddTokens(std::span<const AddedToken> tokens);

 private:
  struct Entry {
    std::string text;   // as in tokenizer.json
    std::string bytes;  // what it decodes to
    bool present = false;
    bool special = false;
  };
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
  };

  Tokenizer(BpeModel bpe, PreTokenizer pre_tokenizer);

  // Encodes text that holds no added token of the raw pass: the normalized pass, then BPE.
  base::Status EncodeBetweenRawMatches(std::string_view text, std::vector<int32_t>& ids) const;
  base::Status EncodeOrdinary(std::string_view text, std::vector<int32_t>& ids) const;
  Entry& EntryFor(int32_t id);
  void RebuildMatchers();

  BpeModel bpe_;
  PreTokenizer pre_tokenizer_;
  std::vector<AddedToken> added_tokens_;
  AddedTokenMatcher raw_matcher_;         // added tokens with normalized = false
  AddedTokenMatcher normalized_matcher_;  // added tokens with normalized = true
  std::unordered_map<std::string, int32_t, Hash, std::equal_to<>> vocab_ids_;  // BPE tokens
  std::unordered_map<std::string, int32_t, Hash, std::equal_to<>> added_ids_;
  std::vector<Entry> tokens_;  // by id
};

}  // namespace fathom::engine
