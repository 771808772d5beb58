// CheckoutCommit: a working copy of one commit of a bare repository, borrowing its objects, with
// submodules populated from the same RepositorySources in the layout the git CLI leaves. Safe to
// call from many threads for distinct destinations (RepositorySources is thread-safe).
#pragma once

#include <filesystem>
#include <string_view>

#include "base/result.h"
#include "evals/git/repository_sources.h"

namespace fathom::evals::git {

// Checks out `commit` (full or abbreviated hex) of the bare repository into `destination`
// (created; must not exist or be empty) as a normal non-bare repository whose object database
// borrows the bare one through objects/info/alternates (no copy), HEAD detached at the commit,
// index and working tree matching it exactly (executable bits included); if the bare repository
// is shallow, its `shallow` file is copied so `git log` works. Submodules of the commit are
// populated recursively at their pinned (gitlink) commits from `sources` in the layout
// `git submodule update --init` leaves (.git/modules/<name> git dir, a `.git` file in the
// submodule's directory, core.worktree relative, submodule.<name>.url in .git/config), so a later
// `git submodule update --init` fetches nothing and `cp -a` of the destination still works.
// A commit missing from the source: kNotFound naming the repository and commit. On failure the
// destination is left empty (or absent, when this call created it).
base::Status CheckoutCommit(RepositorySources& sources,
                            const std::filesystem::path& bare_repository, std::string_view commit,
                            const std::filesystem::path& destination);

}  // namespace fathom::evals::git
