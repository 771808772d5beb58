#include "engine/chat_format/renderer.h"

#include <algorithm>
#include <cstddef>
#include <map>
#include <string_view>
#include <vector>

#include "engine/chat_format/dsml_tokens.h"
#include "engine/chat_format/tool_call_text.h"

namespace fathom::engine {
namespace {

constexpr std::string_view kMaxEffortPrompt =
    "Reasoning Effort: Absolute maximum with no shortcuts permitted.\n"
    "You MUST be very thorough in your thinking and comprehensively decompose the problem to "
    "resolve the root cause, rigorously stress-testing your logic against all potential paths, "
    "edge cases, and adversarial scenarios.\n"
    "Explicitly write out your entire deliberation process, documenting every intermediate step, "
    "considered alternative, and rejected hypothesis to ensure absolutely no assumption is left "
    "unchecked.\n\n";

std::string_view TaskToken(Task task) {
  switch (task) {
    case Task::kNone:
      break;
    case Task::kAction:
      return "<｜action｜>";
    case Task::kQuery:
      return "<｜query｜>";
    case Task::kAuthority:
      return "<｜authority｜>";
    case Task::kDomain:
      return "<｜domain｜>";
    case Task::kTitle:
      return "<｜title｜>";
    case Task::kReadUrl:
      return "<｜read_url｜>";
  }
  return "";
}

// One part of a user turn: text, or a tool result answering the call `tool_call_id`.
struct Block {
  bool is_tool_result = false;
  std::string_view text;
  std::string_view tool_call_id;
};

// A message after the reference's preprocessing (merge_tool_messages): tool results and
// consecutive user messages are merged into user turns made of blocks.
struct Turn {
  Role role = Role::kUser;
  const Message* message = nullptr;  // the source; for a user turn, its first message
  std::vector<Block> blocks;         // user turns
  std::vector<ToolSchema> tools;     // system and developer turns
  Task task = Task::kNone;
};

std::vector<Turn> MergeToolMessages(const Conversation& conversation) {
  std::vector<Turn> turns;
  for (size_t i = 0; i < conversation.messages.size(); ++i) {
    const Message& message = conversation.messages[i];
    bool after_user = !turns.empty() && turns.back().role == Role::kUser;
    if (message.role == Role::kTool) {
      Block block{true, message.content, message.tool_call_id};
      if (after_user) {
        turns.back().blocks.push_back(block);
      } else {
        turns.push_back(Turn{Role::kUser, &message, {block}, {}, Task::kNone});
      }
      continue;
    }
    if (message.role == Role::kUser) {
      // The reference keeps only content and task of a user message; tools on it are lost.
      Block block{false, message.content, {}};
      if (after_user && turns.back().task == Task::kNone) {
        turns.back().blocks.push_back(block);
      } else {
        turns.push_back(Turn{Role::kUser, &message, {block}, {}, message.task});
      }
      continue;
    }
    Turn turn{message.role, &message, {}, message.tools, message.task};
    if (i == 0) {
      turn.tools.insert(turn.tools.end(), conversation.tools.begin(), conversation.tools.end());
    }
    turns.push_back(std::move(turn));
  }
  return turns;
}

// The reference's sort_tool_results_by_call_order: within a user turn, tool results follow the
// order of the calls of the latest assistant turn with calls (unknown ids count as first).
void SortToolResults(std::vector<Turn>& turns) {
  std::map<std::string_view, size_t> call_order;
  for (Turn& turn : turns) {
    if (turn.role == Role::kAssistant && !turn.message->tool_calls.empty()) {
      call_order.clear();
      const std::vector<ToolCall>& calls = turn.message->tool_calls;
      for (size_t i = 0; i < calls.size(); ++i) {
        if (!calls[i].id.empty()) call_order[calls[i].id] = i;
      }
      continue;
    }
    if (turn.role != Role::kUser || call_order.empty()) continue;
    std::vector<Block> results;
    for (const Block& block : turn.blocks) {
      if (block.is_tool_result) results.push_back(block);
    }
    if (results.size() < 2) continue;
    auto rank = [&](const Block& block) {
      auto found = call_order.find(block.tool_call_id);
      return found == call_order.end() ? size_t{0} : found->second;
    };
    std::stable_sort(results.begin(), results.end(),
                     [&](const Block& a, const Block& b) { return rank(a) < rank(b); });
    size_t next = 0;
    for (Block& block : turn.blocks) {
      if (block.is_tool_result) block = results[next++];
    }
  }
}

// The index of the last user or developer turn, or -1.
ptrdiff_t LastUserIndex(const std::vector<Turn>& turns) {
  for (size_t i = turns.size(); i-- > 0;) {
    if (turns[i].role == Role::kUser || turns[i].role == Role::kDeveloper) {
      return static_cast<ptrdiff_t>(i);
    }
  }
  return -1;
}

// The reference's _drop_thinking_messages: developer turns before the last user turn go. (It
// also drops those turns' reasoning, which rendering omits anyway.)
void DropEarlierDeveloperTurns(std::vector<Turn>& turns) {
  ptrdiff_t last_user = LastUserIndex(turns);
  std::vector<Turn> kept;
  for (size_t i = 0; i < turns.size(); ++i) {
    if (turns[i].role == Role::kDeveloper && static_cast<ptrdiff_t>(i) < last_user) continue;
    kept.push_back(std::move(turns[i]));
  }
  turns = std::move(kept);
}

// Renders turns[index] (the reference's render_message).
class TurnRenderer {
 public:
  TurnRenderer(const std::vector<Turn>& turns, const RenderOptions& options, bool drop_thinking)
      : turns_(turns),
        options_(options),
        thinking_(options.mode == ThinkingMode::kThinking),
        drop_thinking_(drop_thinking),
        last_user_(LastUserIndex(turns)) {}

