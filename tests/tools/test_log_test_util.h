// Helpers for the log-parser tests: read a captured log from tests/tools/testdata/ (sources in
// its README.md) and parse it with a named parser. A missing file or a parser error fails the
// calling test and yields an empty result.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <string_view>

#include "base/file.h"
#include "tools/test_log/test_log_parser.h"

namespace fathom::tools::testdata {

inline std::string ReadLog(std::string_view file) {
  const std::filesystem::path path =
      std::filesystem::path(FATHOM_SOURCE_DIR) / "tests/tools/testdata" / file;
  base::Result<std::string> text = base::ReadFileToString(path);
  if (!text.ok()) {
    ADD_FAILURE() << text.error();
    return "";
  }
  return *std::move(text);
}

inline TestStatusMap Parse(std::string_view parser, std::string_view log) {
  base::Result<TestStatusMap> statuses = ParseTestLog(parser, log);
  if (!statuses.ok()) {
    ADD_FAILURE() << statuses.error();
    return {};
  }
  return *std::move(statuses);
}

inline TestStatusMap ParseLogFile(std::string_view parser, std::string_view file) {
  return Parse(parser, ReadLog(file));
}

// `text` with every "\n" written as "\r\n", as a Windows-style capture would have it.
inline std::string WithCrlf(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

}  // namespace fathom::tools::testdata
