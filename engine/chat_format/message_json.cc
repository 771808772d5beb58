#include "engine/chat_format/message_json.h"

#include <string>
#include <string_view>
#include <utility>

#include "engine/chat_format/python_json.h"

namespace fathom::engine {
namespace {

base::Result<Role> RoleFromName(std::string_view name) {
  if (name == "system") return Role::kSystem;
  if (name == "user") return Role::kUser;
  if (name == "assistant") return Role::kAssistant;
  if (name == "tool") return Role::kTool;
  if (name == "latest_reminder") return Role::kLatestReminder;
  if (name == "developer") return Role::kDeveloper;
  return base::InvalidArgumentError("unknown message role '" + std::string(name) + "'");
}

base::Result<Task> TaskFromName(std::string_view name) {
  if (name == "action") return Task::kAction;
  if (name == "query") return Task::kQuery;
  if (name == "authority") return Task::kAuthority;
  if (name == "domain") return Task::kDomain;
  if (name == "title") return Task::kTitle;
  if (name == "read_url") return Task::kReadUrl;
  return base::InvalidArgumentError("unknown task '" + std::string(name) + "'");
}

// The string field `key` of `json`: "" when absent or null, an error when not a string.
base::Result<std::string> StringField(const OrderedJson& json, std::string_view key) {
  auto found = json.find(key);
  if (found == json.end() || found->is_null()) return std::string();
  if (!found->is_string()) {
    return base::InvalidArgumentError("field '" + std::string(key) + "' must be a string, not " +
                                      found->type_name());
  }
  return found->get<std::string>();
}

// The field `key` of `json` when it is an object, else an empty object.
const OrderedJson& ObjectField(const OrderedJson& json, std::string_view key) {
  static const OrderedJson kEmpty = OrderedJson::object();
  auto found = json.find(key);
  return found != json.end() && found->is_object() ? *found : kEmpty;
}

base::Result<OrderedJson> ArgumentsFromJson(const OrderedJson& arguments) {
  if (arguments.is_null() || arguments.is_object()) return arguments;
  if (!arguments.is_string()) {
    return base::InvalidArgumentError("tool call arguments must be JSON text or an object");
  }
  const std::string& text = arguments.get_ref<const std::string&>();
  base::Result<OrderedJson> parsed = ParseOrderedJson(text);
  if (!parsed.ok()) return OrderedJson{{"arguments", text}};
  if (!parsed->is_object()) {
    return base::InvalidArgumentError("tool call arguments must be a JSON object, not " +
                                      std::string(parsed->type_name()));
  }
  return parsed;
}

base::Result<ToolCall> ToolCallFromJson(const OrderedJson& json) {
  if (!json.is_object()) return base::InvalidArgumentError("a tool call must be an object");
  const OrderedJson& function = ObjectField(json, "function");
  ToolCall call;
  FATHOM_ASSIGN_OR_RETURN(call.id, StringField(json, "id"));
  FATHOM_ASSIGN_OR_RETURN(call.name, StringField(function, "name"));
  auto arguments = function.find("arguments");
  if (arguments != function.end()) {
    FATHOM_ASSIGN_OR_RETURN(call.arguments, ArgumentsFromJson(*arguments));
  }
  return call;
}

}  // namespace

base::Result<Message> MessageFromJson(const OrderedJson& json) {
  if (!json.is_object()) return base::InvalidArgumentError("a message must be a JSON object");
  Message message;
  FATHOM_ASSIGN_OR_RETURN(std::string role, StringField(json, "role"));
  FATHOM_ASSIGN_OR_RETURN(message.role, RoleFromName(role));
  FATHOM_ASSIGN_OR_RETURN(message.content, StringField(json, "content"));
  FATHOM_ASSIGN_OR_RETURN(message.reasoning_content, StringField(json, "reasoning_content"));
  FATHOM_ASSIGN_OR_RETURN(message.tool_call_id, StringField(json, "tool_call_id"));
  FATHOM_ASSIGN_OR_RETURN(std::string task, StringField(json, "task"));
  if (!task.empty()) {
    FATHOM_ASSIGN_OR_RETURN(message.task, TaskFromName(task));
  }
  auto calls = json.find("tool_calls");
  if (calls != json.end() && !calls->is_null()) {
    if (!calls->is_array()) return base::InvalidArgumentError("'tool_calls' must be an array");
    for (const OrderedJson& call : *calls) {
      FATHOM_ASSIGN_OR_RETURN(ToolCall parsed, ToolCallFromJson(call));
      message.tool_calls.push_back(std::move(parsed));
    }
  }
  auto tools = json.find("tools");
  if (tools != json.end() && !tools->is_null()) {
    FATHOM_ASSIGN_OR_RETURN(message.tools, ToolSchemasFromJson(*tools));
  }
  return message;
}

base::Result<std::vector<Message>> MessagesFromJson(const OrderedJson& json) {
  if (!json.is_array()) return base::InvalidArgumentError("messages must be a JSON array");
  std::vector<Message> messages;
  for (size_t i = 0; i < json.size(); ++i) {
    base::Result<Message> message = MessageFromJson(json[i]);
    if (!message.ok()) return message.error().WithContext("message " + std::to_string(i));
    messages.push_back(std::move(message).value());
  }
  return messages;
}

base::Result<std::vector<ToolSchema>> ToolSchemasFromJson(const OrderedJson& json) {
  if (!json.is_array()) return base::InvalidArgumentError("tools must be a JSON array");
  std::vector<ToolSchema> tools;
  for (const OrderedJson& entry : json) {
    if (!entry.is_object()) return base::InvalidArgumentError("a tool must be a JSON object");
    const OrderedJson& function = ObjectField(entry, "function");
    ToolSchema tool;
    FATHOM_ASSIGN_OR_RETURN(tool.name, StringField(function, "name"));
    FATHOM_ASSIGN_OR_RETURN(tool.description, StringField(function, "description"));
    auto parameters = function.find("parameters");
    if (parameters != function.end()) tool.parameters = *parameters;
    tools.push_back(std::move(tool));
  }
  return tools;
}

}  // namespace fathom::engine
