// Installing a seccomp-bpf program that is already compiled: two system calls, no allocation, so
// it is safe between fork and exec. Split from seccomp_filter.h so the sandbox's init links
// nothing but libc for it.
#pragma once

#include <linux/filter.h>

#include <cstddef>

namespace fathom::sandbox::linux {

// Sets no_new_privs and installs `count` BPF instructions on the calling thread. Returns 0 or an
// errno.
int InstallSeccompInstructions(const sock_filter* instructions, size_t count) noexcept;

}  // namespace fathom::sandbox::linux
