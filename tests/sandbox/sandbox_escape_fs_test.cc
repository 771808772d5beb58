// Adversarial end-to-end tests of the sandbox's filesystem (spec A6 cases 1-8, 20, 21, 28): each
// test runs an attack script in the sandbox, checks that every attempt failed inside, and then
// checks the host files from the test process. The scratch tree lives under /var/tmp, not /tmp,
// so that home and outside paths are visible inside and the mounts themselves are what stop them.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tests/sandbox/sandbox_test_util.h"

namespace fathom::sandbox {
namespace {

namespace fs = std::filesystem;

// `attempt LABEL 'shell code'` prints "ESCAPED LABEL" when the code succeeds and
// "BLOCKED LABEL: <its stderr>" when it fails. /tmp is the sandbox's own tmpfs.
constexpr char kPrelude[] =
    "attempt() { if (eval \"$2\") >/dev/null 2>/tmp/.attempt_err; then echo \"ESCAPED $1\"; "
    "else echo \"BLOCKED $1: $(tr '\\n' ' ' </tmp/.attempt_err)\"; fi; }\n";

std::string Quote(const fs::path& path) {
  std::string quoted(1, '\'');
  quoted += path.string();
  quoted += '\'';
  return quoted;
}

std::string Unique(const std::string& name) { return name + "_" + std::to_string(getpid()); }

std::string Show(const CommandResult& result) {
  return "exit " + ::testing::PrintToString(result.exit_code) + "\n--- stdout\n" +
         result.stdout_text + "--- stderr\n" + result.stderr_text;
}

// Checks that `attempt LABEL` ran and failed; returns its error text through `error`.
::testing::AssertionResult Blocked(const CommandResult& result, const std::string& label,
                                   std::string* error = nullptr) {
  const std::string& out = result.stdout_text;
  if (out.find("ESCAPED " + label + "\n") != std::string::npos) {
    return ::testing::AssertionFailure() << label << " succeeded in the sandbox\n" << Show(result);
  }
  const std::string marker = "BLOCKED " + label + ":";
  const size_t at = out.find(marker);
  if (at == std::string::npos) {
    return ::testing::AssertionFailure() << label << " did not run\n" << Show(result);
  }
  if (error != nullptr) {
    const size_t end = out.find('\n', at);
    *error = out.substr(at + marker.size(), end - at - marker.size());
  }
  return ::testing::AssertionSuccess();
}

bool Succeeded(const CommandResult& result, const std::string& label) {
  return result.stdout_text.find("ESCAPED " + label + "\n") != std::string::npos;
}

bool Exists(const fs::path& path) {
  struct stat info {};
  return lstat(path.c_str(), &info) == 0;
}

bool Flagged(const CommandResult& result, const fs::path& path) {
  const fs::path canonical = fs::weakly_canonical(path);
  return std::any_of(result.created_protected_paths.begin(), result.created_protected_paths.end(),
                     [&](const fs::path& flagged) { return flagged == canonical; });
}

std::string FlaggedList(const CommandResult& result) {
  std::string list;
  for (const fs::path& path : result.created_protected_paths) list += path.string() + " ";
  return list.empty() ? "(none)" : list;
}

class SandboxEscapeFsTest : public SandboxRunFixture {
 protected:
  void SetUp() override {
    // The base fixture builds its tree in temp_directory_path(); under /tmp the whole tree would
    // simply be absent inside (the sandbox has its own /tmp), which proves nothing about the
    // read-only and hidden mounts. /var/tmp is part of the read-only host root.
    const char* saved = std::getenv("TMPDIR");
    const std::optional<std::string> previous =
        saved == nullptr ? std::nullopt : std::optional<std::string>(saved);
    std::error_code error;
    if (fs::is_directory("/var/tmp", error) && access("/var/tmp", W_OK) == 0) {
      setenv("TMPDIR", "/var/tmp", 1);
    }
    SandboxRunFixture::SetUp();
    if (previous.has_value()) {
      setenv("TMPDIR", previous->c_str(), 1);
    } else {
      unsetenv("TMPDIR");
    }
    // Hidden files (bound over with an empty file) next to the fixture's hidden directories.
    WriteFile(home_ / ".netrc", "machine example.com login me password NETRC_SECRET\n");
    WriteFile(home_ / ".git-credentials", "https://me:SECRET@example.com\n");
    WriteFile(outside_ / "keep", "keep\n");
    WriteFile(workspace_ / ".git/hooks/pre-commit.sample", "#!/bin/sh\nexit 0\n");
    config_ = ReadFile(workspace_ / ".git/config");
    hooks_ = Snapshot(workspace_ / ".git/hooks");
  }

  // Names and contents of the entries of `directory` (symlinks as "-> target"), for before/after
  // comparisons of hooks directories.
  static std::map<std::string, std::string> Snapshot(const fs::path& directory) {
    std::map<std::string, std::string> entries;
    std::error_code error;
    for (const fs::directory_entry& entry : fs::directory_iterator(directory, error)) {
      if (entry.is_symlink()) {
        entries[entry.path().filename()] = "-> " + fs::read_symlink(entry.path()).string();
      } else if (entry.is_regular_file()) {
        entries[entry.path().filename()] = ReadFile(entry.path());
      } else {
        entries[entry.path().filename()] = "<not a regular file>";
      }
    }
    return entries;
  }

  CommandResult Attack(const std::string& script) { return RunShell(kPrelude + script); }

