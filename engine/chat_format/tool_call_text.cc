#include "engine/chat_format/tool_call_text.h"

#include <string_view>

#include "engine/chat_format/completion_parser.h"
#include "engine/chat_format/dsml_tokens.h"
#include "engine/chat_format/python_json.h"

namespace fathom::engine {
namespace {

constexpr std::string_view kToolsSectionStart =
    R"(## Tools

You have access to a set of tools to help answer the user's question. You can invoke tools by writing a "<｜DSML｜tool_calls>" block like the following:

<｜DSML｜tool_calls>
<｜DSML｜invoke name="$TOOL_NAME">
<｜DSML｜parameter name="$PARAMETER_NAME" string="true|false">$PARAMETER_VALUE</｜DSML｜parameter>
...
</｜DSML｜invoke>
<｜DSML｜invoke name="$TOOL_NAME2">
...
</｜DSML｜invoke>
</｜DSML｜tool_calls>

String parameters should be specified as is and set `string="true"`. For all other types (numbers, booleans, arrays, objects), pass the value in JSON format and set `string="false"`.

If thinking_mode is enabled (triggered by <think>), you MUST output your complete reasoning inside <think>...</think> BEFORE any tool calls or final response.

Otherwise, output directly after </think> with tool calls or final response.

### Available Tool Schemas

)";

constexpr std::string_view kToolsSectionEnd = R"(

You MUST strictly follow the above defined tool name and parameter schemas to invoke tool calls.
)";

constexpr std::string_view kBlockOpen = "\n\n<｜DSML｜tool_calls>\n";
constexpr std::string_view kBlockClose = "\n</｜DSML｜tool_calls>";

// The reference's encode_arguments_to_dsml inside its tool_call_template.
base::Result<std::string> CanonicalInvoke(const ToolCall& call) {
  if (!call.arguments.is_object() && !call.arguments.is_null()) {
    return base::InvalidArgumentError("tool call '" + call.name +
                                      "': arguments must be a JSON object, not " +
                                      call.arguments.type_name());
  }
  std::string text = "<｜DSML｜invoke name=\"" + call.name + "\">\n";
  bool first = true;
  if (call.arguments.is_object()) {
    for (const auto& [key, value] : call.arguments.items()) {
      if (!first) text += '\n';
      first = false;
      bool is_string = value.is_string();
      text += "<｜DSML｜parameter name=\"" + key + "\" string=\"" + (is_string ? "true" : "false") +
              "\">";
      text += is_string ? value.get_ref<const std::string&>() : DumpPythonJson(value);
      text += "</｜DSML｜parameter>";
    }
  }
  text += "\n</｜DSML｜invoke>";
  return text;
}

// Whether the call's sampled DSML still says what the call says.
bool SampledTextMatches(const ToolCall& call) {
  std::string block = std::string(kBlockOpen) + call.sampled_dsml + std::string(kBlockClose);
  ParseOptions options;
  options.mode = ThinkingMode::kChat;
  ParsedCompletion parsed = ParseCompletion(block, options);
  if (!parsed.ok() || parsed.message.tool_calls.size() != 1) return false;
  const ToolCall& reparsed = parsed.message.tool_calls[0];
  OrderedJson arguments = call.arguments.is_null() ? OrderedJson::object() : call.arguments;
  return reparsed.name == call.name && reparsed.arguments == arguments;
}

}  // namespace

std::string RenderToolsSection(std::span<const ToolSchema> tools) {
  std::string text(kToolsSectionStart);
  bool first = true;
  for (const ToolSchema& tool : tools) {
    if (!first) text += '\n';
    first = false;
    OrderedJson function = OrderedJson::object();
    function["name"] = tool.name;
    if (!tool.description.empty()) function["description"] = tool.description;
    if (!tool.parameters.is_null()) function["parameters"] = tool.parameters;
    text += DumpPythonJson(function);
  }
  text += kToolsSectionEnd;
  return text;
}

base::Result<std::string> RenderToolCallBlock(std::span<const ToolCall> calls) {
  std::string text(kBlockOpen);
  bool first = true;
  for (const ToolCall& call : calls) {
    if (!first) text += '\n';
    first = false;
    if (!call.sampled_dsml.empty() && SampledTextMatches(call)) {
      text += call.sampled_dsml;
      continue;
    }
    FATHOM_ASSIGN_OR_RETURN(std::string invoke, CanonicalInvoke(call));
    text += invoke;
  }
  text += kBlockClose;
  return text;
}

}  // namespace fathom::engine
