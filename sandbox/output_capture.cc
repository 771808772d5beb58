// HeadTailBuffer: the head is a plain prefix; the tail is a ring buffer of fixed size, so appending
// costs O(bytes) however long the stream runs.
#include "sandbox/output_capture.h"

#include <algorithm>

namespace fathom::sandbox {

HeadTailBuffer::HeadTailBuffer(uint64_t limit)
    : head_limit_(limit / 2), tail_limit_(limit - limit / 2) {}

void HeadTailBuffer::Append(std::string_view bytes) {
  total_bytes_ += bytes.size();
  const size_t to_head = std::min<uint64_t>(bytes.size(), head_limit_ - head_.size());
  head_.append(bytes.substr(0, to_head));
  bytes.remove_prefix(to_head);
  if (bytes.empty() || tail_limit_ == 0) return;
  if (bytes.size() >= tail_limit_) {
    tail_.assign(bytes.substr(bytes.size() - tail_limit_));
    tail_start_ = 0;
    tail_size_ = tail_limit_;
    return;
  }
  if (tail_.size() < tail_limit_) tail_.resize(tail_limit_);
  for (char byte : bytes) {
    const uint64_t end = (tail_start_ + tail_size_) % tail_limit_;
    tail_[end] = byte;
    if (tail_size_ < tail_limit_) {
      ++tail_size_;
    } else {
      tail_start_ = (tail_start_ + 1) % tail_limit_;
    }
  }
}

std::string_view HeadTailBuffer::TailView(std::string& scratch) const {
  if (tail_start_ + tail_size_ <= tail_.size()) {
    return std::string_view(tail_).substr(tail_start_, tail_size_);
  }
  scratch.assign(tail_, tail_start_);
  scratch.append(tail_, 0, tail_size_ - scratch.size());
  return scratch;
}

std::string HeadTailBuffer::Text() const {
  std::string scratch;
  const std::string_view tail = TailView(scratch);
  std::string text = head_;
  if (truncated()) text += TruncationMarker(cut_bytes());
  text.append(tail);
  return text;
}

std::string TruncationMarker(uint64_t cut_bytes) {
  std::string marker = "\n[... ";
  marker += std::to_string(cut_bytes);
  marker += " bytes cut ...]\n";
  return marker;
}

}  // namespace fathom::sandbox
