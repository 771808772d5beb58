// Helpers for the chat_format tests: the shared fixture files, feeding a completion to
// IncrementalParser in pieces, and the checks every parse must pass (streams agree with the
// whole-text parser, no special token reaches reasoning, content or deltas).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "engine/chat_format/completion_events.h"
#include "engine/chat_format/completion_parser.h"
#include "engine/conversation.h"

namespace fathom::engine::testing {

// ../shared/fixtures/chat_format.
std::filesystem::path ChatFormatFixtures();

// One JSON value per non-empty line, keys in file order.
base::Result<std::vector<OrderedJson>> ReadJsonLines(const std::filesystem::path& path);

// What an IncrementalParser produced for one completion.
struct StreamResult {
  std::vector<CompletionEvent> events;
  Message message;
  std::optional<DsmlError> error;
};

// Feeds `text` cut at `cuts` (increasing offsets), then finishes.
StreamResult ParseInPieces(std::string_view text, const ParseOptions& options,
                           const std::vector<size_t>& cuts);
StreamResult ParseWhole(std::string_view text, const ParseOptions& options);
StreamResult ParseByteByByte(std::string_view text, const ParseOptions& options);
// Cuts at random offsets (about one per `mean_piece` bytes) drawn from `seed`.
StreamResult ParseInRandomPieces(std::string_view text, const ParseOptions& options, uint32_t seed,
                                 size_t mean_piece);

// Readable events for failure messages.
std::string DescribeEvents(const std::vector<CompletionEvent>& events);

// The special token (BOS, EOS, <think>, </think>, ｜DSML｜) in `text`, or "".
std::string_view FindSpecialToken(std::string_view text);

// Checks that `text` parses the same whole, byte by byte and in random pieces: the same merged
// events, ParseCompletion's message and error, a message equal to what the events build, and no
// special token in reasoning, content or deltas. Returns the whole-text result.
ParsedCompletion ExpectConsistentParses(std::string_view text, const ParseOptions& options);

}  // namespace fathom::engine::testing
