// CheckoutCommit: for the repository and then each submodule, recursively: init the git
// directory (a separate one under .git/modules/<name> for submodules, with a relative gitlink),
// point objects/info/alternates at the bare source, check the commit's tree out and detach HEAD.
#include "evals/git/checkout.h"

#include <algorithm>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "base/file.h"
#include "evals/git/git_handle.h"
#include "evals/git/submodules.h"

namespace fathom::evals::git {
namespace {

namespace fs = std::filesystem;

// Where one repository of the checkout keeps its git directory and its working tree.
struct Layout {
  fs::path git_dir;
  fs::path worktree;
};

// The full id of `commit` (full or abbreviated hex) in the bare repository `bare`.
base::Result<git_oid> ResolveCommit(const fs::path& bare, std::string_view commit) {
  if (commit.size() < GIT_OID_MINPREFIXLEN || commit.size() > GIT_OID_HEXSZ ||
      commit.find_first_not_of("0123456789abcdefABCDEF") != std::string_view::npos) {
    return base::InvalidArgumentError("not a commit id: \"" + std::string(commit) + "\"");
  }
  FATHOM_ASSIGN_OR_RETURN(const RepositoryHandle repository, OpenRepository(bare));
  git_oid prefix;
  FATHOM_TRY(GitCheck(git_oid_fromstrn(&prefix, commit.data(), commit.size()), "parsing"));
  git_object* object = nullptr;
  const int code = git_object_lookup_prefix(&object, repository.get(), &prefix, commit.size(),
                                            GIT_OBJECT_COMMIT);
  if (code == GIT_ENOTFOUND) {
    return base::NotFoundError("the repository " + bare.string() + " has no commit " +
                               std::string(commit));
  }
  FATHOM_TRY(
      GitCheck(code, "looking up the commit " + std::string(commit) + " in " + bare.string()));
  const ObjectHandle owned(object);
  return *git_object_id(object);
}

// Creates `destination` or checks that it is an empty directory; true when it was created.
base::Result<bool> PrepareDestination(const fs::path& destination) {
  std::error_code error;
  if (fs::create_directories(destination, error)) return true;
  if (error) return base::ErrnoError("creating " + destination.string(), error.value());
  if (!fs::is_empty(destination, error) || error) {
    return base::FailedPreconditionError("the checkout destination " + destination.string() +
                                         " exists and is not an empty directory");
  }
  return false;
}

// Undoes a failed checkout: removes `destination` when this call created it, else its contents.
void ClearDestination(const fs::path& destination, bool created) {
  std::error_code error;
  if (created) {
    fs::remove_all(destination, error);
    return;
  }
  for (fs::directory_iterator it(destination, error); !error && it != fs::directory_iterator();
       it.increment(error)) {
    std::error_code ignored;
    fs::remove_all(it->path(), ignored);
  }
}

// An empty repository with `layout`; a git directory outside the working tree gets a relative
// gitlink (`.git` file) and a relative core.worktree, as `git submodule update` writes them.
base::Status InitRepository(const Layout& layout) {
  git_repository_init_options options = GIT_REPOSITORY_INIT_OPTIONS_INIT;
  options.flags = GIT_REPOSITORY_INIT_MKPATH | GIT_REPOSITORY_INIT_NO_REINIT |
                  GIT_REPOSITORY_INIT_NO_DOTGIT_DIR | GIT_REPOSITORY_INIT_RELATIVE_GITLINK;
  options.workdir_path = layout.worktree.c_str();
  git_repository* repository = nullptr;
  const int code = git_repository_init_ext(&repository, layout.git_dir.c_str(), &options);
  const RepositoryHandle owned(repository);
  return GitCheck(code, "creating the repository " + layout.git_dir.string());
}

// Points `git_dir`'s object database at the bare repository's objects and copies its shallow
// file, if any.
base::Status BorrowObjects(const fs::path& bare, const fs::path& git_dir) {
  FATHOM_TRY(base::WriteFileAtomically(git_dir / "objects/info/alternates",
                                       (bare / "objects").string() + "\n"));
  std::error_code error;
  if (!fs::exists(bare / "shallow", error)) return base::Ok();
  fs::copy_file(bare / "shallow", git_dir / "shallow", error);
  if (error) return base::ErrnoError("copying " + (bare / "shallow").string(), error.value());
  return base::Ok();
}

// Writes the tree of `commit` to the index and working tree and detaches HEAD at it.
base::Status CheckOutTree(git_repository& repository, const git_commit& commit) {
  git_checkout_options options = GIT_CHECKOUT_OPTIONS_INIT;
  options.checkout_strategy = GIT_CHECKOUT_FORCE;
  // A git_commit is a git_object (libgit2's documented upcast).
  FATHOM_TRY(GitCheck(
      git_checkout_tree(&repository, reinterpret_cast<const git_object*>(&commit), &options),
      "checking out the tree of " + OidHex(*git_commit_id(&commit))));
  return GitCheck(git_repository_set_head_detached(&repository, git_commit_id(&commit)),
                  "setting HEAD");
}

// Sets each (key, value) in the repository's own config.
base::Status SetConfig(git_repository& repository,
                       const std::vector<std::pair<std::string, std::string>>& settings) {
  git_config* config_pointer = nullptr;
  FATHOM_TRY(GitCheck(git_repository_config(&config_pointer, &repository), "opening the config"));
  const ConfigHandle config(config_pointer);
  for (const auto& [key, value] : settings) {
    FATHOM_TRY(GitCheck(git_config_set_string(config.get(), key.c_str(), value.c_str()),
                        "setting " + key));
  }
  return base::Ok();
}

// A submodule name used as a path under .git/modules must stay inside it (git's own rule).
bool IsSafeName(std::string_view name) {
  const fs::path path(name);
  if (name.empty() || path.is_absolute()) return false;
  return std::none_of(path.begin(), path.end(), [](const fs::path& part) { return part == ".."; });
}

base::Status Populate(RepositorySources& sources, const fs::path& bare, const git_oid& commit,
                      const Layout& layout, const std::string& origin_url);

// Registers `submodule` in `superproject`'s config (url, active: what `git submodule init`
// writes) and populates it from its source under `parent`'s .git/modules.
base::Status PopulateSubmodule(RepositorySources& sources, git_repository& superproject,
                               const Layout& parent, const Submodule& submodule) {
  if (!IsSafeName(submodule.name)) return base::InvalidArgumentError("an unsafe submodule name");
  FATHOM_ASSIGN_OR_RETURN(const fs::path bare, sources.BareRepository(submodule.url));
  FATHOM_TRY(ResolveCommit(bare, OidHex(submodule.commit)));
  const std::string section = "submodule." + submodule.name;
  FATHOM_TRY(
      SetConfig(superproject, {{section + ".url", submodule.url}, {section + ".active", "true"}}));
  const Layout layout{parent.git_dir / "modules" / submodule.name,
                      parent.worktree / submodule.path};
  return Populate(sources, bare, submodule.commit, layout, submodule.url);
}

// Fills the empty `layout` with `commit` of `bare`, then its submodules. A submodule's git
// directory gets the remote "origin" at `origin_url`, as a clone would.
base::Status Populate(RepositorySources& sources, const fs::path& bare, const git_oid& commit,
                      const Layout& layout, const std::string& origin_url) {
  FATHOM_TRY(InitRepository(layout));
  FATHOM_TRY(BorrowObjects(bare, layout.git_dir));
  FATHOM_ASSIGN_OR_RETURN(const RepositoryHandle repository, OpenRepository(layout.git_dir));
  if (!origin_url.empty()) {
    FATHOM_TRY(
        SetConfig(*repository, {{"remote.origin.url", origin_url},
                                {"remote.origin.fetch", "+refs/heads/*:refs/remotes/origin/*"}}));
  }
  git_commit* commit_pointer = nullptr;
  FATHOM_TRY(GitCheck(git_commit_lookup(&commit_pointer, repository.get(), &commit),
                      "reading the commit " + OidHex(commit)));
  const CommitHandle commit_object(commit_pointer);
  FATHOM_TRY(CheckOutTree(*repository, *commit_object));
  FATHOM_ASSIGN_OR_RETURN(const std::vector<Submodule> submodules,
                          ListSubmodules(*commit_object, layout.worktree / ".gitmodules"));
  for (const Submodule& submodule : submodules) {
    base::Status status = PopulateSubmodule(sources, *repository, layout, submodule);
    if (!status.ok()) {
      return std::move(status).error().WithContext("submodule " + submodule.name + " (" +
                                                   submodule.url + " at " +
                                                   OidHex(submodule.commit) + ")");
    }
  }
  return base::Ok();
}

}  // namespace

base::Status CheckoutCommit(RepositorySources& sources, const fs::path& bare_repository,
                            std::string_view commit, const fs::path& destination) {
  EnsureLibgit2();
  std::error_code error;
  const fs::path bare = fs::absolute(bare_repository, error);
  if (error) return base::ErrnoError("resolving " + bare_repository.string(), error.value());
  const fs::path root = fs::absolute(destination, error);
  if (error) return base::ErrnoError("resolving " + destination.string(), error.value());
  FATHOM_ASSIGN_OR_RETURN(const git_oid oid, ResolveCommit(bare, commit));
  FATHOM_ASSIGN_OR_RETURN(const bool created, PrepareDestination(root));
  base::Status status = Populate(sources, bare, oid, Layout{root / ".git", root}, "");
  if (status.ok()) return base::Ok();
  ClearDestination(root, created);
  return std::move(status).error().WithContext("checking out " + std::string(commit) + " into " +
                                               root.string());
}

}  // namespace fathom::evals::git
