// libgit2 initialization and error translation.
#include "evals/git/git_handle.h"

#include <string>

namespace fathom::evals::git {

void EnsureLibgit2() { [[maybe_unused]] static const int initialized = git_libgit2_init(); }

base::Error GitError(std::string_view context, int code) {
  const git_error* last = git_error_last();
  std::string message(context);
  message += ": ";
  message += last != nullptr && last->message != nullptr ? last->message
                                                         : "libgit2 error " + std::to_string(code);
  switch (code) {
    case GIT_ENOTFOUND:
      return base::NotFoundError(std::move(message));
    case GIT_EEXISTS:
      return base::AlreadyExistsError(std::move(message));
    case GIT_EAMBIGUOUS:
      return base::InvalidArgumentError(std::move(message));
    default:
      return base::Error(base::ErrorCode::kUnknown, std::move(message));
  }
}

base::Status GitCheck(int code, std::string_view context) {
  if (code >= 0) return base::Ok();
  return GitError(context, code);
}

std::string OidHex(const git_oid& oid) {
  char hex[GIT_OID_HEXSZ + 1];
  return git_oid_tostr(hex, sizeof(hex), &oid);
}

base::Result<RepositoryHandle> OpenRepository(const std::filesystem::path& git_dir) {
  EnsureLibgit2();
  git_repository* repository = nullptr;
  FATHOM_TRY(GitCheck(
      git_repository_open_ext(&repository, git_dir.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr),
      "opening the git repository " + git_dir.string()));
  return RepositoryHandle(repository);
}

}  // namespace fathom::evals::git
