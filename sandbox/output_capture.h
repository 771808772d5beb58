// HeadTailBuffer keeps the start and the end of a stream that may be far longer than the caller
// wants to hold (a command's stdout), counts what it dropped, and renders the kept text with a
// marker that says how much was cut. A value type; not thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace fathom::sandbox {

class HeadTailBuffer {
 public:
  // Keeps at most `limit` bytes: the first half of the limit from the start of the stream, the
  // rest from its end.
  explicit HeadTailBuffer(uint64_t limit);

  void Append(std::string_view bytes);

  // Bytes appended so far, kept or not.
  uint64_t total_bytes() const { return total_bytes_; }
  // Bytes dropped from the middle.
  uint64_t cut_bytes() const { return total_bytes_ - head_.size() - tail_size_; }
  bool truncated() const { return cut_bytes() > 0; }

  // The head, then "\n[... N bytes cut ...]\n" when anything was dropped, then the tail.
  std::string Text() const;

 private:
  std::string_view TailView(std::string& scratch) const;

  uint64_t head_limit_;
  uint64_t tail_limit_;
  std::string head_;
  std::string tail_;         // ring buffer of tail_limit_ bytes once full
  uint64_t tail_start_ = 0;  // index of the oldest tail byte in the ring
  uint64_t tail_size_ = 0;
  uint64_t total_bytes_ = 0;
};

// The marker Text() puts where bytes were cut.
std::string TruncationMarker(uint64_t cut_bytes);

}  // namespace fathom::sandbox
