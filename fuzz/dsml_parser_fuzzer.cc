// libFuzzer target for the DSML completion parsers. The first input byte picks the mode (bit 0:
// thinking) and the piece size for streaming (bits 1-3); the rest is the completion. Checked:
// IncrementalParser fed the whole text, byte by byte and in pieces cut at points derived from the
// input gives the same merged events, and the message and error of ParseCompletion; the events
// are well ordered and build that message; no special token reaches reasoning, content or a
// delta; an accepted completion re-renders to exactly its own bytes. Failed checks are findings.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/check.h"
#include "engine/chat_format/completion_events.h"
#include "engine/chat_format/completion_parser.h"
#include "engine/chat_format/dsml_tokens.h"
#include "engine/chat_format/incremental_parser.h"
#include "engine/chat_format/renderer.h"

namespace fathom::engine {
namespace {

// Feeding byte by byte costs a parser step per byte; longer inputs skip it.
constexpr size_t kMaxByteByByteSize = 4096;

struct Stream {
  std::vector<CompletionEvent> events;
  Message message;
  std::optional<DsmlError> error;
};

// Feeds `text` in pieces of 1..max_piece bytes (from a small generator seeded by `seed`).
Stream Feed(std::string_view text, const ParseOptions& options, size_t max_piece, uint64_t seed) {
  IncrementalParser parser(options);
  Stream stream;
  size_t start = 0;
  while (start < text.size()) {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    size_t piece = max_piece == 0 ? text.size() : 1 + (seed >> 33) % max_piece;
    std::vector<CompletionEvent> events = parser.Feed(text.substr(start, piece));
    stream.events.insert(stream.events.end(), events.begin(), events.end());
    start += piece;
  }
  std::vector<CompletionEvent> last = parser.Finish();
  stream.events.insert(stream.events.end(), last.begin(), last.end());
  stream.message = parser.message();
  stream.error = parser.error();
  return stream;
}

bool HasSpecialToken(std::string_view text) {
  for (std::string_view token :
       {dsml::kBos, dsml::kEos, dsml::kThinkStart, dsml::kThinkEnd, dsml::kDsml}) {
    if (text.find(token) != std::string_view::npos) return true;
  }
  return false;
}

// The stream's own consistency: one terminal event, last; no markup in text deltas; the events
// build the parser's message.
void CheckStream(const Stream& stream) {
  FATHOM_CHECK(!stream.events.empty()) << "no events";
  Message built;
  built.role = Role::kAssistant;
  for (size_t i = 0; i < stream.events.size(); ++i) {
    const CompletionEvent& event = stream.events[i];
    bool terminal =
        std::holds_alternative<Done>(event) || std::holds_alternative<ParseFailed>(event);
    FATHOM_CHECK(terminal == (i + 1 == stream.events.size())) << "terminal event at " << i;
    if (const auto* reasoning = std::get_if<ReasoningDelta>(&event)) {
      FATHOM_CHECK(!HasSpecialToken(reasoning->text)) << "markup in reasoning delta";
      built.reasoning_content += reasoning->text;
    } else if (const auto* content = std::get_if<ContentDelta>(&event)) {
      FATHOM_CHECK(!HasSpecialToken(content->text)) << "markup in content delta";
      built.content += content->text;
    } else if (const auto* finished = std::get_if<ToolCallFinished>(&event)) {
      built.tool_calls.push_back(finished->call);
    }
  }
  FATHOM_CHECK(built == stream.message) << "events do not build the message";
  FATHOM_CHECK(std::holds_alternative<Done>(stream.events.back()) == !stream.error.has_value())
      << "Done and error disagree";
}

// An accepted completion, rendered back as the conversation's last assistant turn, is the same
// bytes (plus the end-of-sentence token the reference allows after a tool-call block).
void CheckReplay(std::string_view text, const ParsedCompletion& parsed, ThinkingMode mode) {
  Conversation conversation;
  Message system;
  system.role = Role::kSystem;
  conversation.messages.push_back(system);
  Message user;
  user.role = Role::kUser;
  conversation.messages.push_back(user);
  conversation.messages.push_back(parsed.message);
  conversation.tools = {ToolSchema{"t", "", nullptr}};  // offered tools keep all reasoning
  RenderOptions options;
  options.mode = mode;
  base::Result<std::string> prompt = RenderPrompt(conversation, options);
  FATHOM_CHECK(prompt.ok()) << prompt.error();
  std::string expected(text);
  if (!expected.ends_with(dsml::kEos)) expected += dsml::kEos;
  std::string opening =
      std::string(dsml::kAssistant) +
      std::string(mode == ThinkingMode::kThinking ? dsml::kThinkStart : dsml::kThinkEnd);
  FATHOM_CHECK(prompt->ends_with(opening + expected)) << "re-rendered completion differs";
}

}  // namespace
}  // namespace fathom::engine

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace fathom::engine;  // NOLINT: a fuzzer entry point
  if (size == 0) return 0;
  ParseOptions options;
  options.mode = (data[0] & 1) != 0 ? ThinkingMode::kThinking : ThinkingMode::kChat;
  size_t max_piece = size_t{1} << ((data[0] >> 1) & 7);
  std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  uint64_t seed = 1469598103934665603ULL;
  for (unsigned char byte : text) seed = (seed ^ byte) * 1099511628211ULL;

  ParsedCompletion whole = ParseCompletion(text, options);
  FATHOM_CHECK(!HasSpecialToken(whole.message.reasoning_content)) << "markup in reasoning";
  FATHOM_CHECK(!HasSpecialToken(whole.message.content)) << "markup in content";

  std::vector<Stream> streams;
  streams.push_back(Feed(text, options, 0, seed));
  streams.push_back(Feed(text, options, max_piece, seed));
  if (text.size() <= kMaxByteByByteSize) streams.push_back(Feed(text, options, 1, seed));
  std::vector<CompletionEvent> expected = MergeDeltas(streams[0].events);
  for (const Stream& stream : streams) {
    CheckStream(stream);
    FATHOM_CHECK(MergeDeltas(stream.events) == expected) << "streams disagree";
    FATHOM_CHECK(stream.message == whole.message) << "stream and whole-text messages differ";
    FATHOM_CHECK(stream.error == whole.error)
        << "errors differ: " << (stream.error ? stream.error->ToString() : "none") << " vs "
        << (whole.error ? whole.error->ToString() : "none");
  }
  if (whole.ok()) CheckReplay(text, whole, options.mode);
  return 0;
}
