#include "sandbox/linux/seccomp_install.h"

#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

namespace fathom::sandbox::linux {

int InstallSeccompInstructions(const sock_filter* instructions, size_t count) noexcept {
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return errno;
  sock_fprog program{};
  program.len = static_cast<unsigned short>(count);
  program.filter = const_cast<sock_filter*>(instructions);
  if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &program) != 0) return errno;
  return 0;
}

}  // namespace fathom::sandbox::linux
