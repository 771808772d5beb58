// Doctor checks of what fathom links: the CUDA runtime and its devices, the tree-sitter grammars
// (each must load into the core and parse a one-line snippet) and SQLite with FTS5.
#include <map>
#include <string>
#include <string_view>

#include "base/sqlite.h"
#include "cli/doctor/checks.h"
#include "cli/doctor/report.h"
#include "engine/backend/cuda/cuda_runtime_info.h"
#include "index/languages.h"
#include "index/syntax_tree.h"

namespace fathom::cli {

namespace {

// One line of code per grammar; a grammar added without a snippet here fails the check.
const std::map<std::string_view, std::string_view>& GrammarSnippets() {
  static const auto* snippets = new std::map<std::string_view, std::string_view>{
      {"python", "def add(a, b): return a + b\n"},
      {"c", "int add(int a, int b) { return a + b; }\n"},
      {"cpp", "template <typename T> T add(T a, T b) { return a + b; }\n"},
      {"javascript", "const add = (a, b) => a + b;\n"},
      {"typescript", "const add = (a: number, b: number): number => a + b;\n"},
      {"tsx", "const view = <div>{1 + 2}</div>;\n"},
      {"go", "package main\n"},
      {"rust", "fn add(a: i32, b: i32) -> i32 { a + b }\n"},
      {"java", "class A { int add(int a, int b) { return a + b; } }\n"},
      {"bash", "echo $(( 1 + 2 ))\n"},
      {"json", "{\"a\": [1, 2.5, true, null]}\n"},
  };
  return *snippets;
}

// Whether `language` loads and parses its snippet without errors; empty when it does.
std::string ParseFailure(const index::Language& language) {
  auto snippet = GrammarSnippets().find(language.name);
  if (snippet == GrammarSnippets().end()) return "no doctor snippet for this grammar";
  base::Result<index::SyntaxTree> tree = index::SyntaxTree::Parse(language, snippet->second);
  if (!tree.ok()) return tree.error().message();
  if (tree->has_errors()) return "syntax errors in " + tree->ToSExpression();
  return "";
}

std::string DescribeDevice(size_t ordinal, const engine::CudaDevice& device) {
  return std::to_string(ordinal) + ": " + device.name + ", compute capability " +
         std::to_string(device.compute_capability_major) + "." +
         std::to_string(device.compute_capability_minor) + ", " +
         FormatBytes(device.total_memory_bytes) + ", " +
         std::to_string(device.multiprocessor_count) + " multiprocessors";
}

base::Json CudaVersionOrNull(int version) {
  return version > 0 ? base::Json(engine::CudaVersionString(version)) : base::Json(nullptr);
}

base::Json DeviceFacts(const engine::CudaDevice& device) {
  return base::Json{
      {"name", device.name},
      {"compute_capability", std::to_string(device.compute_capability_major) + "." +
                                 std::to_string(device.compute_capability_minor)},
      {"total_memory_bytes", device.total_memory_bytes},
      {"multiprocessors", device.multiprocessor_count},
  };
}

// Creates an FTS5 table, indexes two rows and checks that MATCH finds exactly the right one.
base::Status CheckFts5(base::Database& database) {
  FATHOM_TRY(database.Execute(
      "CREATE VIRTUAL TABLE doctor USING fts5(body);"
      "INSERT INTO doctor(body) VALUES ('fathom indexes repositories'), ('unrelated words');"));
  FATHOM_ASSIGN_OR_RETURN(base::Statement query,
                          database.Prepare("SELECT body FROM doctor WHERE doctor MATCH 'index*'"));
  std::vector<std::string> bodies;
  while (true) {
    FATHOM_ASSIGN_OR_RETURN(bool has_row, query.Step());
    if (!has_row) break;
    bodies.push_back(query.ColumnText(0));
  }
  if (bodies != std::vector<std::string>{"fathom indexes repositories"}) {
    return base::InternalError("MATCH 'index*' returned " + std::to_string(bodies.size()) +
                               " rows instead of the one indexed row");
  }
  return base::Ok();
}

}  // namespace

CheckResult CheckCuda() {
  CheckResult result("cuda");
  const engine::CudaRuntimeInfo info = engine::QueryCudaRuntime();
  result.facts = base::Json{{"compiled_in", info.compiled_in},
                            {"runtime_version", CudaVersionOrNull(info.runtime_version)},
                            {"driver_version", CudaVersionOrNull(info.driver_version)},
                            {"devices", base::Json::array()}};
  for (size_t i = 0; i < info.devices.size(); ++i) {
    result.facts["devices"].push_back(DeviceFacts(info.devices[i]));
    result.details.push_back(DescribeDevice(i, info.devices[i]));
  }
  std::string versions;
  if (info.compiled_in) {
    versions = "runtime " + engine::CudaVersionString(info.runtime_version) + ", driver " +
               (info.driver_version > 0 ? engine::CudaVersionString(info.driver_version)
                                        : std::string("none")) +
               "; ";
  }
  result.summary = versions + info.detail;
  if (info.devices.empty()) {
    result.status = CheckStatus::kWarn;
    result.details.push_back("no CUDA device: the engine can only use its CPU backend");
  }
  return result;
}

CheckResult CheckTreeSitter() {
  CheckResult result("tree_sitter", /*is_required=*/true);
  const uint32_t min_abi = index::MinCompatibleAbiVersion();
  const uint32_t max_abi = index::MaxCompatibleAbiVersion();
  result.facts = base::Json{{"min_abi_version", min_abi},
                            {"max_abi_version", max_abi},
                            {"grammars", base::Json::array()}};
  size_t failures = 0;
  for (const index::Language& language : index::SupportedLanguages()) {
    const uint32_t abi = index::AbiVersion(language);
    const std::string failure = ParseFailure(language);
    if (!failure.empty()) ++failures;
    result.facts["grammars"].push_back(
        base::Json{{"name", language.name}, {"abi_version", abi}, {"parses", failure.empty()}});
    result.details.push_back(std::string(language.name) + ": ABI " + std::to_string(abi) + ", " +
                             (failure.empty() ? "parses a snippet" : failure));
  }
  const size_t count = index::SupportedLanguages().size();
  result.summary = std::to_string(count) + " grammars (core accepts ABI " +
                   std::to_string(min_abi) + "-" + std::to_string(max_abi) + "); " +
                   (failures == 0 ? "all parse a snippet" : std::to_string(failures) + " failed");
  if (failures > 0 || count == 0) result.status = CheckStatus::kFail;
  return result;
}

CheckResult CheckSqlite() {
  CheckResult result("sqlite", /*is_required=*/true);
  result.facts["version"] = base::SqliteVersion();
  result.summary = "SQLite " + std::string(base::SqliteVersion());
  base::Result<base::Database> database = base::Database::Open(":memory:");
  base::Status fts5 = database.ok() ? CheckFts5(*database) : base::Status(database.error());
  result.facts["fts5"] = fts5.ok();
  if (fts5.ok()) {
    result.summary += "; FTS5 indexes and matches text";
  } else {
    result.status = CheckStatus::kFail;
    result.summary += "; FTS5 does not work: " + fts5.error().message();
  }
  return result;
}

}  // namespace fathom::cli
