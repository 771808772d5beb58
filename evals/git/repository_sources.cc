// RepositorySources: source matching by name, and the import cache. An import is built in a
// fresh temp dir under cache_dir, stamped with the source's identity (path, size, mtime), and
// renamed into place; a stamp that matches the source means the cached import is current.
#include "evals/git/repository_sources.h"

#include <stdlib.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "base/file.h"
#include "evals/git/bundle.h"
#include "evals/git/git_handle.h"
#include "evals/git/tarball.h"

namespace fathom::evals::git {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kStampFile = "fathom-source";
constexpr std::string_view kArchiveSuffixes[] = {".bundle", ".tar.gz", ".tgz", ".tar"};

// "jq" for "jqlang/jq", "oniguruma" for "https://github.com/kkos/oniguruma.git/".
std::string_view LastComponent(std::string_view repo_or_url) {
  while (repo_or_url.ends_with('/')) repo_or_url.remove_suffix(1);
  const size_t separator = repo_or_url.find_last_of("/:");
  if (separator != std::string_view::npos) repo_or_url.remove_prefix(separator + 1);
  if (repo_or_url.ends_with(".git")) repo_or_url.remove_suffix(4);
  return repo_or_url;
}

// The repository name a source entry offers ("sympy-lite" for sympy-lite.git.tar.gz), or nothing
// for a file that is not a source.
std::optional<std::string> SourceName(const fs::directory_entry& entry) {
  std::error_code error;
  std::string name = entry.path().filename().string();
  if (!entry.is_directory(error)) {
    const auto suffix = std::find_if(std::begin(kArchiveSuffixes), std::end(kArchiveSuffixes),
                                     [&](std::string_view s) { return name.ends_with(s); });
    if (suffix == std::end(kArchiveSuffixes)) return std::nullopt;
    name.resize(name.size() - suffix->size());
  }
  if (name.ends_with(".git")) name.resize(name.size() - 4);
  if (name.empty()) return std::nullopt;
  return name;
}

// The identity of `source` that decides whether a cached import is current.
base::Result<std::string> Stamp(const fs::path& source) {
  std::error_code error;
  const std::uintmax_t size = fs::file_size(source, error);
  if (error) return base::ErrnoError("stat " + source.string(), error.value());
  const fs::file_time_type mtime = fs::last_write_time(source, error);
  if (error) return base::ErrnoError("stat " + source.string(), error.value());
  return source.string() + "\n" + std::to_string(size) + "\n" +
         std::to_string(mtime.time_since_epoch().count()) + "\n";
}

bool IsCurrent(const fs::path& git_dir, const std::string& stamp) {
  base::Result<std::string> existing = base::ReadFileToString(git_dir / kStampFile);
  return existing.ok() && *existing == stamp;
}

// A fresh directory under `parent`, removed with its contents when this goes out of scope.
class TempDir {
 public:
  static base::Result<TempDir> Create(const fs::path& parent, const std::string& prefix) {
    std::string pattern = (parent / (prefix + "XXXXXX")).string();
    if (::mkdtemp(pattern.data()) == nullptr) return base::ErrnoError("mkdtemp " + pattern, errno);
    return TempDir(pattern);
  }
  TempDir(TempDir&& other) noexcept : path_(std::exchange(other.path_, {})) {}
  TempDir& operator=(TempDir&&) = delete;
  ~TempDir() {
    std::error_code ignored;
    if (!path_.empty()) fs::remove_all(path_, ignored);
  }
  const fs::path& path() const { return path_; }

 private:
  explicit TempDir(fs::path path) : path_(std::move(path)) {}
  fs::path path_;
};

// Imports `source` (a bundle or a tarball) under `work`; returns the git directory it made.
base::Result<fs::path> ImportInto(const fs::path& source, const fs::path& work) {
  if (source.extension() == ".bundle") {
    FATHOM_TRY(ImportBundle(source, work / "import.git"));
    return work / "import.git";
  }
  const fs::path extracted = work / "extracted";
  std::error_code error;
  if (!fs::create_directory(extracted, error)) {
    return base::ErrnoError("creating " + extracted.string(), error.value());
  }
  FATHOM_TRY(ExtractTarball(source, extracted));
  return FindGitDirectory(extracted);
}

// Moves the finished import `git_dir` to `target`, first moving a stale `target` into `work`.
// Another process may have installed a current import meanwhile; that one is kept.
base::Status Install(const fs::path& git_dir, const fs::path& target, const fs::path& work,
                     const std::string& stamp) {
  if (IsCurrent(target, stamp)) return base::Ok();
  if (::rename(target.c_str(), (work / "stale").c_str()) != 0 && errno != ENOENT) {
    return base::ErrnoError("moving aside the stale import " + target.string(), errno);
  }
  if (::rename(git_dir.c_str(), target.c_str()) == 0) return base::Ok();
  const int error = errno;
  if ((error == ENOTEMPTY || error == EEXIST) && IsCurrent(target, stamp)) return base::Ok();
  return base::ErrnoError("renaming " + git_dir.string() + " to " + target.string(), error);
}

}  // namespace

