#include "base/json.h"

#include <string>

#include "base/file.h"

namespace fathom::base {
namespace {

// nlohmann prefixes its messages with "[json.exception.parse_error.101] "; the reason follows.
std::string_view ReasonOf(const std::exception& error) {
  std::string_view what = error.what();
  if (what.starts_with('[')) {
    size_t end = what.find("] ");
    if (end != std::string_view::npos) what.remove_prefix(end + 2);
  }
  return what;
}

}  // namespace

Result<Json> ParseJson(std::string_view text) {
  try {
    return Json::parse(text);
  } catch (const Json::parse_error& error) {
    return InvalidArgumentError("invalid JSON at byte offset " + std::to_string(error.byte) + ": " +
                                std::string(ReasonOf(error)));
  } catch (const std::exception& error) {
    return InvalidArgumentError("invalid JSON: " + std::string(ReasonOf(error)));
  }
}

Result<Json> ReadJsonFile(const std::filesystem::path& path) {
  FATHOM_ASSIGN_OR_RETURN(std::string text, ReadFileToString(path));
  Result<Json> json = ParseJson(text);
  if (!json.ok()) return std::move(json).error().WithContext(path.string());
  return json;
}

}  // namespace fathom::base
