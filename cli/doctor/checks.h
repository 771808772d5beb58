// The checks `fathom doctor` runs. Each one measures something real on this machine (CPU
// features, /proc, the CUDA runtime, kernel probes, the linked tree-sitter grammars and SQLite)
// and returns a CheckResult. Checks share no state; sandbox probes fork, so run them first.
#pragma once

#include <vector>

#include "cli/doctor/check_result.h"
#include "sandbox/kernel_features.h"

namespace fathom::cli {

// host_checks.cc
CheckResult CheckCpu();
CheckResult CheckCores();
CheckResult CheckMemory(const sandbox::CgroupSupport& cgroups);

// sandbox_checks.cc: user namespaces, seccomp, no_new_privs and cgroups, in that order, then a
// real command run in the sandbox.
std::vector<CheckResult> CheckSandbox(const sandbox::KernelFeatures& features);

// library_checks.cc
CheckResult CheckCuda();
CheckResult CheckTreeSitter();
CheckResult CheckSqlite();

}  // namespace fathom::cli
