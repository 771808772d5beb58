// The DeepSeek-V4 special tokens (specs/v4-architecture.md §7) and the overlay that adds them to
// a tokenizer that lacks them (the V3 tokenizer.json, tiny test models). A real V4 model directory
// ships a tokenizer.json that already has them; the overlay then changes nothing. Constants and a
// pure function; thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "base/result.h"
#include "engine/tokenizer/tokenizer.h"

namespace fathom::engine {

struct SpecialToken {
  int32_t id;
  std::string_view content;
};

inline constexpr SpecialToken kDeepSeekV4BeginOfSentence{0, "<｜begin▁of▁sentence｜>"};
inline constexpr SpecialToken kDeepSeekV4EndOfSentence{1, "<｜end▁of▁sentence｜>"};
inline constexpr SpecialToken kDeepSeekV4User{128803, "<｜User｜>"};
inline constexpr SpecialToken kDeepSeekV4Assistant{128804, "<｜Assistant｜>"};
inline constexpr SpecialToken kDeepSeekV4ThinkBegin{128821, "<think>"};
inline constexpr SpecialToken kDeepSeekV4ThinkEnd{128822, "</think>"};
inline constexpr SpecialToken kDeepSeekV4Dsml{128825, "｜DSML｜"};
inline constexpr SpecialToken kDeepSeekV4LatestReminder{128828, "<｜latest_reminder｜>"};

inline constexpr std::array<SpecialToken, 8> kDeepSeekV4SpecialTokens = {kDeepSeekV4BeginOfSentence,
                                                                         kDeepSeekV4EndOfSentence,
                                                                         kDeepSeekV4User,
                                                                         kDeepSeekV4Assistant,
                                                                         kDeepSeekV4ThinkBegin,
                                                                         kDeepSeekV4ThinkEnd,
                                                                         kDeepSeekV4Dsml,
                                                                         kDeepSeekV4LatestReminder};

// `tokenizer` with every V4 special token as a special added token (matched in raw text, not
// normalized) at its V4 id. Tokens already there at those ids are kept; a token or an id taken by
// something else is an error (the tokenizer is not a DeepSeek-V4-compatible one).
base::Result<Tokenizer> WithDeepSeekV4SpecialTokens(Tokenizer tokenizer);

}  // namespace fathom::engine
