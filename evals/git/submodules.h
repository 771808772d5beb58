// The submodules a commit pins: its gitlinks, named and given URLs by the .gitmodules file of
// its checkout. Read directly rather than through git_submodule_foreach, which in libgit2 1.5
// with PCRE2 leaks regex match data on every call. Stateless and thread-safe.
#pragma once

#include <git2.h>

#include <filesystem>
#include <string>
#include <vector>

#include "base/result.h"

namespace fathom::evals::git {

struct Submodule {
  std::string name;  // the .gitmodules subsection, also its path under .git/modules
  std::string path;  // where it sits in the working tree
  std::string url;
  git_oid commit;  // the gitlink: the commit it is pinned to
};

// The submodules pinned by `commit`'s tree, in path order, described by `gitmodules` (the
// .gitmodules of the checkout; it may be absent when the tree has no gitlinks). A gitlink with
// no .gitmodules entry or no url is kNotFound naming its path.
base::Result<std::vector<Submodule>> ListSubmodules(const git_commit& commit,
                                                    const std::filesystem::path& gitmodules);

}  // namespace fathom::evals::git
