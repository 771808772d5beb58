// LaunchPlan construction: argv/envp arrays and the execvp-style candidate list.
#include "sandbox/linux/launch_plan.h"

namespace fathom::sandbox::linux {

namespace {

std::vector<std::string> ExecutableCandidates(const std::string& program,
                                              const Environment& environment) {
  if (program.find('/') != std::string::npos) return {program};
  const auto path = environment.find("PATH");
  const std::string search = path == environment.end() ? std::string(kDefaultPath) : path->second;
  std::vector<std::string> candidates;
  size_t start = 0;
  while (start <= search.size()) {
    size_t end = search.find(':', start);
    if (end == std::string::npos) end = search.size();
    const std::string directory = search.substr(start, end - start);
    candidates.push_back((directory.empty() ? "." : directory) + "/" + program);
    start = end + 1;
  }
  return candidates;
}

}  // namespace

CStringArray::CStringArray(std::vector<std::string> strings) : strings_(std::move(strings)) {
  pointers_.reserve(strings_.size() + 1);
  for (std::string& string : strings_) pointers_.push_back(string.data());
  pointers_.push_back(nullptr);
}

LaunchPlan::LaunchPlan(std::vector<std::string> arguments, const Environment& environment)
    : argv(std::move(arguments)),
      envp(EnvironmentEntries(environment)),
      executable_candidates(ExecutableCandidates(argv.strings().at(0), environment)) {}

}  // namespace fathom::sandbox::linux
