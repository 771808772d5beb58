#include "engine/tokenizer/deepseek_v4_tokens.h"

#include <string>
#include <utility>
#include <vector>

namespace fathom::engine {

base::Result<Tokenizer> WithDeepSeekV4SpecialTokens(Tokenizer tokenizer) {
  std::vector<AddedToken> tokens;
  for (const SpecialToken& special : kDeepSeekV4SpecialTokens) {
    tokens.push_back(AddedToken{special.id, std::string(special.content), /*special=*/true,
                                /*normalized=*/false});
  }
  base::Status added = tokenizer.AddTokens(tokens);
  if (!added.ok()) return std::move(added).error().WithContext("DeepSeek-V4 special tokens");
  return tokenizer;
}

}  // namespace fathom::engine
