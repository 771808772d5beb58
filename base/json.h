// JSON values (nlohmann::json) and non-throwing parsers that turn parse failures into
// base::Error. Json is a value type; a Json object is thread-compatible (no shared state).
// The parsers are thread-safe.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string_view>

#include "base/result.h"

namespace fathom::base {

using Json = nlohmann::json;

// Parses one JSON document. Errors are kInvalidArgument and carry the byte offset of the
// failure and nlohmann's reason.
Result<Json> ParseJson(std::string_view text);

// Reads and parses the file at `path`; errors name the file.
Result<Json> ReadJsonFile(const std::filesystem::path& path);

}  // namespace fathom::base
