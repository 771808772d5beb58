// StreamingDetokenizer: turns token ids, one at a time as they are sampled, into text deltas that
// never end inside a UTF-8 character: bytes of an incomplete character are held back until the
// token that completes them arrives. The deltas concatenated, plus Flush(), equal
// Tokenizer::Decode of all the ids. Borrows the tokenizer; one per stream, not thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "base/result.h"
#include "engine/tokenizer/tokenizer.h"

namespace fathom::engine {

class StreamingDetokenizer {
 public:
  explicit StreamingDetokenizer(const Tokenizer& tokenizer) : tokenizer_(&tokenizer) {}

  // The text that `id` completes (possibly empty); ill-formed bytes become U+FFFD as in Decode.
  // An id without a token is an error and changes nothing.
  base::Result<std::string> Push(int32_t id);

  // The held-back bytes of an unfinished character, each maximal part as one U+FFFD (empty when
  // nothing is held). The stream can continue afterwards.
  std::string Flush();

 private:
  const Tokenizer* tokenizer_;
  std::string pending_;  // at most 3 bytes: the start of an incomplete character
};

}  // namespace fathom::engine
