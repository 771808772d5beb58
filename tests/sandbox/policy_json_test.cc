// The policy file: round trips, partial files over defaults, and errors that name the bad key.
#include "sandbox/policy_json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "tests/sandbox/policy_test_util.h"

namespace fathom::sandbox {
namespace {

using base::Json;
using ::testing::HasSubstr;

class SandboxPolicyJsonTest : public SandboxPolicyFixture {
 protected:
  SandboxPolicy Default() const { return DefaultPolicy(workspace_, home_); }

  std::string ErrorOf(std::string_view text) const {
    base::Result<Json> json = base::ParseJson(text);
    if (!json.ok()) {
      ADD_FAILURE() << json.error();
      return "";
    }
    base::Result<SandboxPolicy> policy = PolicyFromJson(*json, Default());
    if (policy.ok()) {
      ADD_FAILURE() << "accepted " << text;
      return "";
    }
    return policy.error().message();
  }
};

TEST_F(SandboxPolicyJsonTest, RoundTripsEveryField) {
  SandboxPolicy policy = Default();
  policy.network = NetworkAccess::kOn;
  policy.read_only_roots = {"/srv/objects", "/tmp/store"};
  policy.environment_overrides = {{"GIT_TERMINAL_PROMPT", "0"}, {"EMPTY", ""}};
  policy.limits.wall_time_ms = 1234;
  policy.limits.output_bytes = 4096;
  base::Result<SandboxPolicy> loaded = PolicyFromJson(PolicyToJson(policy), SandboxPolicy{});
  ASSERT_TRUE(loaded.ok()) << loaded.error();
  EXPECT_EQ(*loaded, policy);
}

TEST_F(SandboxPolicyJsonTest, RoundTripsThroughAFile) {
  const SandboxPolicy policy = Default();
  const std::filesystem::path file = directory_ / "policy.json";
  base::Status saved = SavePolicyFile(file, policy);
  ASSERT_TRUE(saved.ok()) << saved.error();
  base::Result<SandboxPolicy> loaded = LoadPolicyFile(file, SandboxPolicy{});
  ASSERT_TRUE(loaded.ok()) << loaded.error();
  EXPECT_EQ(*loaded, policy);
}

TEST_F(SandboxPolicyJsonTest, WritesTheDocumentedFormat) {
  const Json json = PolicyToJson(Default());
  EXPECT_EQ(json["network"], "off");
  EXPECT_EQ(json["writable_roots"], Json::array({workspace_.string()}));
  EXPECT_EQ(json["limits"]["memory_bytes"], uint64_t{8} << 30);
  EXPECT_TRUE(json["environment"]["allow"].is_array());
  EXPECT_TRUE(json["environment"]["set"].is_object());
}

TEST_F(SandboxPolicyJsonTest, AbsentKeysKeepTheDefaults) {
  base::Result<Json> json = base::ParseJson(
      R"({"network": "on", "limits": {"memory_bytes": 1073741824},
          "environment": {"allow": ["PATH"]}})");
  ASSERT_TRUE(json.ok()) << json.error();
  base::Result<SandboxPolicy> policy = PolicyFromJson(*json, Default());
  ASSERT_TRUE(policy.ok()) << policy.error();
  SandboxPolicy expected = Default();
  expected.network = NetworkAccess::kOn;
  expected.limits.memory_bytes = 1073741824;
  expected.environment_allowlist = {"PATH"};
  EXPECT_EQ(*policy, expected);
}

TEST_F(SandboxPolicyJsonTest, UnknownKeysAreErrorsNamingTheKey) {
  EXPECT_THAT(ErrorOf(R"({"writable_root": []})"),
              HasSubstr("\"writable_root\" is not a known key"));
  EXPECT_THAT(ErrorOf(R"({"limits": {"memroy_bytes": 1}})"),
              HasSubstr("\"limits.memroy_bytes\" is not a known key"));
  EXPECT_THAT(ErrorOf(R"({"environment": {"deny": []}})"),
              HasSubstr("\"environment.deny\" is not a known key"));
}

TEST_F(SandboxPolicyJsonTest, WrongTypesAreErrorsNamingTheKey) {
  EXPECT_THAT(ErrorOf(R"([])"), HasSubstr("not an object"));
  EXPECT_THAT(ErrorOf(R"({"writable_roots": "/work"})"),
              HasSubstr("\"writable_roots\" is not an array of strings"));
  EXPECT_THAT(ErrorOf(R"({"hidden_paths": [1]})"), HasSubstr("\"hidden_paths\" holds 1"));
  EXPECT_THAT(ErrorOf(R"({"network": "maybe"})"), HasSubstr("\"network\" is \"maybe\""));
  EXPECT_THAT(ErrorOf(R"({"network": false})"), HasSubstr("\"network\" is false"));
  EXPECT_THAT(ErrorOf(R"({"limits": {"open_files": -1}})"),
              HasSubstr("\"limits.open_files\" is -1, not a non-negative integer"));
  EXPECT_THAT(ErrorOf(R"({"limits": {"wall_time_ms": 1.5}})"),
              HasSubstr("\"limits.wall_time_ms\" is 1.5"));
  EXPECT_THAT(ErrorOf(R"({"limits": []})"), HasSubstr("\"limits\" is not an object"));
  EXPECT_THAT(ErrorOf(R"({"environment": {"set": {"A": 1}}})"),
              HasSubstr("\"environment.set.A\" is not a string"));
}

TEST_F(SandboxPolicyJsonTest, BadFilesAreErrorsNamingTheFile) {
  const std::filesystem::path file = directory_ / "broken.json";
  WriteFile(file, "{\"network\": ");
  base::Result<SandboxPolicy> broken = LoadPolicyFile(file, Default());
  ASSERT_FALSE(broken.ok());
  EXPECT_THAT(broken.error().message(), HasSubstr(file.string()));

  WriteFile(file, R"({"network": "sometimes"})");
  base::Result<SandboxPolicy> invalid = LoadPolicyFile(file, Default());
  ASSERT_FALSE(invalid.ok());
  EXPECT_THAT(invalid.error().message(), HasSubstr(file.string()));
  EXPECT_THAT(invalid.error().message(), HasSubstr("\"network\""));

  EXPECT_FALSE(LoadPolicyFile(directory_ / "missing.json", Default()).ok());
}

TEST_F(SandboxPolicyJsonTest, RefusesToSavePathsThatAreNotUtf8) {
  SandboxPolicy policy = Default();
  policy.writable_roots = {"/work/\xff"};
  base::Status saved = SavePolicyFile(directory_ / "policy.json", policy);
  ASSERT_FALSE(saved.ok());
  EXPECT_THAT(saved.error().message(), HasSubstr("not UTF-8"));
}

}  // namespace
}  // namespace fathom::sandbox
