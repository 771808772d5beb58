// Tarballs of git directories: extraction with the system `tar` (spawned with an argv, never a
// shell string) and the search for the one git directory an extracted tree holds. Stateless and
// thread-safe.
#pragma once

#include <filesystem>

#include "base/result.h"

namespace fathom::evals::git {

// Extracts `archive` (.tar, .tar.gz, .tgz: tar detects the compression) into the existing
// directory `destination`. A failed tar is an error carrying tar's exit status and stderr.
base::Status ExtractTarball(const std::filesystem::path& archive,
                            const std::filesystem::path& destination);

// The single git directory (a directory holding HEAD, objects/ and refs/) that is `root`, a
// directory directly inside it, or the .git of one. None or several: kNotFound / kInvalidArgument.
base::Result<std::filesystem::path> FindGitDirectory(const std::filesystem::path& root);

}  // namespace fathom::evals::git
