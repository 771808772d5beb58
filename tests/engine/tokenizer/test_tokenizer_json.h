// Test helper: a small tokenizer.json of DeepSeek's kind (the 256 byte tokens, a few merges, one
// Split regex, one added token) that tests change one field at a time.
#pragma once

#include <string>

#include "base/json.h"
#include "engine/tokenizer/byte_level.h"

namespace fathom::engine {

// Byte tokens have the byte's value as id; then "he" 256, "ll" 257, "hell" 258, "Ġw" 259, "bc"
// 260, "ab" 261; added token "<eot>" 262 (special).
inline base::Json SmallTokenizerJson() {
  using base::Json;
  Json vocab = Json::object();
  for (int byte = 0; byte < 256; ++byte) {
    const char raw = static_cast<char>(byte);
    vocab[ByteLevelEncode(std::string(1, raw))] = byte;
  }
  int next = 256;
  for (const char* token : {"he", "ll", "hell", "Ġw", "bc", "ab"}) vocab[token] = next++;
  Json merges = {"h e", "l l", Json::array({"he", "ll"}), "Ġ w", "b c", "a b"};
  Json split = {{"type", "Split"},
                {"pattern", {{"Regex", "\\s+(?!\\S)|\\s*\\S+"}}},
                {"behavior", "Isolated"},
                {"invert", false}};
  Json byte_level = {{"type", "ByteLevel"},
                     {"add_prefix_space", false},
                     {"trim_offsets", true},
                     {"use_regex", false}};
  Json added = {{"id", 262},       {"content", "<eot>"},  {"single_word", false}, {"lstrip", false},
                {"rstrip", false}, {"normalized", false}, {"special", true}};
  return Json{
      {"version", "1.0"},
      {"truncation", nullptr},
      {"padding", nullptr},
      {"added_tokens", Json::array({added})},
      {"normalizer", {{"type", "Sequence"}, {"normalizers", Json::array()}}},
      {"pre_tokenizer",
       {{"type", "Sequence"}, {"pretokenizers", Json::array({split, byte_level})}}},
      {"post_processor", {{"type", "ByteLevel"}}},
      {"decoder", {{"type", "ByteLevel"}}},
      {"model",
       {{"type", "BPE"},
        {"dropout", nullptr},
        {"unk_token", nullptr},
        {"vocab", vocab},
        {"merges", merges}}},
  };
}

}  // namespace fathom::engine
