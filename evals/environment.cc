// Layout under the cache directory:
//   evals/builds/<key>/testbed    the built tree, copied into each run (cp -a keeps mtimes, so
//                                 make and ninja see nothing to redo)
//   evals/builds/<key>/setup.log  the setup's output
//   evals/work/<key>/             the run's work directory (testbed/, home/, support/, scripts)
//   evals/work/<key>.lock         flock held while a run uses it
#include "evals/environment.h"

#include <fcntl.h>
#include <sys/file.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "base/run_program.h"
#include "evals/fingerprint.h"

namespace fathom::evals {

namespace {

namespace fs = std::filesystem;

std::string RepoName(const std::string& repo) {
  const size_t slash = repo.rfind('/');
  return slash == std::string::npos ? repo : repo.substr(slash + 1);
}

base::Result<base::UniqueFd> LockFile(const fs::path& path) {
  base::UniqueFd fd(open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644));
  if (!fd.valid()) {
    return base::InternalError("opening " + path.string() + ": " + std::strerror(errno));
  }
  while (flock(fd.get(), LOCK_EX) != 0) {
    if (errno != EINTR) {
      return base::InternalError("locking " + path.string() + ": " + std::strerror(errno));
    }
  }
  return fd;
}

base::Status CopyTree(const fs::path& from, const fs::path& to) {
  return base::RunProgram({"cp", "-a", "--reflink=auto", from.string(), to.string()});
}

}  // namespace

std::string BuildCacheKey(const TaskInstance& instance, const Recipe& recipe,
                          const std::string& setup_script) {
  uint64_t hash = Fnv1a(recipe.repo);
  hash = Fnv1a(std::to_string(recipe.version), hash);
  hash = Fnv1a(instance.base_commit, hash);
  hash = Fnv1a(setup_script, hash);
  return RepoName(instance.repo) + "-" + instance.base_commit.substr(0, 12) + "-" + Hex64(hash);
}

base::Status RemoveTree(const fs::path& path) {
  std::error_code error;
  fs::remove_all(path, error);
  if (!error) return base::Ok();
  // Read-only directories a test suite left behind: make them writable, then try again.
  FATHOM_TRY(base::RunProgram({"chmod", "-R", "u+rwX", path.string()}));
  fs::remove_all(path, error);
  if (error) return base::InternalError("removing " + path.string() + ": " + error.message());
  return base::Ok();
}

base::Result<Environment> Environment::Open(EnvironmentOptions options) {
  std::error_code error;
  for (const char* directory : {"evals/builds", "evals/work"}) {
    fs::create_directories(options.cache_dir / directory, error);
    if (error) {
      return base::InternalError("creating " + (options.cache_dir / directory).string() + ": " +
                                 error.message());
    }
  }
  FATHOM_ASSIGN_OR_RETURN(
      git::RepositorySources sources,
      git::RepositorySources::Open(options.repos_dir, options.cache_dir / "evals/repos"));
  // Checkouts borrow objects from imported repositories and from bare directories used in place.
  const fs::path work = fs::weakly_canonical(options.cache_dir / "evals/work");
  for (const fs::path& store : {options.cache_dir / "evals/repos", options.repos_dir}) {
    const fs::path real = fs::weakly_canonical(store);
    const auto within = [](const fs::path& inner, const fs::path& outer) {
      const auto [end, _] = std::mismatch(outer.begin(), outer.end(), inner.begin(), inner.end());
      return end == outer.end();
    };
    if (!within(work, real) && !within(real, work)) options.sandbox.read_only_roots.push_back(real);
  }
  return Environment(std::move(options), std::move(sources));
}

base::Status Environment::CheckOut(const TaskInstance& instance, const fs::path& testbed) {
  FATHOM_ASSIGN_OR_RETURN(const fs::path bare, sources_.BareRepository(instance.repo));
  return git::CheckoutCommit(sources_, bare, instance.base_commit, testbed);
}

base::Status Environment::BuildAndCache(const TaskInstance& instance, const Recipe& recipe,
                                        const PreparedInstance& prepared, const fs::path& snapshot,
                                        const fs::path& log_dir) {
  const InstanceWorkdir& workdir = prepared.workdir;
  FATHOM_TRY(CheckOut(instance, workdir.testbed()));
  const fs::path script = workdir.root / "setup.sh";
  const fs::path output = workdir.root / "setup.log";
  FATHOM_TRY(base::WriteFileAtomically(script, prepared.scripts.setup));
  FATHOM_ASSIGN_OR_RETURN(
      sandbox::CommandResult run,
      RunScript(workdir, recipe, options_.sandbox, script, output, options_.setup_timeout));
  std::error_code error;
  fs::copy_file(output, log_dir / "setup.log", fs::copy_options::overwrite_existing, error);
  if (run.exit_code != 0) {
    return base::InternalError("building " + instance.repo + " at " + instance.base_commit +
                               " (the recipe's setup) failed: " + run.Summary() + "; see " +
                               (log_dir / "setup.log").string());
  }
  const fs::path partial = snapshot.string() + ".partial";
  FATHOM_TRY(RemoveTree(partial));
  fs::create_directories(snapshot.parent_path(), error);
  FATHOM_TRY(CopyTree(workdir.testbed(), partial));
  fs::copy_file(output, snapshot.parent_path() / "setup.log", fs::copy_options::overwrite_existing,
                error);
  fs::rename(partial, snapshot, error);
  if (error) return base::InternalError("caching the build: " + error.message());
  return base::Ok();
}

base::Result<PreparedInstance> Environment::Prepare(const TaskInstance& instance,
                                                    const Recipe& recipe, const fs::path& log_dir) {
  const auto started = std::chrono::steady_clock::now();
  // The key comes from the script as the dataset writes it, independent of where it runs.
  FATHOM_ASSIGN_OR_RETURN(const EvalScripts portable,
                          MakeEvalScripts(instance, recipe, "/testbed"));
  const std::string key = BuildCacheKey(instance, recipe, portable.setup);
  const fs::path work = options_.cache_dir / "evals/work";

  PreparedInstance prepared;
  FATHOM_ASSIGN_OR_RETURN(prepared.lock, LockFile(work / (key + ".lock")));
  prepared.workdir.root = work / key;
  FATHOM_TRY(RemoveTree(prepared.workdir.root));
  FATHOM_TRY(PrepareWorkdir(prepared.workdir, recipe));
  FATHOM_ASSIGN_OR_RETURN(prepared.scripts,
                          MakeEvalScripts(instance, recipe, prepared.workdir.testbed()));

  const fs::path snapshot = options_.cache_dir / "evals/builds" / key / "testbed";
  if (prepared.scripts.setup.empty()) {
    FATHOM_TRY(CheckOut(instance, prepared.workdir.testbed()));
  } else if (fs::is_directory(snapshot)) {
    FATHOM_TRY(CopyTree(snapshot, prepared.workdir.testbed()));
    prepared.build_cached = true;
  } else {
    FATHOM_TRY(BuildAndCache(instance, recipe, prepared, snapshot, log_dir));
  }
  prepared.prepare_time = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  return prepared;
}

base::Status Environment::Release(PreparedInstance prepared) {
  return RemoveTree(prepared.workdir.root);
}

}  // namespace fathom::evals
