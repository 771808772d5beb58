// RAII owners of libgit2 handles (one unique_ptr alias per handle type), the one place that turns
// a failed libgit2 call into a base::Error, and the process-wide git_libgit2_init. Handles are
// move-only and follow libgit2's rules: one handle is not shared between threads without a lock.
#pragma once

#include <git2.h>

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "base/result.h"

namespace fathom::evals::git {

template <typename T, void (*Free)(T*)>
struct GitFree {
  void operator()(T* handle) const { Free(handle); }
};

using RepositoryHandle =
    std::unique_ptr<git_repository, GitFree<git_repository, git_repository_free>>;
using ObjectHandle = std::unique_ptr<git_object, GitFree<git_object, git_object_free>>;
using ConfigHandle = std::unique_ptr<git_config, GitFree<git_config, git_config_free>>;
using ConfigIteratorHandle =
    std::unique_ptr<git_config_iterator, GitFree<git_config_iterator, git_config_iterator_free>>;
using CommitHandle = std::unique_ptr<git_commit, GitFree<git_commit, git_commit_free>>;
using TreeHandle = std::unique_ptr<git_tree, GitFree<git_tree, git_tree_free>>;
using OdbHandle = std::unique_ptr<git_odb, GitFree<git_odb, git_odb_free>>;

// Initializes libgit2 on first use (never shut down); every entry point of this folder calls it.
void EnsureLibgit2();

// An Error for the libgit2 return code `code` (< 0): "context: <git_error_last message>", with
// GIT_ENOTFOUND as kNotFound, GIT_EEXISTS as kAlreadyExists, GIT_EAMBIGUOUS as kInvalidArgument.
base::Error GitError(std::string_view context, int code);

// Ok when `code` >= 0, else GitError(context, code).
base::Status GitCheck(int code, std::string_view context);

// The 40-digit hex of `oid`.
std::string OidHex(const git_oid& oid);

// Opens the git directory `git_dir` (bare or not) without searching upwards.
base::Result<RepositoryHandle> OpenRepository(const std::filesystem::path& git_dir);

}  // namespace fathom::evals::git
