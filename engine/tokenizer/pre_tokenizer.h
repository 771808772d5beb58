// PreTokenizer: Hugging Face's Sequence of Split(regex, behavior "Isolated") pre-tokenizers, as in
// DeepSeek's tokenizer.json. Each regex splits every piece the previous one produced into its
// matches and the gaps between them. Immutable after Create; Split is thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "engine/tokenizer/oniguruma_regex.h"

namespace fathom::engine {

class PreTokenizer {
 public:
  // Compiles the Split regexes, applied in the given order.
  static base::Result<PreTokenizer> Create(const std::vector<std::string>& patterns);

  // Appends to `pieces` the non-empty pieces of `text` (valid UTF-8), in order, as views into it.
  base::Status Split(std::string_view text, std::vector<std::string_view>& pieces) const;

 private:
  explicit PreTokenizer(std::vector<OnigurumaRegex> regexes) : regexes_(std::move(regexes)) {}

  std::vector<OnigurumaRegex> regexes_;
};

}  // namespace fathom::engine
