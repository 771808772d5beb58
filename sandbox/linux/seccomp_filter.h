// The sandbox's seccomp-bpf filter: built with libseccomp into a plain BPF program (in the parent,
// where allocation is safe) and installed with two system calls (in the child, before exec).
// A SeccompProgram owns its instructions and is immutable; building is thread-safe, installing
// affects only the calling thread and its future children.
#pragma once

#include <linux/filter.h>

#include <utility>
#include <vector>

#include "base/result.h"
#include "sandbox/linux/seccomp_install.h"

namespace fathom::sandbox::linux {

struct SeccompFilterOptions {
  // Whether socket()/socketpair() may create AF_INET and AF_INET6 sockets. AF_UNIX is always
  // allowed; every other family (netlink, packet, vsock, ...) is always denied.
  bool allow_network = false;
};

// What the filter does, for the x86_64 native architecture:
//  - default: allow;
//  - EPERM: ptrace, process_vm_readv/writev, io_uring_*, the mount family (old and new API),
//    pivot_root, chroot, unshare, setns, keyctl/add_key/request_key, bpf, perf_event_open,
//    kexec_*, module loading, userfaultfd, open_by_handle_at/name_to_handle_at, pidfd_getfd;
//    socket()/socketpair() of a family outside the allowed ones (compared on all 64 bits, so a
//    family with high bits set is denied too); ioctl TIOCSTI/TIOCLINUX (compared on the low 32
//    bits, which are all the kernel reads); clone() with any namespace flag;
//    chmod/fchmod/fchmodat/fchmodat2, creat, mknod/mknodat, and open/openat with O_CREAT or
//    O_TMPFILE, when the mode has the setuid or setgid bit (such a file would keep the bit on the
//    host, where the workspace is not mounted nosuid);
//  - ENOSYS: clone3, whose flags sit behind a pointer the filter cannot read, so libc falls back
//    to clone(), whose flags it can; openat2, whose mode sits behind a pointer too.
// Other architectures: only the native architecture is added to the filter, and the filter's
// bad-architecture action is SECCOMP_RET_KILL_PROCESS. So i386 system calls (int 0x80) and x32
// system calls (number | 0x40000000, which share AUDIT_ARCH_X86_64 and which libseccomp's x86_64
// code sends to the bad-architecture action) kill the process. Adding the x86/x32 arches instead
// would give them the filter's default action, allow, since a filter has one default for all.
class SeccompProgram {
 public:
  static base::Result<SeccompProgram> Build(const SeccompFilterOptions& options);

  const std::vector<sock_filter>& instructions() const { return instructions_; }

  // The filter denies mount, pivot_root and unshare, so the launcher installs it last in the
  // child, after building the namespaces and the root, just before exec.
  // Sets no_new_privs and installs the filter on the calling thread. Only system calls, no
  // allocation: safe in a child forked from a multi-threaded parent. Returns 0 or an errno.
  int InstallRaw() const;

 private:
  explicit SeccompProgram(std::vector<sock_filter> instructions)
      : instructions_(std::move(instructions)) {}

  std::vector<sock_filter> instructions_;
};

// Builds the filter for `options`, sets no_new_privs and installs it on the calling thread.
base::Status InstallSeccompFilter(const SeccompFilterOptions& options);

}  // namespace fathom::sandbox::linux
