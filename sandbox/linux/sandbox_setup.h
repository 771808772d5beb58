// The sandbox's setup, run by the first process of the new namespaces while fathom's launching
// thread waits (CLONE_VM | CLONE_VFORK, so nothing of fathom's memory is copied): joins the run's
// cgroup, maps its own ids, builds the root filesystem from the plan's mount steps, pivots into
// it, sets rlimits, then becomes the sandbox's init (sandbox_init.h) by exec. System calls only.
#pragma once

#include "sandbox/linux/launch_plan.h"

namespace fathom::sandbox::linux {

// Descriptor numbers inside the sandbox's init; 0-2 are stdio, 3 the report pipe.
inline constexpr int kSeccompDescriptor = 4;      // a memfd holding the command's BPF program
inline constexpr int kInitProgramDescriptor = 5;  // O_PATH descriptor of the init program

// What the clone child gets: the plan (read only) and the parent's descriptors to arrange.
struct SetupArguments {
  const LaunchPlan* plan = nullptr;
  int descriptors[6] = {-1, -1, -1, -1, -1, -1};  // stdin stdout stderr report seccomp init
  int above = 0;                                  // exceeds every descriptor number above
};

// The clone child's entry point (`arguments` is a SetupArguments*). Never returns: it executes
// the init, or reports what failed on the report pipe and exits 125.
int RunSandboxSetup(void* arguments) noexcept;

}  // namespace fathom::sandbox::linux
