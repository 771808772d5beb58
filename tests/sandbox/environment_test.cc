// The sandboxed command's environment: allow-listed host variables, never credentials, then the
// policy's overrides.
#include "sandbox/environment.h"

#include <gtest/gtest.h>

namespace fathom::sandbox {
namespace {

const Environment kHost = {
    {"PATH", "/usr/bin:/bin"},
    {"HOME", "/home/me"},
    {"LANG", "C.UTF-8"},
    {"LC_ALL", "C"},
    {"SSH_AUTH_SOCK", "/tmp/ssh-x/agent.1"},
    {"AWS_SECRET_ACCESS_KEY", "secret"},
    {"AWS_PROFILE", "prod"},
    {"GITHUB_TOKEN", "ghp_x"},
    {"DBUS_SESSION_BUS_ADDRESS", "unix:path=/run/user/1000/bus"},
    {"LD_PRELOAD", "/tmp/x.so"},
    {"EDITOR", "vim"},
};

TEST(SandboxEnvironmentTest, DefaultPolicyScrubsTheHostEnvironment) {
  const Environment effective = EffectiveEnvironment(DefaultPolicy("/work", "/home/me"), kHost);
  EXPECT_EQ(
      effective,
      (Environment{
          {"PATH", "/usr/bin:/bin"}, {"HOME", "/home/me"}, {"LANG", "C.UTF-8"}, {"LC_ALL", "C"}}));
}

TEST(SandboxEnvironmentTest, CredentialsNeverPassEvenWhenAllowed) {
  SandboxPolicy policy;
  policy.environment_allowlist = {"AWS_*", "SSH_AUTH_SOCK", "GITHUB_TOKEN", "EDITOR"};
  const Environment effective = EffectiveEnvironment(policy, kHost);
  EXPECT_EQ(effective, (Environment{{"EDITOR", "vim"}, {"PATH", std::string(kDefaultPath)}}));
}

TEST(SandboxEnvironmentTest, OverridesWinAndPathHasADefault) {
  SandboxPolicy policy;
  policy.environment_allowlist = {"HOME"};
  policy.environment_overrides = {{"HOME", "/sandbox-home"}, {"GIT_TERMINAL_PROMPT", "0"}};
  EXPECT_EQ(EffectiveEnvironment(policy, kHost),
            (Environment{{"GIT_TERMINAL_PROMPT", "0"},
                         {"HOME", "/sandbox-home"},
                         {"PATH", std::string(kDefaultPath)}}));
}

TEST(SandboxEnvironmentTest, ParsesAndFormatsEntries) {
  const char* entries[] = {"A=1", "B==2", "NOEQUALS", "A=shadowed", "EMPTY=", nullptr};
  const Environment environment = ParseEnvironment(entries);
  EXPECT_EQ(environment, (Environment{{"A", "1"}, {"B", "=2"}, {"EMPTY", ""}}));
  EXPECT_EQ(EnvironmentEntries(environment), (std::vector<std::string>{"A=1", "B==2", "EMPTY="}));
  EXPECT_TRUE(ParseEnvironment(nullptr).empty());
}

TEST(SandboxEnvironmentTest, ValidatesPatterns) {
  EXPECT_TRUE(IsValidEnvironmentPattern("PATH"));
  EXPECT_TRUE(IsValidEnvironmentPattern("LC_*"));
  EXPECT_TRUE(IsValidEnvironmentPattern("_x1"));
  EXPECT_FALSE(IsValidEnvironmentPattern("*"));
  EXPECT_FALSE(IsValidEnvironmentPattern(""));
  EXPECT_FALSE(IsValidEnvironmentPattern("A=B"));
  EXPECT_FALSE(IsValidEnvironmentPattern("9LIVES"));
  EXPECT_EQ(CredentialAdmittedBy("SSH_*"), "SSH_AUTH_SOCK");
  EXPECT_EQ(CredentialAdmittedBy("AWS_REGION"), "AWS_*");
  EXPECT_EQ(CredentialAdmittedBy("TERM"), "");
}

}  // namespace
}  // namespace fathom::sandbox
