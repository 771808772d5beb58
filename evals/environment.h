// Environment: gives each graded run a fresh testbed at the instance's base_commit, built by the
// recipe's setup steps, without Docker. Checkouts come from the --repos sources (evals/git); the
// built tree is cached per (repo, commit, recipe, setup script), so a second run of the same
// instance only copies it. A testbed always lives at the same path for a given cache key, because
// build trees (CMake caches, configure results) record absolute paths.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>

#include "base/file.h"
#include "base/result.h"
#include "evals/eval_script.h"
#include "evals/git/checkout.h"
#include "evals/git/repository_sources.h"
#include "evals/instance_sandbox.h"
#include "evals/recipe.h"
#include "evals/task.h"

namespace fathom::evals {

struct EnvironmentOptions {
  std::filesystem::path repos_dir;  // --repos: bundles, bare repositories, tarballs
  std::filesystem::path cache_dir;  // imported repositories, build snapshots, work directories
  SandboxSettings sandbox;
  std::chrono::seconds setup_timeout{3600};
};

// A testbed ready for grading. Holds the work directory's lock until destroyed.
struct PreparedInstance {
  InstanceWorkdir workdir;
  EvalScripts scripts;
  bool build_cached = false;  // the build came from the cache (no setup ran)
  std::chrono::milliseconds prepare_time{0};
  base::UniqueFd lock;
};

class Environment {
 public:
  static base::Result<Environment> Open(EnvironmentOptions options);

  // A fresh testbed for `instance`; the setup's log goes to `log_dir`/setup.log when it runs.
  // Blocks while another run (in this or another process) uses the same work directory.
  // Thread-safe.
  base::Result<PreparedInstance> Prepare(const TaskInstance& instance, const Recipe& recipe,
                                         const std::filesystem::path& log_dir);

  // Deletes the testbed of a finished run (the build cache stays) and releases its lock.
  base::Status Release(PreparedInstance prepared);

  const EnvironmentOptions& options() const { return options_; }

 private:
  Environment(EnvironmentOptions options, git::RepositorySources sources)
      : options_(std::move(options)), sources_(std::move(sources)) {}

  base::Status CheckOut(const TaskInstance& instance, const std::filesystem::path& testbed);
  base::Status BuildAndCache(const TaskInstance& instance, const Recipe& recipe,
                             const PreparedInstance& prepared,
                             const std::filesystem::path& snapshot,
                             const std::filesystem::path& log_dir);

  EnvironmentOptions options_;
  git::RepositorySources sources_;
};

// The cache key of an instance's build: "<name>-<commit prefix>-<hash of recipe and setup>".
std::string BuildCacheKey(const TaskInstance& instance, const Recipe& recipe,
                          const std::string& setup_script);

// Removes `path` and everything under it, even read-only directories a test suite left behind.
base::Status RemoveTree(const std::filesystem::path& path);

}  // namespace fathom::evals
