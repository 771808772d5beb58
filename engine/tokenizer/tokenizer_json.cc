#include "engine/tokenizer/tokenizer_json.h"

#include <initializer_list>
#include <limits>
#include <string_view>

namespace fathom::engine {
namespace {

using base::Json;

base::Error Unsupported(std::string_view what) {
  return base::UnimplementedError("tokenizer.json: " + std::string(what) +
                                  " is not supported by fathom's tokenizer");
}

base::Error Invalid(std::string_view what) {
  return base::InvalidArgumentError("tokenizer.json: " + std::string(what));
}

// Fails on the first key of `object` outside `known`.
base::Status CheckKeys(const Json& object, std::string_view where,
                       std::initializer_list<std::string_view> known) {
  for (const auto& [key, value] : object.items()) {
    bool found = false;
    for (std::string_view name : known) found = found || key == name;
    if (!found) return Unsupported(std::string(where) + " key \"" + key + "\"");
  }
  return base::Ok();
}

// The boolean `key` of `object`; `fallback` when absent or null.
base::Result<bool> Bool(const Json& object, std::string_view where, std::string_view key,
                        bool fallback) {
  auto found = object.find(key);
  if (found == object.end() || found->is_null()) return fallback;
  if (!found->is_boolean()) {
    return Invalid(std::string(where) + " \"" + std::string(key) + "\" is not a boolean");
  }
  return found->get<bool>();
}

// The "type" string of a component object.
base::Result<std::string> TypeOf(const Json& component, std::string_view where) {
  if (!component.is_object()) return Invalid(std::string(where) + " is not an object");
  auto type = component.find("type");
  if (type == component.end() || !type->is_string()) {
    return Invalid(std::string(where) + " has no \"type\" string");
  }
  return type->get<std::string>();
}

// Whether `key` of `object` is absent, null or the empty string.
bool IsUnset(const Json& object, std::string_view key) {
  auto found = object.find(key);
  return found == object.end() || found->is_null() ||
         (found->is_string() && found->get_ref<const std::string&>().empty());
}

base::Status ParseNormalizer(const Json& normalizer) {
  if (normalizer.is_null()) return base::Ok();
  FATHOM_ASSIGN_OR_RETURN(std::string type, TypeOf(normalizer, "normalizer"));
  auto steps = normalizer.find("normalizers");
  if (type == "Sequence" && steps != normalizer.end() && steps->is_array() && steps->empty()) {
    return base::Ok();
  }
  return Unsupported("normalizer \"" + type + "\"");
}

base::Status ParseSplit(const Json& split, std::vector<std::string>& patterns) {
  FATHOM_TRY(CheckKeys(split, "Split pre-tokenizer", {"type", "pattern", "behavior", "invert"}));
  auto pattern = split.find("pattern");
  if (pattern == split.end() || !pattern->is_object()) {
    return Invalid("Split pre-tokenizer has no \"pattern\" object");
  }
  auto regex = pattern->find("Regex");
  if (regex == pattern->end()) {
    return Unsupported("Split pattern " + pattern->dump() + " (only {\"Regex\": ...})");
  }
  if (!regex->is_string()) return Invalid("Split pattern \"Regex\" is not a string");
  auto behavior = split.find("behavior");
  if (behavior == split.end() || *behavior != "Isolated") {
    return Unsupported("Split behavior " +
                       (behavior == split.end() ? std::string("(none)") : behavior->dump()) +
                       " (only \"Isolated\")");
  }
  FATHOM_ASSIGN_OR_RETURN(bool invert, Bool(split, "Split pre-tokenizer", "invert", false));
  if (invert) return Unsupported("Split with \"invert\": true");
  patterns.push_back(regex->get<std::string>());
  return base::Ok();
}

base::Status ParseByteLevelPreTokenizer(const Json& byte_level) {
  FATHOM_TRY(CheckKeys(byte_level, "ByteLevel pre-tokenizer",
                       {"type", "add_prefix_space", "trim_offsets", "use_regex"}));
  FATHOM_ASSIGN_OR_RETURN(bool prefix, Bool(byte_level, "ByteLevel", "add_prefix_space", true));
  FATHOM_ASSIGN_OR_RETURN(bool use_regex, Bool(byte_level, "ByteLevel", "use_regex", true));
  if (prefix) return Unsupported("ByteLevel pre-tokenizer with \"add_prefix_space\": true");
  if (use_regex) return Unsupported("ByteLevel pre-tokenizer with \"use_regex\": true");
  return base::Ok();
}

// A Sequence of Split steps followed by one ByteLevel step.
base::Status ParsePreTokenizer(const Json& pre_tokenizer, std::vector<std::string>& patterns) {
  FATHOM_ASSIGN_OR_RETURN(std::string type, TypeOf(pre_tokenizer, "pre_tokenizer"));
  if (type != "Sequence") return Unsupported("pre_tokenizer \"" + type + "\" (only Sequence)");
  auto steps = pre_tokenizer.find("pretokenizers");
  if (steps == pre_tokenizer.end() || !steps->is_array() || steps->empty()) {
    return Invalid("pre_tokenizer Sequence has no \"pretokenizers\" array");
  }
  for (size_t i = 0; i < steps->size(); ++i) {
    const Json& step = (*steps)[i];
    FATHOM_ASSIGN_OR_RETURN(std::string step_type, TypeOf(step, "pre_tokenizer step"));
    const bool last = i + 1 == steps->size();
    if (step_type == "Split" && !last) {
      FATHOM_TRY(ParseSplit(step, patterns));
    } else if (step_type == "ByteLevel" && last) {
      FATHOM_TRY(ParseByteLevelPreTokenizer(step));
    } else {
      return Unsupported("pre_tokenizer step " + std::to_string(i) + " \"" + step_type +
                         "\" (only Split steps, then one ByteLevel)");
    }
  }
  return base::Ok();
}

// Post-processors change ids only when special tokens are added to the encoding, which Encode
// never does (Hugging Face's add_special_tokens=False); the known kinds are accepted as no-ops.
base::Status ParsePostProcessor(const Json& post_processor) {
  if (post_processor.is_null()) return base::Ok();
  FATHOM_ASSIGN_OR_RETURN(std::string type, TypeOf(post_processor, "post_processor"));
  if (type == "ByteLevel" || type == "TemplateProcessing") return base::Ok();
  return Unsupported("post_processor \"" + type + "\"");
}

base::Status ParseDecoder(const Json& decoder) {
  if (decoder.is_null()) return Unsupported("a missing decoder (only ByteLevel)");
  FATHOM_ASSIGN_OR_RETURN(std::string type, TypeOf(decoder, "decoder"));
  if (type != "ByteLevel") return Unsupported("decoder \"" + type + "\" (only ByteLevel)");
  return base::Ok();
}

base::Result<int32_t> TokenIdOf(const Json& value, std::string_view where) {
  if (!value.is_number_integer() || value.get<int64_t>() < 0 ||
      value.get<int64_t>() > std::numeric_limits<int32_t>::max()) {
    return Invalid(std::string(where) + " has an id that is not an integer in [0, 2^31)");
  }
  return static_cast<int32_t>(value.get<int64_t>());
}

base::Status ParseMerges(const Json& merges, TokenizerDefinition& definition) {
  if (!merges.is_array()) return Invalid("model \"merges\" is not an array");
  definition.merges.reserve(merges.size());
  for (size_t i = 0; i < merges.size(); ++i) {
    const Json& merge = merges[i];
    const std::string where = "merge " + std::to_string(i);
    if (merge.is_string()) {
      const std::string& text = merge.get_ref<const std::string&>();
      const size_t space = text.find(' ');
      if (space == std::string::npos || text.find(' ', space + 1) != std::string::npos) {
        return Invalid(where + " \"" + text + "\" is not two tokens separated by one space");
      }
      definition.merges.emplace_back(text.substr(0, space), text.substr(space + 1));
    } else if (merge.is_array() && merge.size() == 2 && merge[0].is_string() &&
               merge[1].is_string()) {
      definition.merges.emplace_back(merge[0].get<std::string>(), merge[1].get<std::string>());
    } else {
      return Invalid(where + " is neither \"a b\" nor [\"a\", \"b\"]");
    }
  }
  return base::Ok();
}

base::Status ParseModel(const Json& model, TokenizerDefinition& definition) {
  FATHOM_ASSIGN_OR_RETURN(std::string type, TypeOf(model, "model"));
  if (type != "BPE") return Unsupported("model \"" + type + "\" (only BPE)");
  FATHOM_TRY(
      CheckKeys(model, "model",
                {"type", "dropout", "unk_token", "continuing_subword_prefix", "end_of_word_suffix",
                 "fuse_unk", "byte_fallback", "ignore_merges", "vocab", "merges"}));
  auto dropout = model.find("dropout");
  if (dropout != model.end() && !dropout->is_null()) return Unsupported("BPE dropout");
  for (const char* key : {"continuing_subword_prefix", "end_of_word_suffix"}) {
    if (!IsUnset(model, key)) return Unsupported(std::string("BPE ") + key);
  }
  FATHOM_ASSIGN_OR_RETURN(bool byte_fallback, Bool(model, "model", "byte_fallback", false));
  if (byte_fallback) return Unsupported("BPE byte_fallback");
  FATHOM_ASSIGN_OR_RETURN(bool ignore_merges, Bool(model, "model", "ignore_merges", false));
  if (ignore_merges) return Unsupported("BPE ignore_merges");
  auto vocab = model.find("vocab");
  if (vocab == model.end() || !vocab->is_object() || vocab->empty()) {
    return Invalid("model has no \"vocab\" object");
  }
  definition.vocab.reserve(vocab->size());
  for (const auto& [token, id] : vocab->items()) {
    FATHOM_ASSIGN_OR_RETURN(int32_t value, TokenIdOf(id, "vocab token \"" + token + "\""));
    definition.vocab.emplace_back(token, value);
  }
  auto merges = model.find("merges");
  if (merges == model.end()) return Invalid("model has no \"merges\"");
  return ParseMerges(*merges, definition);
}

base::Status ParseAddedTokens(const Json& added_tokens, TokenizerDefinition& definition) {
  if (added_tokens.is_null()) return base::Ok();
  if (!added_tokens.is_array()) return Invalid("\"added_tokens\" is not an array");
  for (const Json& token : added_tokens) {
    if (!token.is_object() || !token.contains("content") || !token["content"].is_string() ||
        !token.contains("id")) {
      return Invalid("an added token has no \"id\" and \"content\"");
    }
    AddedToken added;
    added.content = token["content"].get<std::string>();
    const std::string where = "added token \"" + added.content + "\"";
    FATHOM_TRY(
        CheckKeys(token, where,
                  {"id", "content", "single_word", "lstrip", "rstrip", "normalized", "special"}));
    FATHOM_ASSIGN_OR_RETURN(added.id, TokenIdOf(token["id"], where));
    if (added.content.empty())
      return Invalid("added token " + std::to_string(added.id) + " has empty content");
    for (const char* flag : {"single_word", "lstrip", "rstrip"}) {
      FATHOM_ASSIGN_OR_RETURN(bool set, Bool(token, where, flag, false));
      if (set) return Unsupported(where + " with \"" + flag + "\": true");
    }
    FATHOM_ASSIGN_OR_RETURN(added.special, Bool(token, where, "special", false));
    FATHOM_ASSIGN_OR_RETURN(added.normalized, Bool(token, where, "normalized", !added.special));
    definition.added_tokens.push_back(std::move(added));
  }
  return base::Ok();
}

}  // namespace

base::Result<TokenizerDefinition> ParseTokenizerJson(const Json& json) {
  if (!json.is_object()) return Invalid("the document is not an object");
  FATHOM_TRY(CheckKeys(json, "top-level",
                       {"version", "truncation", "padding", "added_tokens", "normalizer",
                        "pre_tokenizer", "post_processor", "decoder", "model"}));
  for (const char* key : {"truncation", "padding"}) {
    if (json.contains(key) && !json[key].is_null()) return Unsupported(key);
  }
  for (const char* key : {"pre_tokenizer", "decoder", "model"}) {
    if (!json.contains(key)) return Invalid(std::string("\"") + key + "\" is missing");
  }
  TokenizerDefinition definition;
  FATHOM_TRY(ParseNormalizer(json.value("normalizer", Json())));
  FATHOM_TRY(ParsePreTokenizer(json["pre_tokenizer"], definition.split_patterns));
  FATHOM_TRY(ParsePostProcessor(json.value("post_processor", Json())));
  FATHOM_TRY(ParseDecoder(json["decoder"]));
  FATHOM_TRY(ParseModel(json["model"], definition));
  FATHOM_TRY(ParseAddedTokens(json.value("added_tokens", Json()), definition));
  return definition;
}

}  // namespace fathom::engine
