// The kernel feature probes agree with independent evidence: /proc/self/mountinfo for cgroups,
// /proc/self/status for seccomp and no_new_privs, and a direct namespace switch in a child for
// user namespaces. The tests hold on any kernel; they do not assume the features exist.
#include "sandbox/kernel_features.h"

#include <gtest/gtest.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace fathom::sandbox {
namespace {

std::vector<std::string> ReadLines(const std::string& path) {
  std::ifstream file(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(file, line);) lines.push_back(line);
  return lines;
}

std::vector<std::string> Split(const std::string& text, char separator) {
  std::vector<std::string> pieces;
  std::stringstream stream(text);
  for (std::string piece; std::getline(stream, piece, separator);) {
    if (!piece.empty()) pieces.push_back(piece);
  }
  return pieces;
}

// The value of a "Key:\tvalue" line of /proc/self/status, or "" when there is none.
std::string StatusField(const std::string& key) {
  for (const std::string& line : ReadLines("/proc/self/status")) {
    if (line.starts_with(key + ":")) {
      std::vector<std::string> words = Split(line.substr(key.size() + 1), '\t');
      return words.empty() ? "" : words.front();
    }
  }
  return "";
}

struct Mount {
  std::string mount_point;
  std::string type;
  std::vector<std::string> super_options;
};

// /proc/self/mountinfo: "id parent dev root mount_point options [optional...] - type source super".
std::vector<Mount> ReadMounts() {
  std::vector<Mount> mounts;
  for (const std::string& line : ReadLines("/proc/self/mountinfo")) {
    std::vector<std::string> fields = Split(line, ' ');
    auto separator = std::find(fields.begin(), fields.end(), "-");
    if (fields.size() < 5 || std::distance(separator, fields.end()) < 4) continue;
    mounts.push_back(Mount{fields[4], *(separator + 1), Split(*(separator + 3), ',')});
  }
  return mounts;
}

std::set<std::string> KnownControllers() {
  std::set<std::string> names;
  for (const std::string& line : ReadLines("/proc/cgroups")) {
    std::vector<std::string> fields = Split(line, '\t');
    if (!line.starts_with("#") && !fields.empty()) names.insert(fields.front());
  }
  return names;
}

TEST(KernelFeaturesTest, CgroupLayoutMatchesMountinfo) {
  const CgroupSupport cgroups = ProbeCgroups();
  SCOPED_TRACE(cgroups.detail);
  std::string root_type;
  std::string unified;
  std::set<std::string> v1_controllers;
  const std::set<std::string> known = KnownControllers();
  for (const Mount& mount : ReadMounts()) {
    if (mount.mount_point == "/sys/fs/cgroup") root_type = mount.type;
    if (!mount.mount_point.starts_with("/sys/fs/cgroup")) continue;
    if (mount.type == "cgroup2") unified = mount.mount_point;
    if (mount.type != "cgroup") continue;
    for (const std::string& option : mount.super_options) {
      if (known.contains(option)) v1_controllers.insert(option);
    }
  }
  CgroupVersion expected = CgroupVersion::kNone;
  if (root_type == "cgroup2") {
    expected = CgroupVersion::kV2;
  } else if (!v1_controllers.empty()) {
    expected = unified.empty() ? CgroupVersion::kV1 : CgroupVersion::kHybrid;
  } else if (!unified.empty()) {
    expected = CgroupVersion::kV2;
  }
  EXPECT_EQ(CgroupVersionName(cgroups.version), CgroupVersionName(expected));
  EXPECT_EQ(cgroups.unified_path, unified);
  EXPECT_EQ(std::set<std::string>(cgroups.v1_controllers.begin(), cgroups.v1_controllers.end()),
            v1_controllers);
  EXPECT_FALSE(cgroups.detail.empty());
}

// This process's cgroup directory in the v1 hierarchy of `controller`, from mountinfo and
// /proc/self/cgroup ("4:memory:/a/b"); "" when that controller is not mounted as v1.
std::string OwnV1Directory(const std::string& controller) {
  std::string mount_point;
  for (const Mount& mount : ReadMounts()) {
    const std::vector<std::string>& options = mount.super_options;
    if (mount.type == "cgroup" &&
        std::find(options.begin(), options.end(), controller) != options.end()) {
      mount_point = mount.mount_point;
    }
  }
  if (mount_point.empty()) return "";
  for (const std::string& line : ReadLines("/proc/self/cgroup")) {
    const std::vector<std::string> fields = Split(line, ':');
    if (fields.size() < 3) continue;
    const std::vector<std::string> controllers = Split(fields[1], ',');
    if (std::find(controllers.begin(), controllers.end(), controller) != controllers.end()) {
      return fields[2] == "/" ? mount_point : mount_point + fields[2];
    }
  }
  return mount_point;
}

bool Contains(const std::vector<std::string>& words, const std::string& word) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

TEST(KernelFeaturesTest, CgroupAvailabilityImpliesWhatTheSandboxNeeds) {
  const CgroupSupport cgroups = ProbeCgroups();
  SCOPED_TRACE(cgroups.detail);
  if (cgroups.writable) {
    EXPECT_EQ(access(cgroups.own_unified_cgroup.c_str(), W_OK), 0);
  }
  if (!cgroups.available) {
    EXPECT_EQ(cgroups.sandbox_hierarchy, "");
    return;
  }
  const bool v2_offers_both =
      Contains(cgroups.v2_controllers, "memory") && Contains(cgroups.v2_controllers, "pids");
  if (cgroups.sandbox_hierarchy == "v2") {
    EXPECT_TRUE(cgroups.writable);
    EXPECT_TRUE(v2_offers_both);
    return;
  }
  ASSERT_EQ(cgroups.sandbox_hierarchy, "v1");
  EXPECT_FALSE(v2_offers_both) << "v1 is the fallback only";
  for (const std::string controller : {"memory", "pids"}) {
    const std::string directory = OwnV1Directory(controller);
    ASSERT_FALSE(directory.empty()) << controller << " is not mounted as cgroup v1";
    EXPECT_EQ(access(directory.c_str(), W_OK), 0) << directory;
    EXPECT_NE(cgroups.detail.find(directory), std::string::npos) << directory;
  }
}

TEST(KernelFeaturesTest, SeccompMatchesProcStatus) {
  const SeccompSupport seccomp = ProbeSeccomp();
  SCOPED_TRACE(seccomp.detail);
  const std::string mode = StatusField("Seccomp");
  EXPECT_EQ(!mode.empty(), seccomp.mode >= 0);
  if (!mode.empty()) {
    EXPECT_EQ(mode, std::to_string(seccomp.mode));
  }
  if (seccomp.available) {
    EXPECT_NE(std::find(seccomp.actions.begin(), seccomp.actions.end(), "errno"),
              seccomp.actions.end());
  }
  EXPECT_FALSE(seccomp.detail.empty());
}

TEST(KernelFeaturesTest, NoNewPrivsMatchesProcStatus) {
  const NoNewPrivsSupport no_new_privs = ProbeNoNewPrivs();
  SCOPED_TRACE(no_new_privs.detail);
  const std::string flag = StatusField("NoNewPrivs");
  if (no_new_privs.available) {
    EXPECT_FALSE(flag.empty());
  }
  if (!flag.empty()) {
    EXPECT_EQ(flag == "1", no_new_privs.set_in_this_process);
  }
  EXPECT_FALSE(no_new_privs.detail.empty());
}

// Exit status of a child that unshares the sandbox's namespaces and checks that its user
// namespace really changed: 0 changed, 1 unshare failed, 2 unchanged.
int DirectNamespaceSwitch() {
  char before[64] = {};
  if (readlink("/proc/self/ns/user", before, sizeof(before) - 1) < 0) return 1;
  const pid_t pid = fork();
  if (pid == 0) {
    if (unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET) != 0) _exit(1);
    char after[64] = {};
    if (readlink("/proc/self/ns/user", after, sizeof(after) - 1) < 0) _exit(1);
    _exit(std::string(before) == after ? 2 : 0);
  }
  int status = 0;
  if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) return 1;
  return WEXITSTATUS(status);
}

TEST(KernelFeaturesTest, UserNamespaceProbeAgreesWithDirectAttempt) {
  const UserNamespaceSupport user_namespaces = ProbeUserNamespaces();
  SCOPED_TRACE(user_namespaces.detail);
  const int direct = DirectNamespaceSwitch();
  EXPECT_NE(direct, 2) << "unshare succeeded but the user namespace did not change";
  EXPECT_EQ(user_namespaces.available, direct == 0);
  EXPECT_FALSE(user_namespaces.detail.empty());
}

TEST(KernelFeaturesTest, ProbeKernelFeaturesRunsEveryProbe) {
  const KernelFeatures features = ProbeKernelFeatures();
  EXPECT_FALSE(features.user_namespaces.detail.empty());
  EXPECT_FALSE(features.seccomp.detail.empty());
  EXPECT_FALSE(features.no_new_privs.detail.empty());
  EXPECT_FALSE(features.cgroups.detail.empty());
}

}  // namespace
}  // namespace fathom::sandbox
