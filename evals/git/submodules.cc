// ListSubmodules: a pre-order walk of the tree for gitlinks, then one pass over the entries of
// .gitmodules ("submodule.<name>.path" / ".url"; a name may itself contain dots).
#include "evals/git/submodules.h"

#include <algorithm>
#include <map>

#include "evals/git/git_handle.h"

namespace fathom::evals::git {
namespace {

struct ModuleConfig {
  std::string path;
  std::string url;
};

int CollectGitlink(const char* root, const git_tree_entry* entry, void* payload) {
  if (git_tree_entry_type(entry) == GIT_OBJECT_COMMIT) {
    static_cast<std::map<std::string, git_oid>*>(payload)->emplace(
        std::string(root) + git_tree_entry_name(entry), *git_tree_entry_id(entry));
  }
  return 0;
}

// path -> commit for every gitlink of `commit`'s tree.
base::Result<std::map<std::string, git_oid>> Gitlinks(const git_commit& commit) {
  git_tree* tree_pointer = nullptr;
  FATHOM_TRY(GitCheck(git_commit_tree(&tree_pointer, &commit), "reading the commit's tree"));
  const TreeHandle tree(tree_pointer);
  std::map<std::string, git_oid> gitlinks;
  FATHOM_TRY(GitCheck(git_tree_walk(tree.get(), GIT_TREEWALK_PRE, CollectGitlink, &gitlinks),
                      "walking the commit's tree"));
  return gitlinks;
}

// name -> path and url, from the .gitmodules file `gitmodules`.
base::Result<std::map<std::string, ModuleConfig>> ReadGitmodules(
    const std::filesystem::path& gitmodules) {
  git_config* config_pointer = nullptr;
  FATHOM_TRY(GitCheck(git_config_open_ondisk(&config_pointer, gitmodules.c_str()),
                      "reading " + gitmodules.string()));
  const ConfigHandle config(config_pointer);
  git_config_iterator* iterator_pointer = nullptr;
  FATHOM_TRY(GitCheck(git_config_iterator_new(&iterator_pointer, config.get()),
                      "reading " + gitmodules.string()));
  const ConfigIteratorHandle iterator(iterator_pointer);
  std::map<std::string, ModuleConfig> modules;
  git_config_entry* entry = nullptr;
  int code = 0;
  while ((code = git_config_next(&entry, iterator.get())) == 0) {
    const std::string_view key = entry->name;
    const size_t dot = key.rfind('.');
    if (!key.starts_with("submodule.") || dot <= 10) continue;
    const std::string name(key.substr(10, dot - 10));
    const std::string_view variable = key.substr(dot + 1);
    if (variable == "path") modules[name].path = entry->value;
    if (variable == "url") modules[name].url = entry->value;
  }
  if (code != GIT_ITEROVER) return GitError("reading " + gitmodules.string(), code);
  return modules;
}

}  // namespace

base::Result<std::vector<Submodule>> ListSubmodules(const git_commit& commit,
                                                    const std::filesystem::path& gitmodules) {
  FATHOM_ASSIGN_OR_RETURN(const auto gitlinks, Gitlinks(commit));
  if (gitlinks.empty()) return std::vector<Submodule>();
  FATHOM_ASSIGN_OR_RETURN(const auto modules, ReadGitmodules(gitmodules));
  std::vector<Submodule> submodules;
  for (const auto& [path, target] : gitlinks) {
    const auto module = std::find_if(modules.begin(), modules.end(),
                                     [&](const auto& entry) { return entry.second.path == path; });
    if (module == modules.end() || module->second.url.empty()) {
      return base::NotFoundError("no url in .gitmodules for the submodule at " + path);
    }
    submodules.push_back({module->first, path, module->second.url, target});
  }
  return submodules;
}

}  // namespace fathom::evals::git
