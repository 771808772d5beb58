// Reads a Hugging Face tokenizer.json of DeepSeek's kind into a TokenizerDefinition: byte-level
// BPE (vocab + merges), a Sequence of Split regexes ending in ByteLevel, no normalizer, a ByteLevel
// decoder, and added tokens. Anything else is an error naming the unsupported feature: the
// tokenizer never silently encodes differently from Hugging Face. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "base/json.h"
#include "base/result.h"

namespace fathom::engine {

// A token matched in raw text before pre-tokenisation (tokenizer.json's "added_tokens").
struct AddedToken {
  int32_t id = 0;
  std::string content;
  bool special = false;     // dropped by Hugging Face's decode(skip_special_tokens=True)
  bool normalized = false;  // matched after the normalizer (a second pass; ours is empty)
};

struct TokenizerDefinition {
  std::vector<std::pair<std::string, int32_t>> vocab;       // byte-level token text → id
  std::vector<std::pair<std::string, std::string>> merges;  // in rank order
  std::vector<AddedToken> added_tokens;
  std::vector<std::string> split_patterns;  // the pre-tokenizer's Split regexes, in order
};

// Validates `json` (a parsed tokenizer.json). Errors start with "tokenizer.json: " and name the
// field or feature at fault.
base::Result<TokenizerDefinition> ParseTokenizerJson(const base::Json& json);

}  // namespace fathom::engine