  static bool HasGit() { return access("/usr/bin/git", X_OK) == 0; }

  // Makes the workspace's .git a repository that git recognizes.
  void MakeRealRepository() {
    WriteFile(workspace_ / ".git/HEAD", "ref: refs/heads/main\n");
    fs::create_directories(workspace_ / ".git/objects");
    fs::create_directories(workspace_ / ".git/refs/heads");
  }

  void ExpectGitProtectedPathsUnchanged() {
    EXPECT_TRUE(fs::is_directory(fs::symlink_status(workspace_ / ".git/hooks")));
    EXPECT_TRUE(fs::is_regular_file(fs::symlink_status(workspace_ / ".git/config")));
    EXPECT_EQ(ReadFile(workspace_ / ".git/config"), config_);
    EXPECT_EQ(Snapshot(workspace_ / ".git/hooks"), hooks_);
  }

  std::string config_;
  std::map<std::string, std::string> hooks_;
};

// A6.1: writes anywhere outside the workspace fail and leave the host as it was.
TEST_F(SandboxEscapeFsTest, WritesOutsideTheWorkspaceFail) {
  const char* home_variable = std::getenv("HOME");
  const fs::path host_home = home_variable != nullptr ? home_variable : "/root";
  const std::string name = Unique("fathom_pwn");
  const std::vector<fs::path> must_not_exist = {host_home / name,
                                                home_ / name,
                                                outside_ / name,
                                                root_ / name,
                                                fs::path("/etc") / name,
                                                fs::path("/etc") / (name + "2"),
                                                fs::path("/var/tmp") / name,
                                                fs::path("/sys/fs/cgroup") / name};
  for (const fs::path& path : must_not_exist) {
    ASSERT_FALSE(Exists(path)) << path << " exists before the run";
  }
  const bool has_cgroupfs = fs::is_directory("/sys/fs/cgroup");
  const std::string script = "attempt host-home 'echo x > \"$HOME/" + name +
                             "\"'\n"
                             "attempt fixture-home 'echo x > " +
                             Quote(home_ / name) +
                             "'\n"
                             "attempt bashrc 'echo evil >> " +
                             Quote(home_ / ".bashrc") +
                             "'\n"
                             "attempt outside-new 'echo x > " +
                             Quote(outside_ / name) +
                             "'\n"
                             "attempt outside-overwrite 'echo evil > " +
                             Quote(outside_ / "keep") +
                             "'\n"
                             "attempt outside-truncate 'truncate -s 0 " +
                             Quote(outside_ / "keep") +
                             "'\n"
                             "attempt outside-rm 'rm -f " +
                             Quote(outside_ / "keep") +
                             "'\n"
                             "attempt outside-chmod 'chmod 0777 " +
                             Quote(outside_ / "keep") +
                             "'\n"
                             "attempt outside-touch 'touch -d 2001-01-01 " +
                             Quote(outside_ / "keep") +
                             "'\n"
                             "attempt dotdot 'echo x > ../" +
                             name +
                             "'\n"
                             "attempt etc 'echo x > /etc/" +
                             name +
                             "'\n"
                             "attempt tmp-dotdot-etc 'echo x > /tmp/../etc/" +
                             name +
                             "2'\n"
                             "attempt var-tmp 'echo x > /var/tmp/" +
                             name +
                             "'\n"
                             "attempt cgroup 'mkdir /sys/fs/cgroup/" +
                             name + "'\n";
  FATHOM_RUN_OR_SKIP(result, Attack(script));
  ASSERT_EQ(result.exit_code, 0) << Show(result);
  for (const char* label : {"host-home", "fixture-home", "bashrc", "outside-new",
                            "outside-overwrite", "outside-truncate", "outside-rm", "outside-chmod",
                            "outside-touch", "dotdot", "etc", "tmp-dotdot-etc", "var-tmp"}) {
    EXPECT_TRUE(Blocked(result, label));
  }
  if (has_cgroupfs) {
    EXPECT_TRUE(Blocked(result, "cgroup"));
  }
  // Refused by the read-only mount, not merely missing.
  std::string error;
  ASSERT_TRUE(Blocked(result, "outside-new", &error));
  EXPECT_NE(error.find("Read-only file system"), std::string::npos) << error;

  for (const fs::path& path : must_not_exist) EXPECT_FALSE(Exists(path)) << path;
  EXPECT_EQ(ReadFile(outside_ / "keep"), "keep\n");
  EXPECT_EQ(ReadFile(home_ / ".bashrc"), "# bashrc\n");
  struct stat keep {};
  ASSERT_EQ(stat((outside_ / "keep").c_str(), &keep), 0);
  EXPECT_NE(keep.st_mode & 07777, 0777u);
  EXPECT_GT(keep.st_mtime, 978307200 + 86400);  // not set back to 2001-01-01
}

// The sandbox's /tmp, /dev/shm and /run are its own: writes there succeed but never reach the host.
TEST_F(SandboxEscapeFsTest, PrivateTmpfsWritesDoNotReachTheHost) {
  const std::string name = Unique("fathom_private");
  const std::vector<fs::path> paths = {fs::path("/tmp") / name, fs::path("/dev/shm") / name,
                                       fs::path("/run") / name};
  for (const fs::path& path : paths) ASSERT_FALSE(Exists(path)) << path;
  std::string script;
  for (const fs::path& path : paths) script += "echo x > " + Quote(path) + " 2>/dev/null; ";
  script += "true";
  FATHOM_RUN_OR_SKIP(result, Attack(script));
  ASSERT_EQ(result.exit_code, 0) << Show(result);
  for (const fs::path& path : paths) EXPECT_FALSE(Exists(path)) << path;
}

// A6.2: credential stores under home are empty inside, and the hiding mounts cannot be undone.
TEST_F(SandboxEscapeFsTest, CredentialFilesAreNotReadable) {
  const std::string script =
      "cat " + Quote(home_ / ".ssh/id_ed25519") + " " + Quote(home_ / ".aws/credentials") + " " +
      Quote(home_ / ".config/gh/hosts.yml") + " " + Quote(home_ / ".netrc") + " " +
      Quote(home_ / ".git-credentials") +
      " 2>&1\n"
      "ls -la " +
      Quote(home_ / ".ssh") + " " + Quote(home_ / ".aws") + " " + Quote(home_ / ".config") +
      " 2>&1\n"
      "grep -r . " +
      Quote(home_) +
      " 2>&1\n"
      "attempt umount 'umount " +
      Quote(home_ / ".ssh") +
      "'\n"
      "attempt umount-lazy 'umount -l " +
      Quote(home_ / ".aws") +
      "'\n"
      "cat " +
      Quote(home_ / ".ssh/id_ed25519") +
      " 2>&1\n"
      "cat /proc/1/root" +
      (home_ / ".ssh/id_ed25519").string() +
      " 2>/dev/null\n"
      "cat /proc/1/root/oldroot" +
      (home_ / ".ssh/id_ed25519").string() +
      " 2>/dev/null\n"
      "cat /proc/self/root/../" +
      (home_ / ".aws/credentials").string() +
      " 2>/dev/null\n"
      "echo root-of-pid-1: $(ls -a /proc/1/root/ 2>&1)\n";
  FATHOM_RUN_OR_SKIP(result, Attack(script));
  EXPECT_TRUE(Blocked(result, "umount"));
  EXPECT_TRUE(Blocked(result, "umount-lazy"));
  for (const char* secret : {"PRIVATE KEY", "SECRET", "password", "oauth_token"}) {
    EXPECT_EQ(result.stdout_text.find(secret), std::string::npos) << secret << "\n" << Show(result);
    EXPECT_EQ(result.stderr_text.find(secret), std::string::npos) << secret << "\n" << Show(result);
  }
  // The directory listings show no file names either.
  for (const char* name : {"id_ed25519", "credentials ", "credentials\n", "gh\n", "hosts.yml"}) {
    EXPECT_EQ(result.stdout_text.find(std::string(" ") + name), std::string::npos) << name << "\n"
                                                                                   << Show(result);
  }
  // The home itself stays readable: the hiding is targeted (and the test's paths are right).
  EXPECT_NE(result.stdout_text.find("# bashrc"), std::string::npos) << Show(result);
  // pid 1 (the sandbox's init) sees the sandbox's root, with no staging directories.
  EXPECT_NE(result.stdout_text.find("root-of-pid-1: "), std::string::npos) << Show(result);
  EXPECT_EQ(result.stdout_text.find("oldroot"), std::string::npos) << Show(result);
  EXPECT_EQ(result.stdout_text.find("newroot"), std::string::npos) << Show(result);
  EXPECT_EQ(ReadFile(home_ / ".ssh/id_ed25519"), "PRIVATE KEY\n");
}

// A6.16 (filesystem part): the mount table names no file inside a hidden credential store and no
// trace of the staging root.
TEST_F(SandboxEscapeFsTest, MountinfoShowsNoSecretFiles) {
  FATHOM_RUN_OR_SKIP(result, RunShell("cat /proc/self/mountinfo"));
  ASSERT_EQ(result.exit_code, 0) << Show(result);
  for (const char* name :
       {"id_ed25519", ".aws/credentials", "hosts.yml", "/.config/gh", "/oldroot", "/newroot"}) {
    EXPECT_EQ(result.stdout_text.find(name), std::string::npos) << name << "\n" << Show(result);
  }
}

// A6.3: symlinks made in the workspace lead nowhere the sandbox could not already go.
TEST_F(SandboxEscapeFsTest, SymlinksDoNotEscape) {
  const std::string name = Unique("fathom_pwn");
  ASSERT_FALSE(Exists(fs::path("/etc") / name));
  const std::string script =
      "ln -s " + Quote(home_ / ".ssh") +
      " sshlink\n"
      "ln -s ../home/.aws awslink\n"
      "cat sshlink/id_ed25519 awslink/credentials 2>/dev/null; ls -la sshlink/ awslink/ 2>&1\n"
      "ln -s " +
      Quote(outside_) +
      " outlink\n"
      "attempt outside-through-link 'echo x > outlink/" +
      name +
      "'\n"
      "ln -s " +
      Quote(outside_ / "keep") +
      " keeplink\n"
      "attempt file-through-link 'echo evil > keeplink'\n"
      "attempt append-through-link 'echo evil >> keeplink'\n"
      "ln -s /etc etclink\n"
      "attempt etc-through-link 'echo x > etclink/" +
      name +
      "'\n"
      "ln -s ../outside relative\n"
      "attempt relative-link 'echo x > relative/" +
      name +
      "'\n"
      "attempt tee-through-link 'echo evil | tee keeplink'\n";
  FATHOM_RUN_OR_SKIP(result, Attack(script));
  ASSERT_EQ(result.exit_code, 0) << Show(result);
  for (const char* secret : {"PRIVATE KEY", "SECRET", " id_ed25519\n", " credentials\n"}) {
    EXPECT_EQ(result.stdout_text.find(secret), std::string::npos) << secret << "\n" << Show(result);
  }
  EXPECT_NE(result.stdout_text.find("sshlink/:"), std::string::npos) << Show(result);
  for (const char* label : {"outside-through-link", "file-through-link", "append-through-link",
                            "etc-through-link", "relative-link", "tee-through-link"}) {
    EXPECT_TRUE(Blocked(result, label));
  }
  EXPECT_FALSE(Exists(outside_ / name));
  EXPECT_FALSE(Exists(fs::path("/etc") / name));
  EXPECT_EQ(ReadFile(outside_ / "keep"), "keep\n");
  EXPECT_EQ(ReadFile(home_ / ".ssh/id_ed25519"), "PRIVATE KEY\n");
}

// A6.4 and A6.21: the protected .git/hooks and .git/config cannot be removed, renamed or replaced
// by a symlink, nor written through, nor get a FIFO.
TEST_F(SandboxEscapeFsTest, ProtectedGitPathsCannotBeReplaced) {
  const std::string script =
      "mkdir decoy decoy/hooks; echo '[core]' > decoy/config\n"
      "attempt write-hook 'printf \"#!/bin/sh\\necho pwned\\n\" > .git/hooks/pre-commit'\n"
      "attempt overwrite-sample 'echo evil > .git/hooks/pre-commit.sample'\n"
      "attempt chmod-sample 'chmod 0777 .git/hooks/pre-commit.sample'\n"
      "attempt append-config 'echo \"[core] hooksPath = /tmp\" >> .git/config'\n"
      "attempt cp-over-config 'cp decoy/config .git/config'\n"
      "attempt rm-hooks 'rm -rf .git/hooks && test ! -e .git/hooks'\n"
      "attempt rmdir-hooks 'rmdir .git/hooks'\n"
      "attempt mv-hooks 'mv .git/hooks .git/hooks.old'\n"
      "attempt symlink-hooks 'ln -sfn ../decoy/hooks .git/hooks && test -L .git/hooks'\n"
      "attempt mv-over-hooks 'mv -T decoy/hooks .git/hooks'\n"
      "attempt rm-config 'rm -f .git/config && test ! -e .git/config'\n"
      "attempt mv-config 'mv .git/config .git/config.old'\n"
      "attempt symlink-config 'ln -sf ../decoy/config .git/config && test -L .git/config'\n"
      "attempt mv-over-config 'mv decoy/config .git/config'\n"
      "attempt mkfifo-hooks 'mkfifo .git/hooks/fifo'\n"
      "attempt write-after 'echo evil > .git/hooks/post-checkout'\n";
  FATHOM_RUN_OR_SKIP(result, Attack(script));
  ASSERT_EQ(result.exit_code, 0) << Show(result);
  for (const char* label :
       {"write-hook", "overwrite-sample", "chmod-sample", "append-config", "cp-over-config",
        "rm-hooks", "rmdir-hooks", "mv-hooks", "symlink-hooks", "mv-over-hooks", "rm-config",
        "mv-config", "symlink-config", "mv-over-config", "mkfifo-hooks", "write-after"}) {
    EXPECT_TRUE(Blocked(result, label));
  }
  std::string error;
  ASSERT_TRUE(Blocked(result, "write-hook", &error));
  EXPECT_NE(error.find("Read-only file system"), std::string::npos) << error;
  ASSERT_TRUE(Blocked(result, "mv-config", &error));
  EXPECT_NE(error.find("busy"), std::string::npos) << error;  // EBUSY: a mount point
  ExpectGitProtectedPathsUnchanged();
  EXPECT_FALSE(Exists(workspace_ / ".git/hooks.old"));
  EXPECT_FALSE(Exists(workspace_ / ".git/config.old"));
}

// A6.4: renaming .git moves its read-only mounts along, so .git2/hooks stays read-only. Whether
// the rename itself succeeds is reported, not judged (a known gap; see the next test).
TEST_F(SandboxEscapeFsTest, RenamedGitDirectoryKeepsItsHooksReadOnly) {
  const std::string script =
      "if mv .git .git2 2>/dev/null; then echo RENAMED; else echo NOT_RENAMED; fi\n"
      "attempt hook-in-renamed 'echo evil > .git2/hooks/pre-commit'\n"
      "attempt config-in-renamed 'echo evil >> .git2/config'\n";
  FATHOM_RUN_OR_SKIP(result, Attack(script));
  ASSERT_EQ(result.exit_code, 0) << Show(result);
  const bool renamed = result.stdout_text.find("RENAMED\n") == 0;
  RecordProperty("dot_git_rename", renamed ? "succeeded" : "refused");
  if (renamed) {
    EXPECT_TRUE(Blocked(result, "hook-in-renamed"));
    EXPECT_TRUE(Blocked(result, "config-in-renamed"));
    EXPECT_EQ(ReadFile(workspace_ / ".git2/config"), config_);
    EXPECT_EQ(Snapshot(workspace_ / ".git2/hooks"), hooks_);
  } else {
    ExpectGitProtectedPathsUnchanged();
  }
  EXPECT_TRUE(Snapshot(workspace_ / ".git/hooks").empty() ||
              Snapshot(workspace_ / ".git/hooks") == hooks_);
}

// A6.4/A6.6: after moving .git aside, a fresh .git with attacker hooks and config must not reach
// the host unflagged: the host's next `git commit` would run that hook outside the sandbox.
TEST_F(SandboxEscapeFsTest, ReplacingGitDirectoryDoesNotPlantHostHooks) {
  const std::string script =
      "mv .git .git2 2>/dev/null || echo NOT_RENAMED\n"
      "attempt plant-hook 'mkdir -p .git/hooks && printf \"#!/bin/sh\\ntouch /pwned\\n\" > "
      ".git/hooks/pre-commit && chmod +x .git/hooks/pre-commit'\n"
      "attempt plant-config 'printf \"[core]\\n\\tfsmonitor = touch /pwned\\n\" > .git/config'\n";
  FATHOM_RUN_OR_SKIP(result, Attack(script));
  ASSERT_EQ(result.exit_code, 0) << Show(result);
  const fs::path hooks = workspace_ / ".git/hooks";
  const bool hook_planted = Snapshot(hooks).contains("pre-commit");
  EXPECT_TRUE(!hook_planted || Flagged(result, hooks))
      << "the host's " << hooks << " now holds an attacker's pre-commit hook and the result does "
      << "not flag it; flagged: " << FlaggedList(result) << "\n"
      << Show(result);
  const fs::path config = workspace_ / ".git/config";
  EXPECT_TRUE(ReadFile(config) == config_ || Flagged(result, config))
      << "the host's " << config << " was replaced unflagged:\n"
      << ReadFile(config);
  // Wherever .git went, the original protected files kept their contents.
  if (Exists(workspace_ / ".git2")) {
    EXPECT_EQ(ReadFile(workspace_ / ".git2/config"), config_);
    EXPECT_EQ(Snapshot(workspace_ / ".git2/hooks"), hooks_);
  } else {
    ExpectGitProtectedPathsUnchanged();
  }
}

// A6.5: hard links and renames across the workspace's mount boundary fail (EXDEV), including
// links to the protected files, which would otherwise be writable under another name.
TEST_F(SandboxEscapeFsTest, HardLinksAndRenamesAcrossMountsFail) {
  const std::string script = "attempt link-bashrc 'ln " + Quote(home_ / ".bashrc") +
                             " x'\n"
                             "attempt link-passwd 'ln /etc/passwd y'\n"
                             "attempt link-outside 'ln " +
                             Quote(outside_ / "keep") +
                             " k'\n"
                             "attempt link-config 'ln .git/config cfg'\n"
                             "attempt link-hook 'ln .git/hooks/pre-commit.sample hook'\n"
                             "attempt rename-to-outside 'mv main.c " +
                             Quote(outside_ / "main.c") +
                             "'\n"
                             "attempt rename-to-home 'mv main.c " +
                             Quote(home_ / "main.c") +
                             "'\n"
                             "attempt rename-from-outside 'mv " +
                             Quote(outside_ / "keep") + " moved'\n";
  FATHOM_RUN_OR_SKIP(result, Attack(script));
  ASSERT_EQ(result.exit_code, 0) << Show(result);
  for (const char* label :
       {"link-bashrc", "link-passwd", "link-outside", "link-config", "link-hook",
        "rename-to-outside", "rename-to-home", "rename-from-outside"}) {
    EXPECT_TRUE(Blocked(result, label));
  }
  std::string error;
  ASSERT_TRUE(Blocked(result, "link-config", &error));
  EXPECT_NE(error.find("cross-device"), std::string::npos) << error;
  for (const char* name : {"x", "y", "k", "cfg", "hook"}) {
    EXPECT_FALSE(Exists(workspace_ / name)) << name;
  }
  EXPECT_EQ(ReadFile(workspace_ / "main.c"), "int main(void) { return 0; }\n");
  EXPECT_FALSE(Exists(outside_ / "main.c"));
  EXPECT_FALSE(Exists(home_ / "main.c"));
  EXPECT_EQ(ReadFile(outside_ / "keep"), "keep\n");
  ExpectGitProtectedPathsUnchanged();
  struct stat config {};
  ASSERT_EQ(stat((workspace_ / ".git/config").c_str(), &config), 0);
  EXPECT_EQ(config.st_nlink, 1u);
}

// A6.6: `git config` and direct writes cannot set core.hooksPath / core.fsmonitor or add a hook.
TEST_F(SandboxEscapeFsTest, GitConfigAndHookWritesAreDenied) {
  if (!HasGit()) GTEST_SKIP() << "needs /usr/bin/git";
  MakeRealRepository();
  const std::string script =
      "attempt hooks-path 'git config core.hooksPath /tmp/hooks'\n"
      "attempt fsmonitor 'git config core.fsmonitor \"touch /pwned\"'\n"
      "attempt config-file 'git config --file .git/config core.hooksPath /tmp/hooks'\n"
      "attempt hook 'printf \"#!/bin/sh\\n\" > .git/hooks/pre-commit'\n"
      "echo hooksPath=$(git config --get core.hooksPath)\n";
  FATHOM_RUN_OR_SKIP(result, Attack(script));
  ASSERT_EQ(result.exit_code, 0) << Show(result);
  for (const char* label : {"hooks-path", "fsmonitor", "config-file", "hook"}) {
    EXPECT_TRUE(Blocked(result, label));
  }
  EXPECT_NE(result.stdout_text.find("hooksPath=\n"), std::string::npos) << Show(result);
  ExpectGitProtectedPathsUnchanged();
}

// A6.6: .git/commondir redirects git to another directory's config and hooks; writing it (the rest
// of .git is writable) must be denied or flagged, or the host's next git command runs the
// attacker's core.fsmonitor / hooks.
TEST_F(SandboxEscapeFsTest, GitCommondirCannotRedirectConfig) {
  if (!HasGit()) GTEST_SKIP() << "needs /usr/bin/git";
  MakeRealRepository();
  const fs::path marker = outside_ / "PWNED";
  const std::string script =
      "git init -q --bare evil && "
      "git --git-dir=evil config core.fsmonitor 'touch " +
      marker.string() +
      "; false'\n"
      "attempt commondir 'echo ../evil > .git/commondir'\n"
      "echo fsmonitor=$(git config --get core.fsmonitor)\n";
  FATHOM_RUN_OR_SKIP(result, Attack(script));
  ASSERT_EQ(result.exit_code, 0) << Show(result);
  ASSERT_FALSE(Exists(marker)) << "the sandbox could write outside the workspace";
  ExpectGitProtectedPathsUnchanged();
  const fs::path commondir = workspace_ / ".git/commondir";
  EXPECT_TRUE(!Exists(commondir) || Flagged(result, commondir))
      << "the host's .git/commondir now points git at the attacker's evil/config; flagged: "
      << FlaggedList(result) << "\n"
      << Show(result);
  if (!result.created_protected_paths.empty()) return;  // flagged: the host must not run git
  const std::string status =
      "cd " + Quote(workspace_) + " && git status --porcelain >/dev/null 2>&1";
  ASSERT_NE(std::system(status.c_str()), -1);
  EXPECT_FALSE(Exists(marker)) << "the host's `git status` ran the core.fsmonitor command of the "
                                  "config that .git/commondir redirected it to";
}

// A6.6: the hooks and config of a repository nested in the workspace are read-only, like the
// workspace's own.
TEST_F(SandboxEscapeFsTest, NestedRepositoryHooksAreReadOnly) {
  fs::create_directories(workspace_ / "vendor/x/.git/hooks");
  WriteFile(workspace_ / "vendor/x/.git/config", "[core]\n");
  const std::string script =
      "attempt nested-hook 'printf \"#!/bin/sh\\n\" > vendor/x/.git/hooks/pre-commit'\n"
      "attempt nested-config 'echo \"[core] fsmonitor = x\" >> vendor/x/.git/config'\n";
  FATHOM_RUN_OR_SKIP(result, Attack(script));
  ASSERT_EQ(result.exit_code, 0) << Show(result);
  ExpectGitProtectedPathsUnchanged();
  EXPECT_FALSE(Exists(workspace_ / "vendor/x/.git/hooks/pre-commit"));
  EXPECT_FALSE(Succeeded(result, "nested-hook")) << Show(result);
  EXPECT_FALSE(Succeeded(result, "nested-config")) << Show(result);
  EXPECT_EQ(ReadFile(workspace_ / "vendor/x/.git/config"), "[core]\n");
}

// A6.6, the attack nested repositories make possible: a nested repository registered as a gitlink
// in the (writable) .git/index is visited by the host's plain `git status` in the workspace root,
// which then runs the nested repository's core.fsmonitor on the host. Spec: denied, or flagged
// before any unsandboxed git runs. The test plays the host's `git status` only when nothing was
// flagged.
TEST_F(SandboxEscapeFsTest, HostGitStatusRunsNoCodeFromANestedRepository) {
  if (!HasGit()) GTEST_SKIP() << "needs /usr/bin/git";
  MakeRealRepository();
  const fs::path marker = outside_ / "PWNED";
  const std::string script =
      "git init -q vendor/x && cd vendor/x && "
      "git -c user.name=a -c user.email=a@b commit -q --allow-empty -m x && "
      "git config core.fsmonitor 'touch " +
      marker.string() +
      "; false' && cd ../.. && "
      "git update-index --add --cacheinfo 160000,$(git -C vendor/x rev-parse HEAD),vendor/x && "
      "echo PLANTED\n";
  FATHOM_RUN_OR_SKIP(result, Attack(script));
  ASSERT_EQ(result.exit_code, 0) << Show(result);
  ASSERT_FALSE(Exists(marker)) << "the sandbox could write outside the workspace";
  ExpectGitProtectedPathsUnchanged();
  if (!result.created_protected_paths.empty()) return;  // flagged: the host must not run git
  const std::string status =
      "cd " + Quote(workspace_) + " && git status --porcelain >/dev/null 2>&1";
  ASSERT_NE(std::system(status.c_str()), -1);
  EXPECT_FALSE(Exists(marker))
      << "the host's `git status` in the workspace ran a command the sandboxed script planted "
      << "in vendor/x/.git/config (core.fsmonitor), and the result flagged nothing\n"
      << Show(result);
}

// A6.7: the sandbox cannot protect paths that did not exist, so a `git init` in a workspace
// without .git (and new .vscode/.mcp.json/.fathom) are reported in created_protected_paths.
TEST_F(SandboxEscapeFsTest, GitInitInWorkspaceWithoutGitIsFlagged) {
  if (!HasGit()) GTEST_SKIP() << "needs /usr/bin/git";
  fs::remove_all(workspace_ / ".git");
  const std::string script =
      "git init -q && echo INIT_OK\n"
      "mkdir .vscode && echo '{}' > .vscode/tasks.json\n"
      "echo '{}' > .mcp.json\n"
      "mkdir .fathom && echo x > .fathom/state\n";
  FATHOM_RUN_OR_SKIP(result, Attack(script));
  ASSERT_EQ(result.exit_code, 0) << Show(result);
  ASSERT_NE(result.stdout_text.find("INIT_OK"), std::string::npos) << Show(result);
  ASSERT_TRUE(fs::is_directory(workspace_ / ".git/hooks"));
  for (const char* path : {".git/hooks", ".git/config", ".vscode", ".mcp.json", ".fathom"}) {
    EXPECT_TRUE(Flagged(result, workspace_ / path))
        << path << " not flagged; flagged: " << FlaggedList(result);
  }
  EXPECT_EQ(result.created_protected_paths.size(), 5u) << FlaggedList(result);
}

// A6.7: `git init` in a fresh subdirectory makes a nested repository the policy does not cover.
TEST_F(SandboxEscapeFsTest, GitInitInSubdirectory) {
  if (!HasGit()) GTEST_SKIP() << "needs /usr/bin/git";
  const std::string script =
      "mkdir sub && git init -q sub && echo INIT_OK\n"
      "printf '#!/bin/sh\\n' > sub/.git/hooks/pre-commit\n";
  FATHOM_RUN_OR_SKIP(result, Attack(script));
  ASSERT_EQ(result.exit_code, 0) << Show(result);
  ASSERT_NE(result.stdout_text.find("INIT_OK"), std::string::npos) << Show(result);
  ExpectGitProtectedPathsUnchanged();
  EXPECT_TRUE(Flagged(result, workspace_ / "sub/.git"))
      << "a repository created in a subdirectory must be flagged (created_protected_paths: "
      << FlaggedList(result) << ")";
}

// A6.8: existing editor tasks, tool-server config, fathom's own state and the shell's rc file are
// read-only.
TEST_F(SandboxEscapeFsTest, EditorAndAgentConfigIsReadOnly) {
  fs::create_directories(workspace_ / ".vscode");
  fs::create_directories(workspace_ / ".fathom");
  WriteFile(workspace_ / ".vscode/tasks.json", "{\"tasks\": []}\n");
  WriteFile(workspace_ / ".mcp.json", "{\"mcpServers\": {}}\n");
  WriteFile(workspace_ / ".fathom/state", "state\n");
  const std::string script =
      "attempt tasks 'echo evil > .vscode/tasks.json'\n"
      "attempt settings 'echo evil > .vscode/settings.json'\n"
      "attempt rm-vscode 'rm -rf .vscode && test ! -e .vscode'\n"
      "attempt mv-vscode 'mv .vscode .vscode.old'\n"
      "attempt mcp 'echo evil > .mcp.json'\n"
      "attempt rm-mcp 'rm -f .mcp.json && test ! -e .mcp.json'\n"
      "attempt mv-over-mcp 'echo evil > m && mv m .mcp.json'\n"
      "attempt fathom-state 'echo evil > .fathom/state'\n"
      "attempt fathom-new 'echo evil > .fathom/new'\n"
      "attempt mv-fathom 'mv .fathom .fathom.old'\n"
      "attempt bashrc 'echo evil >> " +
      Quote(home_ / ".bashrc") +
      "'\n"
      "attempt profile 'echo evil > " +
      Quote(home_ / ".profile") + "'\n";
  FATHOM_RUN_OR_SKIP(result, Attack(script));
  ASSERT_EQ(result.exit_code, 0) << Show(result);
  for (const char* label :
       {"tasks", "settings", "rm-vscode", "mv-vscode", "mcp", "rm-mcp", "mv-over-mcp",
        "fathom-state", "fathom-new", "mv-fathom", "bashrc", "profile"}) {
    EXPECT_TRUE(Blocked(result, label));
  }
  EXPECT_EQ(ReadFile(workspace_ / ".vscode/tasks.json"), "{\"tasks\": []}\n");
  EXPECT_FALSE(Exists(workspace_ / ".vscode/settings.json"));
  EXPECT_EQ(ReadFile(workspace_ / ".mcp.json"), "{\"mcpServers\": {}}\n");
  EXPECT_EQ(ReadFile(workspace_ / ".fathom/state"), "state\n");
  EXPECT_FALSE(Exists(workspace_ / ".fathom/new"));
  EXPECT_FALSE(Exists(workspace_ / ".vscode.old"));
  EXPECT_FALSE(Exists(workspace_ / ".fathom.old"));
  EXPECT_EQ(ReadFile(home_ / ".bashrc"), "# bashrc\n");
  EXPECT_FALSE(Exists(home_ / ".profile"));
  EXPECT_TRUE(result.created_protected_paths.empty()) << FlaggedList(result);
}

// A6.20: setuid programs, including a setuid copy made in the (nosuid) workspace, run without
// any capability.
TEST_F(SandboxEscapeFsTest, SetuidProgramsGainNoPrivilege) {
  // su fails here after a ~1 s delay, so the two su runs go in parallel.
  const std::string script =
      "grep CapEff /proc/self/status\n"
      "(su -c 'grep CapEff /proc/self/status' 2>&1; echo su=$?) >/tmp/su.out &\n"
      "cp /bin/su ./su && chmod u+s ./su && echo CHMOD_OK\n"
      "(./su -c 'grep CapEff /proc/self/status' 2>&1; echo copy=$?) >/tmp/copy.out &\n"
      "if command -v sudo >/dev/null; then sudo -n grep CapEff /proc/self/status 2>&1; fi\n"
      "mkdir /tmp/m; attempt setuid-mount 'mount -t tmpfs none /tmp/m'\n"
      "wait; cat /tmp/su.out /tmp/copy.out\n";
  FATHOM_RUN_OR_SKIP(result, Attack(script));
  ASSERT_EQ(result.exit_code, 0) << Show(result);
  const std::string& out = result.stdout_text;
  ASSERT_NE(out.find("CapEff:"), std::string::npos) << Show(result);
  ASSERT_NE(out.find("su="), std::string::npos) << Show(result);
  ASSERT_NE(out.find("copy="), std::string::npos) << Show(result);
  EXPECT_TRUE(Blocked(result, "setuid-mount"));
  for (size_t at = out.find("CapEff:"); at != std::string::npos; at = out.find("CapEff:", at + 1)) {
    EXPECT_EQ(out.substr(at, 24), "CapEff:\t0000000000000000") << Show(result);
  }
}

// A6.20, host side: a setuid or setgid bit set inside must not land on the host, where the
// workspace is not mounted nosuid (a setuid copy of a shell owned by the caller, or by root when
// fathom runs as root, would hand the caller's identity to any local user).
TEST_F(SandboxEscapeFsTest, SetuidBitsDoNotReachTheHost) {
  const std::string script =
      "cp /bin/sh ./rootsh\n"
      "attempt chmod-setuid 'chmod 4755 rootsh && test -u rootsh'\n"
      "attempt chmod-setgid 'chmod 2755 rootsh && test -g rootsh'\n"
      "attempt install-setuid 'install -m 4755 /bin/sh installed && test -u installed'\n";
  FATHOM_RUN_OR_SKIP(result, Attack(script));
  ASSERT_EQ(result.exit_code, 0) << Show(result);
  for (const char* name : {"rootsh", "installed"}) {
    struct stat info {};
    if (stat((workspace_ / name).c_str(), &info) != 0) continue;
    EXPECT_EQ(info.st_mode & (S_ISUID | S_ISGID), 0u)
        << name << " on the host has mode " << std::oct << (info.st_mode & 07777) << std::dec
        << ", owner uid " << info.st_uid << "\n"
        << Show(result);
  }
}

// A6.21: no device nodes anywhere; no FIFO (or anything else) in a protected directory.
TEST_F(SandboxEscapeFsTest, DeviceNodesAndFifosInProtectedPathsAreDenied) {
  const std::string script =
      "attempt mknod-char 'mknod dev c 1 3'\n"
      "attempt mknod-block 'mknod blk b 8 0'\n"
      "attempt mknod-tmp 'mknod /tmp/mem c 1 1'\n"
      "attempt mkfifo-hooks 'mkfifo .git/hooks/fifo'\n"
      "attempt mkfifo-over-hook-name 'mkfifo .git/hooks/pre-commit'\n";
  FATHOM_RUN_OR_SKIP(result, Attack(script));
  ASSERT_EQ(result.exit_code, 0) << Show(result);
  for (const char* label :
       {"mknod-char", "mknod-block", "mknod-tmp", "mkfifo-hooks", "mkfifo-over-hook-name"}) {
    EXPECT_TRUE(Blocked(result, label));
  }
  std::string error;
  ASSERT_TRUE(Blocked(result, "mknod-char", &error));
  EXPECT_NE(error.find("not permitted"), std::string::npos) << error;  // EPERM
  ASSERT_TRUE(Blocked(result, "mkfifo-hooks", &error));
  EXPECT_NE(error.find("Read-only file system"), std::string::npos) << error;
  EXPECT_FALSE(Exists(workspace_ / "dev"));
  EXPECT_FALSE(Exists(workspace_ / "blk"));
  ExpectGitProtectedPathsUnchanged();
}

// A6.28: a descriptor the host process leaked (no O_CLOEXEC) is closed before the command runs.
TEST_F(SandboxEscapeFsTest, LeakedDescriptorsAreClosed) {
  const fs::path leaked = outside_ / "leaked";
  const int fd = open(leaked.c_str(), O_RDWR | O_CREAT | O_TRUNC, 0644);  // no O_CLOEXEC
  ASSERT_GE(fd, 3);
  const std::string number = std::to_string(fd);
  const std::string script =
      "ls -l /proc/$$/fd/ 2>&1\n"
      "attempt proc-fd 'echo evil > /proc/self/fd/" +
      number +
      "'\n"
      "attempt dup-fd 'eval \"echo evil >&" +
      number +
      "\"'\n"
      "for n in $(seq 3 64); do (eval \"echo evil >&$n\") 2>/dev/null && echo \"OPEN $n\"; done\n"
      "echo done\n";
  CommandResult result = Attack(script);
  close(fd);
  if (skipped_) GTEST_SKIP() << "this machine cannot start the sandbox";
  ASSERT_EQ(result.exit_code, 0) << Show(result);
  EXPECT_EQ(result.stdout_text.find("leaked"), std::string::npos) << Show(result);
  EXPECT_EQ(result.stdout_text.find("OPEN "), std::string::npos) << Show(result);
  EXPECT_TRUE(Blocked(result, "proc-fd"));
  EXPECT_TRUE(Blocked(result, "dup-fd"));
  EXPECT_EQ(ReadFile(leaked), "");
}

}  // namespace
}  // namespace fathom::sandbox
