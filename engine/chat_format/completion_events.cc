#include "engine/chat_format/completion_events.h"

namespace fathom::engine {
namespace {

// The text of a delta event, or nullptr for the other events.
const std::string* DeltaText(const CompletionEvent& event) {
  if (const auto* reasoning = std::get_if<ReasoningDelta>(&event)) return &reasoning->text;
  if (const auto* content = std::get_if<ContentDelta>(&event)) return &content->text;
  if (const auto* argument = std::get_if<ArgumentDelta>(&event)) return &argument->text;
  return nullptr;
}

// Whether `next` continues the delta `previous`: same kind, same call and parameter.
bool Continues(const CompletionEvent& previous, const CompletionEvent& next) {
  if (previous.index() != next.index()) return false;
  const auto* before = std::get_if<ArgumentDelta>(&previous);
  const auto* after = std::get_if<ArgumentDelta>(&next);
  if (before == nullptr) return true;
  return before->index == after->index && before->parameter == after->parameter &&
         before->is_string == after->is_string;
}

}  // namespace

std::vector<CompletionEvent> MergeDeltas(const std::vector<CompletionEvent>& events) {
  std::vector<CompletionEvent> merged;
  for (const CompletionEvent& event : events) {
    const std::string* text = DeltaText(event);
    if (text == nullptr) {
      merged.push_back(event);
      continue;
    }
    if (text->empty()) continue;
    if (!merged.empty() && DeltaText(merged.back()) != nullptr && Continues(merged.back(), event)) {
      std::visit(
          [&](auto& last) {
            if constexpr (requires { last.text; }) last.text += *text;
          },
          merged.back());
      continue;
    }
    merged.push_back(event);
  }
  return merged;
}

}  // namespace fathom::engine
