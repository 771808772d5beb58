// JSON text exactly as DeepSeek's reference encoder writes it with Python's
// json.dumps(value, ensure_ascii=False): ", " and ": " separators, keys in insertion order,
// non-ASCII kept as is, floats as Python's repr. And a non-throwing parser into OrderedJson.
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"
#include "engine/conversation.h"

namespace fathom::engine {

// json.dumps(value, ensure_ascii=False).
std::string DumpPythonJson(const OrderedJson& value);

// Appends json.dumps(text, ensure_ascii=False): the quoted, escaped string.
void AppendPythonJsonString(std::string_view text, std::string& out);

// Parses one JSON document keeping key order; errors are kInvalidArgument with nlohmann's
// reason and byte offset.
base::Result<OrderedJson> ParseOrderedJson(std::string_view text);

}  // namespace fathom::engine
