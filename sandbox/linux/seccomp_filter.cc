#include "sandbox/linux/seccomp_filter.h"

#include <fcntl.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <seccomp.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "base/file.h"

namespace fathom::sandbox::linux {

namespace {

struct SeccompContextDeleter {
  void operator()(void* context) const { seccomp_release(context); }
};
using SeccompContext = std::unique_ptr<void, SeccompContextDeleter>;

// System calls that fail with EPERM whatever their arguments.
constexpr std::string_view kDeniedSyscalls[] = {
    // Reading or changing other processes.
    "ptrace", "process_vm_readv", "process_vm_writev", "pidfd_getfd",
    // io_uring performs system calls (socket, connect, openat) the filter never sees.
    "io_uring_setup", "io_uring_enter", "io_uring_register",
    // Changing the file system layout, old and new mount API.
    "mount", "umount2", "pivot_root", "chroot", "fsopen", "fsconfig", "fsmount", "fspick",
    "move_mount", "open_tree", "mount_setattr",
    // Entering or creating namespaces (clone() is checked by flags below).
    "unshare", "setns",
    // Kernel attack surface the sandboxed commands have no business with.
    "keyctl", "add_key", "request_key", "bpf", "perf_event_open", "userfaultfd", "kexec_load",
    "kexec_file_load", "init_module", "finit_module", "delete_module",
    // File handles bypass path lookup, and so the mount-based view of the file system.
    "open_by_handle_at", "name_to_handle_at"};

// Flags that make clone() create namespaces. CLONE_NEWTIME is absent: for clone() its bit is
// part of the exit signal, and the kernel accepts it only from clone3() and unshare().
constexpr uint64_t kNamespaceCloneFlags[] = {CLONE_NEWNS,  CLONE_NEWCGROUP, CLONE_NEWUTS,
                                             CLONE_NEWIPC, CLONE_NEWUSER,   CLONE_NEWPID,
                                             CLONE_NEWNET};

// Terminal ioctls that push input into, or act on, the controlling terminal.
constexpr uint64_t kDeniedIoctls[] = {TIOCSTI, TIOCLINUX};

constexpr uint64_t kLow32Bits = 0xffffffffu;

// libseccomp's SCMP_A* macros are C compound literals, which -Wpedantic rejects in C++.
scmp_arg_cmp Compare(unsigned int argument, scmp_compare op, uint64_t datum_a,
                     uint64_t datum_b = 0) {
  return scmp_arg_cmp{argument, op, datum_a, datum_b};
}

base::Status Check(int result, std::string_view what) {
  if (result == 0) return base::Ok();
  return base::ErrnoError(what, -result);
}

base::Status Deny(const SeccompContext& context, int syscall, std::string_view what,
                  const scmp_arg_cmp& comparison) {
  return Check(seccomp_rule_add(context.get(), SCMP_ACT_ERRNO(EPERM), syscall, 1, comparison),
               what);
}

base::Status DenySyscalls(const SeccompContext& context) {
  for (std::string_view name : kDeniedSyscalls) {
    const std::string name_string(name);
    const int number = seccomp_syscall_resolve_name(name_string.c_str());
    if (number == __NR_SCMP_ERROR) {
      return base::InternalError("libseccomp does not know the system call " + name_string);
    }
    FATHOM_TRY(Check(seccomp_rule_add(context.get(), SCMP_ACT_ERRNO(EPERM), number, 0),
                     "seccomp_rule_add(" + name_string + ")"));
  }
  return base::Ok();
}

// Denies `syscall` (socket or socketpair) unless its first argument, compared on all 64 bits,
// is one of `allowed`, given in increasing order: below the first, in each gap, above the last.
template <size_t kCount>
base::Status DenyOtherFamilies(const SeccompContext& context, int syscall,
                               const int (&allowed)[kCount]) {
  const std::string what = "seccomp_rule_add(socket family)";
  FATHOM_TRY(Deny(context, syscall, what, Compare(0, SCMP_CMP_LT, uint64_t(allowed[0]))));
  for (size_t i = 0; i + 1 < kCount; ++i) {
    for (int family = allowed[i] + 1; family < allowed[i + 1]; ++family) {
      FATHOM_TRY(Deny(context, syscall, what, Compare(0, SCMP_CMP_EQ, uint64_t(family))));
    }
  }
  return Deny(context, syscall, what, Compare(0, SCMP_CMP_GT, uint64_t(allowed[kCount - 1])));
}

base::Status DenySocketFamilies(const SeccompContext& context, bool allow_network) {
  static constexpr int kLocalOnly[] = {AF_UNIX};
  static constexpr int kWithNetwork[] = {AF_UNIX, AF_INET, AF_INET6};
  for (int syscall : {SCMP_SYS(socket), SCMP_SYS(socketpair)}) {
    FATHOM_TRY(allow_network ? DenyOtherFamilies(context, syscall, kWithNetwork)
                             : DenyOtherFamilies(context, syscall, kLocalOnly));
  }
  return base::Ok();
}

base::Status DenyTerminalInjection(const SeccompContext& context) {
  for (uint64_t request : kDeniedIoctls) {
    FATHOM_TRY(Deny(context, SCMP_SYS(ioctl), "seccomp_rule_add(ioctl)",
                    Compare(1, SCMP_CMP_MASKED_EQ, kLow32Bits, request)));
  }
  return base::Ok();
}

base::Status DenyNamespaceClones(const SeccompContext& context) {
  for (uint64_t flag : kNamespaceCloneFlags) {
    FATHOM_TRY(Deny(context, SCMP_SYS(clone), "seccomp_rule_add(clone)",
                    Compare(0, SCMP_CMP_MASKED_EQ, flag, flag)));
  }
  return Check(seccomp_rule_add(context.get(), SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0),
               "seccomp_rule_add(clone3)");
}

// Setuid and setgid bits set inside would survive on the host, where the workspace is not nosuid:
// chmod-family calls and file creation with either bit are refused; openat2, whose mode sits
// behind a pointer, reports ENOSYS so libc and programs fall back to openat.
base::Status DenySetuidBits(const SeccompContext& context) {
  // fchmodat2 (Linux 6.6) is newer than Debian 12's kernel headers; this is its x86_64 number.
  constexpr int kFchmodat2 = 452;
  struct ModeArgument {
    int syscall;
    unsigned int mode_argument;
    int flags_argument;  // -1: the call always creates (or changes) with this mode
  };
  static const ModeArgument kCalls[] = {
      {SCMP_SYS(chmod), 1, -1},   {SCMP_SYS(fchmod), 1, -1}, {SCMP_SYS(fchmodat), 2, -1},
      {kFchmodat2, 2, -1},        {SCMP_SYS(creat), 1, -1},  {SCMP_SYS(mknod), 1, -1},
      {SCMP_SYS(mknodat), 2, -1}, {SCMP_SYS(open), 2, 1},    {SCMP_SYS(openat), 3, 2},
  };
  for (const ModeArgument& call : kCalls) {
    for (uint64_t bit : {uint64_t{S_ISUID}, uint64_t{S_ISGID}}) {
      const scmp_arg_cmp mode = Compare(call.mode_argument, SCMP_CMP_MASKED_EQ, bit, bit);
      if (call.flags_argument < 0) {
        FATHOM_TRY(Deny(context, call.syscall, "seccomp_rule_add(setuid mode)", mode));
        continue;
      }
      for (uint64_t creating : {uint64_t{O_CREAT}, uint64_t{__O_TMPFILE}}) {
        const scmp_arg_cmp flags =
            Compare(unsigned(call.flags_argument), SCMP_CMP_MASKED_EQ, creating, creating);
        FATHOM_TRY(Check(
            seccomp_rule_add(context.get(), SCMP_ACT_ERRNO(EPERM), call.syscall, 2, flags, mode),
            "seccomp_rule_add(setuid mode)"));
      }
    }
  }
  return Check(seccomp_rule_add(context.get(), SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(openat2), 0),
               "seccomp_rule_add(openat2)");
}

// The BPF program libseccomp generates, read back through a memfd.
base::Result<std::vector<sock_filter>> ExportBpf(const SeccompContext& context) {
  base::UniqueFd memory(memfd_create("fathom-seccomp", MFD_CLOEXEC));
  if (!memory.valid()) return base::ErrnoError("memfd_create", errno);
  FATHOM_TRY(Check(seccomp_export_bpf(context.get(), memory.get()), "seccomp_export_bpf"));
  struct stat info {};
  if (fstat(memory.get(), &info) != 0) return base::ErrnoError("fstat(seccomp memfd)", errno);
  const auto size = static_cast<size_t>(info.st_size);
  if (size == 0 || size % sizeof(sock_filter) != 0) {
    return base::InternalError("seccomp_export_bpf wrote " + std::to_string(size) +
                               " bytes, not whole BPF instructions");
  }
  if (size / sizeof(sock_filter) > BPF_MAXINSNS) {
    return base::InternalError("the seccomp filter has more than BPF_MAXINSNS instructions");
  }
  std::vector<sock_filter> instructions(size / sizeof(sock_filter));
  auto* bytes = reinterpret_cast<char*>(instructions.data());
  for (size_t done = 0; done < size;) {
    const ssize_t got = pread(memory.get(), bytes + done, size - done, off_t(done));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return base::ErrnoError("pread(seccomp memfd)", got < 0 ? errno : EIO);
    done += size_t(got);
  }
  return instructions;
}

}  // namespace

base::Result<SeccompProgram> SeccompProgram::Build(const SeccompFilterOptions& options) {
  SeccompContext context(seccomp_init(SCMP_ACT_ALLOW));
  if (context == nullptr) return base::InternalError("seccomp_init failed");
  FATHOM_TRY(Check(seccomp_attr_set(context.get(), SCMP_FLTATR_API_SYSRAWRC, 1),
                   "seccomp_attr_set(SYSRAWRC)"));
  FATHOM_TRY(Check(seccomp_attr_set(context.get(), SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS),
                   "seccomp_attr_set(ACT_BADARCH, KILL_PROCESS)"));
  FATHOM_TRY(DenySyscalls(context));
  FATHOM_TRY(DenySocketFamilies(context, options.allow_network));
  FATHOM_TRY(DenyTerminalInjection(context));
  FATHOM_TRY(DenyNamespaceClones(context));
  FATHOM_TRY(DenySetuidBits(context));
  FATHOM_ASSIGN_OR_RETURN(std::vector<sock_filter> instructions, ExportBpf(context));
  return SeccompProgram(std::move(instructions));
}

int SeccompProgram::InstallRaw() const {
  return InstallSeccompInstructions(instructions_.data(), instructions_.size());
}

base::Status InstallSeccompFilter(const SeccompFilterOptions& options) {
  FATHOM_ASSIGN_OR_RETURN(SeccompProgram program, SeccompProgram::Build(options));
  const int error = program.InstallRaw();
  if (error != 0) return base::ErrnoError("installing the seccomp filter", error);
  return base::Ok();
}

}  // namespace fathom::sandbox::linux
