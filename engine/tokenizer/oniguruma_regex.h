// OnigurumaRegex: one compiled Oniguruma pattern (UTF-8, the default syntax: the engine and settings
// Hugging Face tokenizers runs its Split regexes with). Owns the compiled regex; move-only.
// Searching is const and thread-safe (each thread uses its own match region).
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"

struct re_pattern_buffer;  // Oniguruma's regex_t

namespace fathom::engine {

class OnigurumaRegex {
 public:
  // Compiles `pattern`; a syntax error names the pattern and Oniguruma's reason.
  static base::Result<OnigurumaRegex> Compile(std::string_view pattern);

  // Replaces `matches` with the byte ranges [begin, end) of the successive non-overlapping
  // matches in `subject` (valid UTF-8; lookarounds see only `subject`). An empty match right
  // where the previous match ended is skipped by moving on one character, as the onig crate's
  // find_iter does. Fails only when Oniguruma gives up (its retry limit).
  base::Status FindAll(std::string_view subject,
                       std::vector<std::pair<size_t, size_t>>& matches) const;

 private:
  struct Deleter {
    void operator()(re_pattern_buffer* regex) const;
  };

  explicit OnigurumaRegex(re_pattern_buffer* regex) : regex_(regex) {}

  std::unique_ptr<re_pattern_buffer, Deleter> regex_;
};

}  // namespace fathom::engine
