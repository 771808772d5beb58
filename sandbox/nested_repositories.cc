// FindNestedGitEntries: a breadth-limited recursive_directory_iterator walk.
#include "sandbox/nested_repositories.h"

#include <algorithm>

namespace fathom::sandbox {

namespace fs = std::filesystem;

std::vector<fs::path> FindNestedGitEntries(const fs::path& root, const NestedRepositoryScan& scan) {
  std::vector<fs::path> found;
  std::error_code error;
  fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, error);
  size_t directories = 0;
  for (const fs::recursive_directory_iterator end; !error && it != end; it.increment(error)) {
    const fs::directory_entry& entry = *it;
    const bool is_directory = entry.is_directory(error) && !entry.is_symlink(error);
    if (entry.path().filename() == ".git") {
      if (it.depth() > 0) found.push_back(entry.path());
      if (is_directory) it.disable_recursion_pending();
      continue;
    }
    if (!is_directory) continue;
    if (++directories > scan.max_directories) break;
    if (it.depth() + 1 >= scan.max_depth) it.disable_recursion_pending();
  }
  std::sort(found.begin(), found.end());
  return found;
}

}  // namespace fathom::sandbox
