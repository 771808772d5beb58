// The special-token texts of DeepSeek-V4's chat format and the DSML markers of its tool-call
// blocks, as they appear in prompt and completion text (encoding_dsv4.py). Constants only.
#pragma once

#include <string_view>

namespace fathom::engine::dsml {

inline constexpr std::string_view kBos = "<｜begin▁of▁sentence｜>";
inline constexpr std::string_view kEos = "<｜end▁of▁sentence｜>";
inline constexpr std::string_view kThinkStart = "<think>";
inline constexpr std::string_view kThinkEnd = "</think>";
inline constexpr std::string_view kDsml = "｜DSML｜";
inline constexpr std::string_view kUser = "<｜User｜>";
inline constexpr std::string_view kAssistant = "<｜Assistant｜>";
inline constexpr std::string_view kLatestReminder = "<｜latest_reminder｜>";

// A tool-call block in a completion:
//   content "\n\n<｜DSML｜tool_calls>\n"
//   "<｜DSML｜invoke name=\"NAME\">\n"
//   "<｜DSML｜parameter name=\"P\" string=\"true|false\">VALUE</｜DSML｜parameter>\n" ...
//   "</｜DSML｜invoke>\n" ... "</｜DSML｜tool_calls>" EOS
inline constexpr std::string_view kToolCallsStart = "\n\n<｜DSML｜tool_calls";
inline constexpr std::string_view kToolCallsEnd = "</｜DSML｜tool_calls>";
inline constexpr std::string_view kInvokeOpen = "<｜DSML｜invoke";
inline constexpr std::string_view kInvokeClose = "</｜DSML｜invoke";
inline constexpr std::string_view kParameterOpen = "<｜DSML｜parameter";
// The reference ends a parameter at this text; the '<' before it belongs to the value's syntax.
inline constexpr std::string_view kParameterClose = "/｜DSML｜parameter";
// Between the elements of a block there is exactly this.
inline constexpr std::string_view kSeparator = ">\n";

}  // namespace fathom::engine::dsml
