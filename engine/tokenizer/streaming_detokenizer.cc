#include "engine/tokenizer/streaming_detokenizer.h"

#include "base/utf8.h"

namespace fathom::engine {

base::Result<std::string> StreamingDetokenizer::Push(int32_t id) {
  std::optional<std::string_view> bytes = tokenizer_->TokenBytes(id);
  if (!bytes) {
    return base::OutOfRangeError("token id " + std::to_string(id) +
                                 " is not in the tokenizer's vocabulary");
  }
  pending_.append(*bytes);
  const size_t complete = base::CompleteUtf8PrefixLength(pending_);
  std::string delta = base::ReplaceInvalidUtf8(std::string_view(pending_).substr(0, complete));
  pending_.erase(0, complete);
  return delta;
}

std::string StreamingDetokenizer::Flush() {
  std::string rest = base::ReplaceInvalidUtf8(pending_);
  pending_.clear();
  return rest;
}

}  // namespace fathom::engine
