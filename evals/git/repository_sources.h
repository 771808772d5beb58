// RepositorySources: the --repos directory of repository sources (git bundles, bare git
// directories, tarballs of them) and the cache directory of the bare repositories imported from
// them. Thread-safe: parallel workers may ask for the same repository; it is imported once.
#pragma once

#include <filesystem>
#include <memory>
#include <string_view>

#include "base/result.h"

namespace fathom::evals::git {

class RepositorySources {
 public:
  // sources_dir: the --repos directory (must exist). cache_dir: where imported bare repositories
  // are kept (created).
  static base::Result<RepositorySources> Open(std::filesystem::path sources_dir,
                                              std::filesystem::path cache_dir);

  RepositorySources(RepositorySources&&) noexcept;
  RepositorySources& operator=(RepositorySources&&) noexcept;
  ~RepositorySources();

  // The bare git directory for `repo_or_url` — "owner/name" (a dataset's repo field) or a
  // submodule URL — importing the source into cache_dir on first use. Matching is by the last
  // name component ("jq" for "jqlang/jq" or ".../kkos/oniguruma.git"): a source whose file name,
  // without .bundle/.tar.gz/.tgz/.tar/.git, equals it or starts with it followed by '-'
  // (sympy-lite.git.tar.gz serves sympy/sympy); an exact name wins over a '-' match. No match:
  // kNotFound naming what was looked for and in which directory. A bare directory source is used
  // in place. An import happens once (into a temp dir, renamed into place when complete); a later
  // process reuses it while the source's path, size and mtime are unchanged.
  base::Result<std::filesystem::path> BareRepository(std::string_view repo_or_url);

 private:
  struct Imports;

  RepositorySources(std::filesystem::path sources_dir, std::filesystem::path cache_dir);

  // The source file or directory that serves the repository named `name`.
  base::Result<std::filesystem::path> FindSource(std::string_view name) const;
  // The bare repository for `source`: the cached import when current, else a fresh import.
  base::Result<std::filesystem::path> Materialize(const std::filesystem::path& source) const;

  std::filesystem::path sources_dir_;
  std::filesystem::path cache_dir_;
  std::unique_ptr<Imports> imports_;
};

}  // namespace fathom::evals::git
