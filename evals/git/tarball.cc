// ExtractTarball runs the system tar; FindGitDirectory looks one level down for a git directory.
#include "evals/git/tarball.h"

#include <string>
#include <vector>

#include "base/error.h"
#include "base/run_program.h"

namespace fathom::evals::git {
namespace {

namespace fs = std::filesystem;

bool IsGitDirectory(const fs::path& path) {
  std::error_code error;
  return fs::is_regular_file(path / "HEAD", error) && fs::is_directory(path / "objects", error) &&
         fs::is_directory(path / "refs", error);
}

}  // namespace

base::Status ExtractTarball(const fs::path& archive, const fs::path& destination) {
  return base::RunProgram({"tar", "-x", "-f", archive.string(), "-C", destination.string()});
}

base::Result<fs::path> FindGitDirectory(const fs::path& root) {
  std::vector<fs::path> found;
  if (IsGitDirectory(root)) found.push_back(root);
  std::error_code error;
  for (fs::directory_iterator it(root, error); !error && it != fs::directory_iterator();
       it.increment(error)) {
    std::error_code ignored;
    if (!it->is_directory(ignored) || it->is_symlink(ignored)) continue;
    if (IsGitDirectory(it->path())) found.push_back(it->path());
    if (IsGitDirectory(it->path() / ".git")) found.push_back(it->path() / ".git");
  }
  if (error) return base::ErrnoError("listing " + root.string(), error.value());
  if (found.empty()) return base::NotFoundError("no git directory in " + root.string());
  if (found.size() > 1) {
    return base::InvalidArgumentError("more than one git directory in " + root.string() + ": " +
                                      found[0].string() + ", " + found[1].string());
  }
  return found.front();
}

}  // namespace fathom::evals::git
