// Functional tests of Sandbox::Run: exit codes and signals, output capture and truncation, the
// scrubbed environment, workspace edits that persist with the caller's uid and mode, and the
// isolation the command sees (its own pid namespace, no capabilities, the seccomp filter).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "tests/sandbox/sandbox_test_util.h"

namespace fathom::sandbox {
namespace {

using SandboxRunTest = SandboxRunFixture;

TEST_F(SandboxRunTest, ReportsExitCodeAndOutput) {
  FATHOM_RUN_OR_SKIP(result, RunShell("echo out; echo err >&2; exit 7"));
  EXPECT_EQ(result.exit_code, 7);
  EXPECT_FALSE(result.signal.has_value());
  EXPECT_EQ(result.stdout_text, "out\n");
  EXPECT_EQ(result.stderr_text, "err\n");
  EXPECT_FALSE(result.output_truncated);
}

TEST_F(SandboxRunTest, ReportsTheSignalThatKilledTheCommand) {
  FATHOM_RUN_OR_SKIP(result, RunShell("kill -SEGV $$"));
  EXPECT_FALSE(result.exit_code.has_value());
  EXPECT_EQ(result.signal, SIGSEGV);
  EXPECT_NE(result.Summary().find("SIGSEGV"), std::string::npos) << result.Summary();
}

TEST_F(SandboxRunTest, MissingProgramIsExit127WithAMessage) {
  FATHOM_RUN_OR_SKIP(result, Run({"no-such-program-fathom"}));
  EXPECT_EQ(result.exit_code, 127);
  EXPECT_NE(result.stderr_text.find("no-such-program-fathom"), std::string::npos);
}

TEST_F(SandboxRunTest, TruncatesLongOutputKeepingHeadAndTail) {
  policy_.limits.output_bytes = 2048;
  FATHOM_RUN_OR_SKIP(result, RunShell("echo FIRST; seq 1 100000; echo LAST"));
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_TRUE(result.output_truncated);
  EXPECT_TRUE(result.stdout_text.starts_with("FIRST\n"));
  EXPECT_TRUE(result.stdout_text.ends_with("100000\nLAST\n"));
  EXPECT_NE(result.stdout_text.find("bytes cut"), std::string::npos);
  EXPECT_GT(result.stdout_bytes, 500000u);
  EXPECT_LT(result.stdout_text.size(), 1200u);
}

TEST_F(SandboxRunTest, EnvironmentIsScrubbed) {
  setenv("FATHOM_TEST_SECRET_TOKEN", "leak", 1);
  setenv("SSH_AUTH_SOCK", "/tmp/agent.sock", 1);
  setenv("AWS_SECRET_ACCESS_KEY", "leak", 1);
  FATHOM_RUN_OR_SKIP(result, RunShell("env"));
  unsetenv("FATHOM_TEST_SECRET_TOKEN");
  unsetenv("SSH_AUTH_SOCK");
  unsetenv("AWS_SECRET_ACCESS_KEY");
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.stdout_text.find("leak"), std::string::npos) << result.stdout_text;
  EXPECT_EQ(result.stdout_text.find("SSH_AUTH_SOCK"), std::string::npos);
  EXPECT_NE(result.stdout_text.find("PATH="), std::string::npos);
  EXPECT_NE(result.stdout_text.find("TMPDIR=/tmp"), std::string::npos);
}

TEST_F(SandboxRunTest, WorkspaceEditsPersistWithCallerUidAndMode) {
  FATHOM_RUN_OR_SKIP(result, RunShell("umask 022; echo edited > main.c; echo new > new.txt; "
                                      "mkdir sub; chmod 0750 sub; chmod 0600 new.txt"));
  ASSERT_EQ(result.exit_code, 0) << result.stderr_text;
  EXPECT_EQ(ReadFile(workspace_ / "main.c"), "edited\n");
  EXPECT_EQ(ReadFile(workspace_ / "new.txt"), "new\n");
  struct stat file {};
  ASSERT_EQ(stat((workspace_ / "new.txt").c_str(), &file), 0);
  EXPECT_EQ(file.st_uid, geteuid());
  EXPECT_EQ(file.st_gid, getegid());
  EXPECT_EQ(file.st_mode & 07777, 0600u);
  struct stat directory {};
  ASSERT_EQ(stat((workspace_ / "sub").c_str(), &directory), 0);
  EXPECT_EQ(directory.st_mode & 07777, 0750u);
  EXPECT_EQ(directory.st_uid, geteuid());
}

TEST_F(SandboxRunTest, CommandRunsWithoutCapabilitiesUnderSeccompInItsOwnPidNamespace) {
  FATHOM_RUN_OR_SKIP(result, RunShell("grep -E '^(CapEff|CapBnd|NoNewPrivs|Seccomp):' "
                                      "/proc/self/status; echo pid=$$; hostname"));
  ASSERT_EQ(result.exit_code, 0) << result.stderr_text;
  EXPECT_NE(result.stdout_text.find("CapEff:\t0000000000000000"), std::string::npos);
  EXPECT_NE(result.stdout_text.find("CapBnd:\t0000000000000000"), std::string::npos);
  EXPECT_NE(result.stdout_text.find("NoNewPrivs:\t1"), std::string::npos);
  EXPECT_NE(result.stdout_text.find("Seccomp:\t2"), std::string::npos);
  EXPECT_NE(result.stdout_text.find("pid=2\n"), std::string::npos) << result.stdout_text;
  EXPECT_NE(result.stdout_text.find("fathom-sandbox"), std::string::npos);
}

TEST_F(SandboxRunTest, NetworkOnReachesTheHostNetwork) {
  const int listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(listener, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  ASSERT_EQ(bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  ASSERT_EQ(listen(listener, 1), 0);
  ASSERT_EQ(getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length), 0);
  const std::string port = std::to_string(ntohs(address.sin_port));
  policy_.network = NetworkAccess::kOn;
  FATHOM_RUN_OR_SKIP(result, Run({"/bin/bash", "-c",
                                  "exec 3<>/dev/tcp/127.0.0.1/" + port + " && echo connected"}));
  EXPECT_EQ(result.exit_code, 0) << result.stderr_text;
  EXPECT_EQ(result.stdout_text, "connected\n");
  const int accepted = accept4(listener, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
  EXPECT_GE(accepted, 0) << "the host listener saw no connection";
  if (accepted >= 0) close(accepted);
  close(listener);
}

TEST_F(SandboxRunTest, ReadOnlyRootUnderTmpIsVisibleButNotWritable) {
  // root_ is under /tmp, which the sandbox replaces with an empty tmpfs.
  const std::filesystem::path store = root_ / "store";
  std::filesystem::create_directories(store);
  WriteFile(store / "objects", "pack\n");
  FATHOM_RUN_OR_SKIP(hidden, RunShell("cat '" + (store / "objects").string() + "'"));
  EXPECT_NE(hidden.exit_code, 0);
  policy_.read_only_roots = {store};
  FATHOM_RUN_OR_SKIP(result, RunShell("cat '" + (store / "objects").string() + "' && echo x > '" +
                                      (store / "new").string() + "'"));
  EXPECT_EQ(result.stdout_text, "pack\n");
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.stderr_text.find("Read-only file system"), std::string::npos)
      << result.stderr_text;
  EXPECT_FALSE(std::filesystem::exists(store / "new"));
}

TEST_F(SandboxRunTest, WallTimeLimitKillsTheCommand) {
  policy_.limits.wall_time_ms = 300;
  FATHOM_RUN_OR_SKIP(result, RunShell("sleep 30"));
  EXPECT_TRUE(result.timed_out);
  EXPECT_FALSE(result.exit_code.has_value());
  EXPECT_LT(result.wall_time.count(), 5000);
}

TEST_F(SandboxRunTest, CancellationKillsTheCommand) {
  base::Result<Sandbox> sandbox = Sandbox::Create(policy_, home_);
  ASSERT_TRUE(sandbox.ok()) << sandbox.error();
  std::stop_source stop;
  CommandRequest request;
  request.argv = {"/bin/sh", "-c", "echo started; sleep 30"};
  request.stop = stop.get_token();
  request.on_output = [&stop](OutputStream, std::string_view bytes) {
    if (bytes.find("started") != std::string_view::npos) stop.request_stop();
  };
  base::Result<CommandResult> result = sandbox->Run(request);
  if (!result.ok()) GTEST_SKIP() << result.error();
  EXPECT_TRUE(result->cancelled);
  EXPECT_FALSE(result->exit_code.has_value());
  EXPECT_LT(result->wall_time.count(), 5000);
}

TEST_F(SandboxRunTest, RelativeWorkingDirectoryIsRejected) {
  base::Result<Sandbox> sandbox = Sandbox::Create(policy_, home_);
  ASSERT_TRUE(sandbox.ok()) << sandbox.error();
  CommandRequest request;
  request.argv = {"true"};
  request.working_directory = "relative/dir";
  base::Result<CommandResult> result = sandbox->Run(request);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(::testing::PrintToString(result.error()).find("absolute"), std::string::npos);
}

TEST_F(SandboxRunTest, EmptyCommandIsRejected) {
  base::Result<Sandbox> sandbox = Sandbox::Create(policy_, home_);
  ASSERT_TRUE(sandbox.ok()) << sandbox.error();
  EXPECT_FALSE(sandbox->Run(CommandRequest{}).ok());
}

TEST_F(SandboxRunTest, UnsandboxedModeRunsOnTheHostWithTheSameReporting) {
  FATHOM_RUN_OR_SKIP(result, RunShell("echo $$ > " + (outside_ / "pid").string() + "; exit 3",
                                      Isolation::kUnsandboxed));
  EXPECT_EQ(result.isolation, Isolation::kUnsandboxed);
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_NE(ReadFile(outside_ / "pid"), "2\n");  // a host pid, written outside the workspace
  EXPECT_FALSE(ReadFile(outside_ / "pid").empty());
}

}  // namespace
}  // namespace fathom::sandbox
