// Runs the built `fathom` binary: --version, --help, unknown subcommands and flags, and
// `doctor` (table and --json), checking the JSON report against facts measured here.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>

#include "base/json.h"
#include "index/languages.h"
#include "tests/cli/run_fathom.h"

namespace fathom::cli {
namespace {

TEST(CliTest, VersionPrintsTheProjectVersion) {
  const CommandOutput result = RunFathom("--version");
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("fathom " FATHOM_PROJECT_VERSION), std::string::npos)
      << result.output;
}

TEST(CliTest, HelpListsSubcommands) {
  const CommandOutput result = RunFathom("--help");
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("doctor"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("Check this machine"), std::string::npos) << result.output;
}

TEST(CliTest, UnknownSubcommandIsAnErrorNamingIt) {
  const CommandOutput result = RunFathom("frobnicate");
  EXPECT_NE(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("frobnicate"), std::string::npos) << result.output;
}

TEST(CliTest, UnknownFlagIsAnErrorNamingIt) {
  const CommandOutput result = RunFathom("doctor --frobnicate");
  EXPECT_NE(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("--frobnicate"), std::string::npos) << result.output;
}

TEST(CliTest, MissingSubcommandIsAnError) {
  const CommandOutput result = RunFathom("");
  EXPECT_NE(result.exit_code, 0) << result.output;
}

TEST(CliTest, DoctorPrintsATableOfChecks) {
  const CommandOutput result = RunFathom("doctor");
  EXPECT_EQ(result.exit_code, 0) << result.output;
  for (const char* check : {"CHECK", "cpu", "cores", "memory", "cuda", "user_namespaces", "seccomp",
                            "no_new_privs", "cgroups", "tree_sitter", "sqlite"}) {
    EXPECT_NE(result.output.find(check), std::string::npos) << check << "\n" << result.output;
  }
}

TEST(CliTest, DoctorJsonAgreesWithThisProcess) {
  const CommandOutput result = RunFathom("doctor --json", "2>/dev/null");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  const base::Json report = base::Json::parse(result.output, nullptr, false);
  ASSERT_FALSE(report.is_discarded()) << result.output;
  const base::Json& checks = report.at("checks");
  EXPECT_TRUE(report.at("required_checks_passed").get<bool>());

  EXPECT_EQ(checks.at("sqlite").at("version").get<std::string>(), sqlite3_libversion());
  EXPECT_TRUE(checks.at("sqlite").at("fts5").get<bool>());

  const base::Json& grammars = checks.at("tree_sitter").at("grammars");
  ASSERT_EQ(grammars.size(), index::SupportedLanguages().size());
  EXPECT_EQ(grammars.size(), 11u);
  for (size_t i = 0; i < grammars.size(); ++i) {
    EXPECT_EQ(grammars[i].at("name").get<std::string>(), index::SupportedLanguages()[i].name);
    EXPECT_TRUE(grammars[i].at("parses").get<bool>()) << grammars[i].dump();
  }

#if defined(__x86_64__) || defined(__i386__)
  __builtin_cpu_init();
  EXPECT_EQ(checks.at("cpu").at("avx2").get<bool>(), __builtin_cpu_supports("avx2") != 0);
#endif
  for (const char* name : {"cuda", "user_namespaces", "seccomp", "no_new_privs", "cgroups"}) {
    const std::string status = checks.at(name).at("status").get<std::string>();
    EXPECT_TRUE(status == "ok" || status == "warn") << name << ": " << checks.at(name).dump();
  }
}

}  // namespace
}  // namespace fathom::cli
