// RunProgram: runs a trusted helper program (cp, tar, chmod) to completion, unsandboxed, with an
// argv (never a shell string). For tools fathom itself uses on its own files; anything from a
// repository, a prediction or a model runs in the sandbox instead.
#pragma once

#include <string>
#include <vector>

#include "base/result.h"

namespace fathom::base {

// Runs `argv` (argv[0] looked up in PATH) to completion with stdin from /dev/null. A non-zero exit
// is an error carrying the command and the start of what it wrote to stdout and stderr.
Status RunProgram(const std::vector<std::string>& argv);

}  // namespace fathom::base