  base::Status Render(size_t index, std::string& out) const {
    const Turn& turn = turns_[index];
    if (index == 0 && thinking_ && options_.reasoning_effort == ReasoningEffort::kMax) {
      out += kMaxEffortPrompt;
    }
    switch (turn.role) {
      case Role::kSystem:
        out += turn.message->content;
        AppendTools(turn, out);
        break;
      case Role::kDeveloper:
        if (turn.message->content.empty()) {
          return base::InvalidArgumentError("a developer message needs content");
        }
        out += dsml::kUser;
        out += turn.message->content;
        AppendTools(turn, out);
        break;
      case Role::kUser:
        out += dsml::kUser;
        AppendBlocks(turn, out);
        break;
      case Role::kLatestReminder:
        out += dsml::kLatestReminder;
        out += turn.message->content;
        break;
      case Role::kAssistant:
        FATHOM_TRY(AppendAssistant(index, out));
        break;
      case Role::kTool:
        return base::InternalError("tool messages are merged into user turns");
    }
    AppendTransition(index, out);
    return base::Ok();
  }

 private:
  static void AppendTools(const Turn& turn, std::string& out) {
    if (turn.tools.empty()) return;
    out += "\n\n";
    out += RenderToolsSection(turn.tools);
  }

  static void AppendBlocks(const Turn& turn, std::string& out) {
    bool first = true;
    for (const Block& block : turn.blocks) {
      if (!first) out += "\n\n";
      first = false;
      if (block.is_tool_result) out += "<tool_result>";
      out += block.text;
      if (block.is_tool_result) out += "</tool_result>";
    }
  }

  base::Status AppendAssistant(size_t index, std::string& out) const {
    const Message& message = *turns_[index].message;
    bool after_task = index > 0 && turns_[index - 1].task != Task::kNone;
    if (thinking_ && !after_task &&
        (!drop_thinking_ || static_cast<ptrdiff_t>(index) > last_user_)) {
      out += message.reasoning_content;
      out += dsml::kThinkEnd;
    }
    out += message.content;
    if (!message.tool_calls.empty()) {
      FATHOM_ASSIGN_OR_RETURN(std::string block, RenderToolCallBlock(message.tool_calls));
      out += block;
    }
    out += dsml::kEos;
    return base::Ok();
  }

  // What follows a turn: nothing before another user-side turn; otherwise a task's token, or
  // the opening of the assistant turn after a user or developer turn.
  void AppendTransition(size_t index, std::string& out) const {
    if (index + 1 < turns_.size()) {
      Role next = turns_[index + 1].role;
      if (next != Role::kAssistant && next != Role::kLatestReminder) return;
    }
    const Turn& turn = turns_[index];
    if (turn.task != Task::kNone) {
      if (turn.task == Task::kAction) {
        out += dsml::kAssistant;
        out += thinking_ ? dsml::kThinkStart : dsml::kThinkEnd;
      }
      out += TaskToken(turn.task);
      return;
    }
    if (turn.role != Role::kUser && turn.role != Role::kDeveloper) return;
    out += dsml::kAssistant;
    bool open_thinking =
        thinking_ && (!drop_thinking_ || static_cast<ptrdiff_t>(index) >= last_user_);
    out += open_thinking ? dsml::kThinkStart : dsml::kThinkEnd;
  }

  const std::vector<Turn>& turns_;
  const RenderOptions& options_;
  bool thinking_;
  bool drop_thinking_;
  ptrdiff_t last_user_;
};

}  // namespace

base::Result<std::string> RenderPrompt(const Conversation& conversation,
                                       const RenderOptions& options) {
  if (!conversation.tools.empty() &&
      (conversation.messages.empty() || (conversation.messages[0].role != Role::kSystem &&
                                         conversation.messages[0].role != Role::kDeveloper))) {
    return base::InvalidArgumentError(
        "the conversation's tools are shown in its first message, which must be a system or "
        "developer message");
  }
  std::vector<Turn> turns = MergeToolMessages(conversation);
  SortToolResults(turns);
  bool offers_tools =
      std::any_of(turns.begin(), turns.end(), [](const Turn& turn) { return !turn.tools.empty(); });
  bool drop_thinking = options.drop_thinking && !offers_tools;
  if (options.mode == ThinkingMode::kThinking && drop_thinking) DropEarlierDeveloperTurns(turns);
  std::string prompt = options.add_bos ? std::string(dsml::kBos) : std::string();
  TurnRenderer renderer(turns, options, drop_thinking);
  for (size_t i = 0; i < turns.size(); ++i) FATHOM_TRY(renderer.Render(i, prompt));
  return prompt;
}

}  // namespace fathom::engine
