// The files a unified diff touches, read the way the official harness reads them: the test files
// to restore before the test patch (`--- a/` lines) and the test directives a Python test command
// takes (`diff --git ... b/` paths, minus non-test files such as .json or .png fixtures).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace fathom::evals {

// Paths of the files the diff modifies or deletes (they exist before it), in diff order.
std::vector<std::string> ModifiedFiles(std::string_view diff);

// Paths of every file the diff touches (the b/ side), minus SWE-bench's NON_TEST_EXTS (.json
// .png csv .txt .md .jpg .jpeg .pkl .yml .yaml .toml), in diff order.
std::vector<std::string> TestDirectives(std::string_view diff);

}  // namespace fathom::evals
