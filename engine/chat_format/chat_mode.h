// The generation modes of DeepSeek-V4's chat format, shared by prompt rendering and completion
// parsing. Enums only.
#pragma once

namespace fathom::engine {

// kThinking: the assistant turn opens with <think> and the model reasons before answering.
// kChat: the turn opens with </think> and the model answers directly.
enum class ThinkingMode { kChat, kThinking };

// kMax puts DeepSeek's "Reasoning Effort: Absolute maximum" instruction at the start of a
// thinking-mode prompt; kNone and kHigh add nothing (the reference treats them alike).
enum class ReasoningEffort { kNone, kHigh, kMax };

}  // namespace fathom::engine