// Per-source import state: a map entry per source path, each with its own lock, so different
// sources import in parallel and one source imports once.
struct RepositorySources::Imports {
  struct Entry {
    std::mutex mutex;
    std::optional<fs::path> bare_repository;
  };
  std::mutex mutex;
  std::map<fs::path, std::unique_ptr<Entry>> entries;

  Entry& For(const fs::path& source) {
    const std::lock_guard lock(mutex);
    std::unique_ptr<Entry>& entry = entries[source];
    if (entry == nullptr) entry = std::make_unique<Entry>();
    return *entry;
  }
};

RepositorySources::RepositorySources(fs::path sources_dir, fs::path cache_dir)
    : sources_dir_(std::move(sources_dir)),
      cache_dir_(std::move(cache_dir)),
      imports_(std::make_unique<Imports>()) {}

RepositorySources::RepositorySources(RepositorySources&&) noexcept = default;
RepositorySources& RepositorySources::operator=(RepositorySources&&) noexcept = default;
RepositorySources::~RepositorySources() = default;

base::Result<RepositorySources> RepositorySources::Open(fs::path sources_dir, fs::path cache_dir) {
  std::error_code error;
  sources_dir = fs::absolute(sources_dir, error);
  if (error || !fs::is_directory(sources_dir, error)) {
    return base::NotFoundError("the repository sources directory " + sources_dir.string() +
                               " does not exist");
  }
  cache_dir = fs::absolute(cache_dir, error);
  fs::create_directories(cache_dir, error);
  if (error) return base::ErrnoError("creating " + cache_dir.string(), error.value());
  return RepositorySources(std::move(sources_dir), std::move(cache_dir));
}

base::Result<fs::path> RepositorySources::BareRepository(std::string_view repo_or_url) {
  base::Result<fs::path> source = FindSource(LastComponent(repo_or_url));
  if (!source.ok()) return std::move(source).error().WithContext(repo_or_url);
  Imports::Entry& entry = imports_->For(*source);
  const std::lock_guard lock(entry.mutex);
  if (!entry.bare_repository.has_value()) {
    base::Result<fs::path> bare = Materialize(*source);
    if (!bare.ok()) return std::move(bare).error().WithContext(repo_or_url);
    entry.bare_repository = *std::move(bare);
  }
  return *entry.bare_repository;
}

base::Result<fs::path> RepositorySources::FindSource(std::string_view name) const {
  if (name.empty()) return base::InvalidArgumentError("an empty repository name");
  std::vector<fs::path> exact;
  std::vector<fs::path> prefixed;
  std::error_code error;
  for (fs::directory_iterator it(sources_dir_, error); !error && it != fs::directory_iterator();
       it.increment(error)) {
    const std::optional<std::string> offered = SourceName(*it);
    if (!offered.has_value()) continue;
    if (*offered == name) exact.push_back(it->path());
    if (offered->starts_with(std::string(name) + "-")) prefixed.push_back(it->path());
  }
  if (error) return base::ErrnoError("listing " + sources_dir_.string(), error.value());
  std::vector<fs::path>& matches = exact.empty() ? prefixed : exact;
  if (matches.empty()) {
    return base::NotFoundError("no source for the repository \"" + std::string(name) + "\" in " +
                               sources_dir_.string() + " (looked for " + std::string(name) +
                               "[-*].bundle, .tar.gz, .tgz, .tar or a bare git directory)");
  }
  if (matches.size() > 1) {
    std::sort(matches.begin(), matches.end());
    return base::InvalidArgumentError("more than one source for the repository \"" +
                                      std::string(name) + "\" in " + sources_dir_.string() + ": " +
                                      matches[0].filename().string() + ", " +
                                      matches[1].filename().string());
  }
  return matches.front();
}

base::Result<fs::path> RepositorySources::Materialize(const fs::path& source) const {
  std::error_code error;
  if (fs::is_directory(source, error)) {
    FATHOM_ASSIGN_OR_RETURN(const RepositoryHandle repository, OpenRepository(source));
    return fs::path(git_repository_path(repository.get())).parent_path();
  }
  const std::string name = SourceName(fs::directory_entry(source, error)).value_or("repository");
  const fs::path target = cache_dir_ / (name + ".git");
  FATHOM_ASSIGN_OR_RETURN(const std::string stamp, Stamp(source));
  if (IsCurrent(target, stamp)) return target;

  FATHOM_ASSIGN_OR_RETURN(const TempDir work, TempDir::Create(cache_dir_, ".import-" + name + "-"));
  FATHOM_ASSIGN_OR_RETURN(const fs::path git_dir, ImportInto(source, work.path()));
  FATHOM_TRY(base::WriteFileAtomically(git_dir / kStampFile, stamp));
  FATHOM_TRY(Install(git_dir, target, work.path(), stamp));
  return target;
}

}  // namespace fathom::evals::git
