// Readers for the small text files the kernel exposes under /proc and /sys (sysctls, cgroup
// interface files): whole-file reads, word splitting and integer parsing. Stateless functions,
// thread-safe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace fathom::sandbox {

// The file's content without surrounding whitespace.
base::Result<std::string> ReadTrimmedFile(const std::filesystem::path& path);

// The decimal integer the file holds (a sysctl such as /proc/sys/user/max_user_namespaces), or
// nullopt when the file is missing or holds something else.
std::optional<int64_t> ReadIntegerFile(const std::filesystem::path& path);

// `text` split at any of `separators`, empty pieces dropped.
std::vector<std::string> SplitWords(std::string_view text, std::string_view separators = " \t\n");

// "a, b, c"; "none" for an empty list.
std::string JoinOrNone(const std::vector<std::string>& words);

}  // namespace fathom::sandbox
