#include "engine/tokenizer/tokenizer.h"

#include <utility>

#include "base/utf8.h"
#include "engine/tokenizer/byte_level.h"

namespace fathom::engine {
namespace {

std::string Quoted(std::string_view text) {
  std::string quoted = "\"";
  quoted.append(text);
  quoted.push_back('"');
  return quoted;
}

}  // namespace

Tokenizer::Tokenizer(BpeModel bpe, PreTokenizer pre_tokenizer)
    : bpe_(std::move(bpe)),
      pre_tokenizer_(std::move(pre_tokenizer)),
      raw_matcher_({}),
      normalized_matcher_({}) {}

base::Result<Tokenizer> Tokenizer::Load(const std::filesystem::path& path) {
  base::Result<base::Json> json = base::ReadJsonFile(path);
  if (!json.ok()) return std::move(json).error();
  base::Result<Tokenizer> tokenizer = FromJson(*json);
  if (!tokenizer.ok()) return std::move(tokenizer).error().WithContext(path.string());
  return tokenizer;
}

base::Result<Tokenizer> Tokenizer::FromJson(const base::Json& json) {
  FATHOM_ASSIGN_OR_RETURN(TokenizerDefinition definition, ParseTokenizerJson(json));
  return FromDefinition(definition);
}

base::Result<Tokenizer> Tokenizer::FromDefinition(const TokenizerDefinition& definition) {
  std::unordered_map<std::string, int32_t, Hash, std::equal_to<>> vocab_ids;
  std::vector<Entry> tokens;
  vocab_ids.reserve(definition.vocab.size());
  for (const auto& [text, id] : definition.vocab) {
    if (static_cast<size_t>(id) >= tokens.size()) tokens.resize(static_cast<size_t>(id) + 1);
    Entry& entry = tokens[static_cast<size_t>(id)];
    if (entry.present) {
      return base::InvalidArgumentError("tokenizer.json: vocab tokens " + Quoted(entry.text) +
                                        " and " + Quoted(text) + " share id " + std::to_string(id));
    }
    entry = Entry{text, ByteLevelDecode(text), true, false};
    vocab_ids.emplace(text, id);
  }
  auto token_id = [&vocab_ids](std::string_view text) {
    auto found = vocab_ids.find(text);
    return found == vocab_ids.end() ? -1 : found->second;
  };
  base::Result<BpeModel> bpe = BpeModel::Create(token_id, definition.merges);
  if (!bpe.ok()) return std::move(bpe).error().WithContext("tokenizer.json: model");
  base::Result<PreTokenizer> pre_tokenizer = PreTokenizer::Create(definition.split_patterns);
  if (!pre_tokenizer.ok()) {
    return std::move(pre_tokenizer).error().WithContext("tokenizer.json: pre_tokenizer");
  }
  Tokenizer tokenizer(std::move(bpe).value(), std::move(pre_tokenizer).value());
  tokenizer.vocab_ids_ = std::move(vocab_ids);
  tokenizer.tokens_ = std::move(tokens);
  base::Status added = tokenizer.AddTokens(definition.added_tokens);
  if (!added.ok()) return std::move(added).error().WithContext("tokenizer.json: added_tokens");
  return tokenizer;
}

Tokenizer::Entry& Tokenizer::EntryFor(int32_t id) {
  if (static_cast<size_t>(id) >= tokens_.size()) tokens_.resize(static_cast<size_t>(id) + 1);
  return tokens_[static_cast<size_t>(id)];
}

base::Status Tokenizer::AddTokens(std::span<const AddedToken> tokens) {
  // Checks every token against the tokenizer and the earlier tokens of `tokens` before changing
  // anything, so a failed call leaves the tokenizer as it was.
  std::unordered_map<std::string_view, int32_t> new_ids;
  std::unordered_map<int32_t, std::string_view> new_contents;
  std::vector<const AddedToken*> fresh;
  for (const AddedToken& token : tokens) {
    if (token.id < 0 || token.content.empty()) {
      return base::InvalidArgumentError("added token " + Quoted(token.content) + " with id " +
                                        std::to_string(token.id) + " is malformed");
    }
    std::optional<int32_t> id;
    if (auto added = added_ids_.find(token.content); added != added_ids_.end()) id = added->second;
    if (auto batch = new_ids.find(token.content); batch != new_ids.end()) id = batch->second;
    if (id == token.id) continue;
    if (auto base = vocab_ids_.find(token.content); !id && base != vocab_ids_.end()) {
      id = base->second;  // Hugging Face gives an added token its vocabulary id
    }
    if (id && id != token.id) {
      return base::AlreadyExistsError("token " + Quoted(token.content) + " already has id " +
                                      std::to_string(*id) + ", not " + std::to_string(token.id));
    }
    std::optional<std::string_view> existing = TokenText(token.id);
    if (auto batch = new_contents.find(token.id); batch != new_contents.end()) {
      existing = batch->second;
    }
    if (existing && *existing != token.content) {
      return base::AlreadyExistsError("id " + std::to_string(token.id) + " is already token " +
                                      Quoted(*existing) + ", not " + Quoted(token.content));
    }
    new_ids.emplace(token.content, token.id);
    new_contents.emplace(token.id, token.content);
    fresh.push_back(&token);
  }
  for (const AddedToken* token : fresh) {
    EntryFor(token->id) =
        Entry{token->content, ByteLevelDecode(token->content), true, token->special};
    added_ids_.emplace(token->content, token->id);
    added_tokens_.push_back(*token);
  }
  RebuildMatchers();
  return base::Ok();
}

void Tokenizer::RebuildMatchers() {
  std::vector<std::pair<std::string, int32_t>> raw, normalized;
  for (const AddedToken& token : added_tokens_) {
    (token.normalized ? normalized : raw).emplace_back(token.content, token.id);
  }
  raw_matcher_ = AddedTokenMatcher(raw);
  normalized_matcher_ = AddedTokenMatcher(normalized);
}

base::Result<std::vector<int32_t>> Tokenizer::Encode(std::string_view text) const {
  if (!base::IsValidUtf8(text)) {
    return base::InvalidArgumentError("cannot tokenize text that is not valid UTF-8");
  }
  std::vector<int32_t> ids;
  ids.reserve(text.size() / 3 + 1);
  // Hugging Face's two passes: added tokens that skip the normalizer are found in the raw text,
  // the others in the normalized text between those (identical here: there is no normalizer).
  size_t from = 0;
  while (from < text.size()) {
    std::optional<AddedTokenMatcher::Match> match = raw_matcher_.FindNext(text, from);
    const size_t gap_end = match ? match->begin : text.size();
    FATHOM_TRY(EncodeBetweenRawMatches(text.substr(from, gap_end - from), ids));
    if (!match) break;
    ids.push_back(match->id);
    from = match->end;
  }
  return ids;
}

base::Status Tokenizer::EncodeBetweenRawMatches(std::string_view text,
                                                std::vector<int32_t>& ids) const {
  size_t from = 0;
  while (from < text.size()) {
    std::optional<AddedTokenMatcher::Match> match = normalized_matcher_.FindNext(text, from);
    const size_t gap_end = match ? match->begin : text.size();
    FATHOM_TRY(EncodeOrdinary(text.substr(from, gap_end - from), ids));
    if (!match) break;
    ids.push_back(match->id);
    from = match->end;
  }
  return base::Ok();
}

base::Status Tokenizer::EncodeOrdinary(std::string_view text, std::vector<int32_t>& ids) const {
  thread_local std::vector<std::string_view> pieces;
  pieces.clear();
  FATHOM_TRY(pre_tokenizer_.Split(text, pieces));
  for (std::string_view piece : pieces) bpe_.Encode(piece, ids);
  return base::Ok();
}

base::Result<std::string> Tokenizer::DecodeBytes(std::span<const int32_t> ids) const {
  std::string bytes;
  for (int32_t id : ids) {
    std::optional<std::string_view> token = TokenBytes(id);
    if (!token) {
      return base::OutOfRangeError("token id " + std::to_string(id) +
                                   " is not in the tokenizer's vocabulary");
    }
    bytes.append(*token);
  }
  return bytes;
}

base::Result<std::string> Tokenizer::Decode(std::span<const int32_t> ids) const {
  FATHOM_ASSIGN_OR_RETURN(std::string bytes, DecodeBytes(ids));
  return base::ReplaceInvalidUtf8(bytes);
}

std::optional<int32_t> Tokenizer::TokenId(std::string_view text) const {
  if (auto added = added_ids_.find(text); added != added_ids_.end()) return added->second;
  if (auto base = vocab_ids_.find(text); base != vocab_ids_.end()) return base->second;
  return std::nullopt;
}

std::optional<std::string_view> Tokenizer::TokenText(int32_t id) const {
  if (id < 0 || id >= vocab_size() || !tokens_[static_cast<size_t>(id)].present) {
    return std::nullopt;
  }
  return tokens_[static_cast<size_t>(id)].text;
}

std::optional<std::string_view> Tokenizer::TokenBytes(int32_t id) const {
  if (id < 0 || id >= vocab_size() || !tokens_[static_cast<size_t>(id)].present) {
    return std::nullopt;
  }
  return tokens_[static_cast<size_t>(id)].bytes;
}

bool Tokenizer::IsSpecial(int32_t id) const {
  return id >= 0 && id < vocab_size() && tokens_[static_cast<size_t>(id)].special;
}

}  // namespace fathom::engine
