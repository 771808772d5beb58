#include "tests/engine/chat_format/chat_format_test_util.h"

#include <gtest/gtest.h>

#include <array>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <utility>

#include "engine/chat_format/dsml_tokens.h"
#include "engine/chat_format/incremental_parser.h"
#include "engine/chat_format/python_json.h"

namespace fathom::engine::testing {
namespace {

constexpr std::array<std::string_view, 5> kSpecialTokens = {
    dsml::kBos, dsml::kEos, dsml::kThinkStart, dsml::kThinkEnd, dsml::kDsml};

StreamResult Collect(IncrementalParser& parser, std::vector<CompletionEvent> events) {
  StreamResult result;
  result.events = std::move(events);
  std::vector<CompletionEvent> last = parser.Finish();
  result.events.insert(result.events.end(), last.begin(), last.end());
  result.message = parser.message();
  result.error = parser.error();
  return result;
}

// The message the events describe.
Message BuildMessage(const std::vector<CompletionEvent>& events) {
  Message message;
  message.role = Role::kAssistant;
  for (const CompletionEvent& event : events) {
    if (const auto* reasoning = std::get_if<ReasoningDelta>(&event)) {
      message.reasoning_content += reasoning->text;
    } else if (const auto* content = std::get_if<ContentDelta>(&event)) {
      message.content += content->text;
    } else if (const auto* finished = std::get_if<ToolCallFinished>(&event)) {
      message.tool_calls.push_back(finished->call);
    }
  }
  return message;
}

// The order of events: one terminal event, last; each call's arguments between its start and
// its finish; a finished call's argument deltas add up to its arguments.
void ExpectWellOrdered(const std::vector<CompletionEvent>& events) {
  ASSERT_FALSE(events.empty());
  for (size_t i = 0; i + 1 < events.size(); ++i) {
    EXPECT_FALSE(std::holds_alternative<Done>(events[i]) ||
                 std::holds_alternative<ParseFailed>(events[i]))
        << "terminal event at " << i;
  }
  EXPECT_TRUE(std::holds_alternative<Done>(events.back()) ||
              std::holds_alternative<ParseFailed>(events.back()));
  std::optional<size_t> open_call;
  size_t next_call = 0;
  std::map<std::string, std::string> values;
  for (const CompletionEvent& event : events) {
    if (const auto* started = std::get_if<ToolCallStarted>(&event)) {
      EXPECT_FALSE(open_call.has_value());
      EXPECT_EQ(started->index, next_call);
      open_call = started->index;
      values.clear();
    } else if (const auto* argument = std::get_if<ArgumentDelta>(&event)) {
      EXPECT_EQ(open_call, argument->index);
      values[argument->parameter] += argument->text;
    } else if (const auto* finished = std::get_if<ToolCallFinished>(&event)) {
      EXPECT_EQ(open_call, finished->index);
      open_call.reset();
      ++next_call;
      for (const auto& [parameter, value] : finished->call.arguments.items()) {
        const std::string& text = values[parameter];  // no deltas for an empty value
        if (value.is_string() && value.get<std::string>() == text) continue;
        base::Result<OrderedJson> parsed = ParseOrderedJson(text);
        EXPECT_TRUE(parsed.ok() && *parsed == value) << parameter << ": " << text;
      }
    } else if (std::holds_alternative<ReasoningDelta>(event) ||
               std::holds_alternative<ContentDelta>(event)) {
      EXPECT_FALSE(open_call.has_value());
    }
  }
}

void ExpectNoSpecialTokens(const StreamResult& result) {
  EXPECT_EQ(FindSpecialToken(result.message.reasoning_content), "");
  EXPECT_EQ(FindSpecialToken(result.message.content), "");
  for (const CompletionEvent& event : result.events) {
    if (const auto* reasoning = std::get_if<ReasoningDelta>(&event)) {
      EXPECT_EQ(FindSpecialToken(reasoning->text), "") << reasoning->text;
    } else if (const auto* content = std::get_if<ContentDelta>(&event)) {
      EXPECT_EQ(FindSpecialToken(content->text), "") << content->text;
    }
  }
}

}  // namespace

std::filesystem::path ChatFormatFixtures() {
  return std::filesystem::path(FATHOM_SHARED_DIR) / "fixtures" / "chat_format";
}

base::Result<std::vector<OrderedJson>> ReadJsonLines(const std::filesystem::path& path) {
  std::ifstream file(path);
  if (!file) return base::NotFoundError("cannot open " + path.string());
  std::vector<OrderedJson> values;
  std::string line;
  while (std::getline(file, line)) {
    if (line.empty()) continue;
    base::Result<OrderedJson> value = ParseOrderedJson(line);
    if (!value.ok()) return value.error().WithContext(path.string());
    values.push_back(std::move(value).value());
  }
  return values;
}

StreamResult ParseInPieces(std::string_view text, const ParseOptions& options,
                           const std::vector<size_t>& cuts) {
  IncrementalParser parser(options);
  std::vector<CompletionEvent> events;
  size_t start = 0;
  for (size_t cut : cuts) {
    std::vector<CompletionEvent> more = parser.Feed(text.substr(start, cut - start));
    events.insert(events.end(), more.begin(), more.end());
    start = cut;
  }
  std::vector<CompletionEvent> rest = parser.Feed(text.substr(start));
  events.insert(events.end(), rest.begin(), rest.end());
  return Collect(parser, std::move(events));
}

StreamResult ParseWhole(std::string_view text, const ParseOptions& options) {
  return ParseInPieces(text, options, {});
}

StreamResult ParseByteByByte(std::string_view text, const ParseOptions& options) {
  std::vector<size_t> cuts;
  for (size_t i = 1; i < text.size(); ++i) cuts.push_back(i);
  return ParseInPieces(text, options, cuts);
}

StreamResult ParseInRandomPieces(std::string_view text, const ParseOptions& options, uint32_t seed,
                                 size_t mean_piece) {
  std::mt19937 random(seed);
  std::uniform_int_distribution<size_t> piece(1, 2 * mean_piece);
  std::vector<size_t> cuts;
  for (size_t cut = piece(random); cut < text.size(); cut += piece(random)) cuts.push_back(cut);
  return ParseInPieces(text, options, cuts);
}

std::string DescribeEvents(const std::vector<CompletionEvent>& events) {
  std::ostringstream out;
  for (const CompletionEvent& event : events) {
    std::visit(
        [&](const auto& e) {
          using E = std::decay_t<decltype(e)>;
          if constexpr (std::is_same_v<E, ReasoningDelta>) {
            out << "reasoning[" << e.text << "]\n";
          } else if constexpr (std::is_same_v<E, ContentDelta>) {
            out << "content[" << e.text << "]\n";
          } else if constexpr (std::is_same_v<E, ToolCallStarted>) {
            out << "started " << e.index << " " << e.id << " " << e.name << "\n";
          } else if constexpr (std::is_same_v<E, ArgumentDelta>) {
            out << "argument " << e.index << " " << e.parameter << "[" << e.text << "]\n";
          } else if constexpr (std::is_same_v<E, ToolCallFinished>) {
            out << "finished " << e.index << " " << e.call.arguments.dump() << "\n";
          } else if constexpr (std::is_same_v<E, ParseFailed>) {
            out << "failed " << e.error.ToString() << "\n";
          } else {
            out << "done\n";
          }
        },
        event);
  }
  return out.str();
}

std::string_view FindSpecialToken(std::string_view text) {
  for (std::string_view token : kSpecialTokens) {
    if (text.find(token) != std::string_view::npos) return token;
  }
  return "";
}

ParsedCompletion ExpectConsistentParses(std::string_view text, const ParseOptions& options) {
  ParsedCompletion whole = ParseCompletion(text, options);
  StreamResult at_once = ParseWhole(text, options);
  std::vector<CompletionEvent> expected = MergeDeltas(at_once.events);
  ExpectWellOrdered(at_once.events);
  std::vector<StreamResult> streams;
  streams.push_back(std::move(at_once));
  streams.push_back(ParseByteByByte(text, options));
  for (uint32_t seed = 1; seed <= 4; ++seed) {
    streams.push_back(ParseInRandomPieces(text, options, seed, 1 + seed * seed));
  }
  for (size_t i = 0; i < streams.size(); ++i) {
    const StreamResult& stream = streams[i];
    SCOPED_TRACE("stream " + std::to_string(i));
    EXPECT_EQ(MergeDeltas(stream.events), expected)
        << "got:\n"
        << DescribeEvents(MergeDeltas(stream.events)) << "expected:\n"
        << DescribeEvents(expected);
    EXPECT_EQ(stream.message, whole.message);
    EXPECT_EQ(stream.error, whole.error)
        << (stream.error ? stream.error->ToString() : "no error") << " vs "
        << (whole.error ? whole.error->ToString() : "no error");
    EXPECT_EQ(BuildMessage(stream.events), stream.message);
    ExpectNoSpecialTokens(stream);
  }
  return whole;
}

}  // namespace fathom::engine::testing
