// The sandbox's init: a small program (fathom-sandbox-init) that the setup executes as pid 1 of
// the sandbox. It forks the command — which drops every capability, installs the seccomp program
// it was handed and executes — forwards SIGTERM to everything in the namespace, reaps, and
// reports the command's wait status; its exit makes the kernel kill whatever is left.
#pragma once

namespace fathom::sandbox::linux {

// argv: fathom-sandbox-init LAST_CAPABILITY -- COMMAND [ARGS...]; the command's environment is
// the init's. Descriptor 3 is the report pipe (init_report.h), 4 a memfd with the BPF program,
// 5 the init program itself (closed). Returns only on bad arguments (exit code 125).
int RunSandboxInit(int argc, char** argv);

}  // namespace fathom::sandbox::linux
