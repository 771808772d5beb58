// Imports a git bundle (the "# v2 git bundle" format `git bundle create` writes) into a new bare
// repository: libgit2 cannot read bundles, so the header is parsed here and the pack after it is
// streamed into the repository's object database. Stateless; thread-safe for distinct targets.
#pragma once

#include <filesystem>

#include "base/result.h"

namespace fathom::evals::git {

// Creates the bare repository `git_dir` (must not exist) holding every object and ref of
// `bundle`, with HEAD detached at the bundle's HEAD when it names one. Errors: not a v2 bundle
// or a malformed header (kInvalidArgument), prerequisite commits (kFailedPrecondition: only a
// complete bundle can stand alone), a truncated or corrupt pack (kDataLoss). Each names the bundle;
// after a failure `git_dir` may hold a partial repository, for the caller to remove.
base::Status ImportBundle(const std::filesystem::path& bundle,
                          const std::filesystem::path& git_dir);

}  // namespace fathom::evals::git
