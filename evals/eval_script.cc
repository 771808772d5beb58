// Scripts are handled as a list of items: single command lines, and heredoc blocks (the line that
// opens one plus its body and terminator) whose text is never rewritten.
#include "evals/eval_script.h"

#include <algorithm>
#include <random>

#include "evals/patch_files.h"
#include "evals/shell_text.h"

namespace fathom::evals {

namespace {

struct ScriptItem {
  std::string text;  // one line, or a whole heredoc block (lines joined with '\n')
  bool heredoc = false;
};

// Lines the official images need and an offline run must not execute: the Docker image's conda
// environment and package installs (the recipe's environment replaces them) and a global git
// setting written into the home directory.
bool IsOfflineSkip(std::string_view line) {
  return line == "git config --global --add safe.directory /testbed" ||
         line == "source /opt/miniconda3/bin/activate" || line == "conda activate testbed" ||
         line.starts_with("python -m pip install") || line.starts_with("pip install");
}

// The heredoc terminator a line opens ("EOF_1234" for `git apply - <<'EOF_1234'`), or "".
std::string HeredocTerminator(std::string_view line) {
  const size_t at = line.find("<<");
  if (at == std::string_view::npos || line.substr(at).starts_with("<<<")) return "";
  std::string_view rest = line.substr(at + 2);
  if (rest.starts_with('-')) rest.remove_prefix(1);
  while (rest.starts_with(' ')) rest.remove_prefix(1);
  const bool quoted = rest.starts_with('\'') || rest.starts_with('"');
  if (quoted) rest.remove_prefix(1);
  size_t length = 0;
  while (length < rest.size() &&
         (std::isalnum(static_cast<unsigned char>(rest[length])) || rest[length] == '_')) {
    ++length;
  }
  return std::string(rest.substr(0, length));
}

base::Result<std::vector<ScriptItem>> SplitScript(std::string_view script) {
  std::vector<std::string_view> lines;
  while (!script.empty()) {
    const size_t end = script.find('\n');
    lines.push_back(script.substr(0, end));
    if (end == std::string_view::npos) break;
    script.remove_prefix(end + 1);
  }
  std::vector<ScriptItem> items;
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string terminator = HeredocTerminator(lines[i]);
    if (terminator.empty()) {
      items.push_back({std::string(lines[i]), false});
      continue;
    }
    std::string block(lines[i]);
    size_t j = i + 1;
    for (; j < lines.size() && lines[j] != terminator; ++j) (block += '\n') += lines[j];
    if (j == lines.size()) {
      return base::InvalidArgumentError("eval_script: heredoc '" + terminator +
                                        "' is never terminated");
    }
    (block += '\n') += terminator;
    items.push_back({std::move(block), true});
    i = j;
  }
  return items;
}

bool Contains(const std::vector<std::string>& list, std::string_view line) {
  return std::find(list.begin(), list.end(), line) != list.end();
}

// Index of the first non-heredoc item containing `marker`.
std::optional<size_t> FindMarker(const std::vector<ScriptItem>& items, std::string_view marker) {
  for (size_t i = 0; i < items.size(); ++i) {
    if (!items[i].heredoc && items[i].text.find(marker) != std::string::npos) return i;
  }
  return std::nullopt;
}

std::string JoinLines(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines) (text += line) += '\n';
  return text;
}

// A heredoc terminator that does not occur in `body`.
std::string UniqueTerminator(std::string_view body) {
  std::mt19937_64 random(std::hash<std::string_view>()(body));
  for (;;) {
    char name[32];
    std::snprintf(name, sizeof name, "EOF_%012llx",
                  static_cast<unsigned long long>(random() & 0xffffffffffffULL));
    if (body.find(name) == std::string_view::npos) return name;
  }
}

}  // namespace

base::Result<std::string> GenerateEvalScript(const TaskInstance& instance, const Recipe& recipe) {
  if (recipe.commands == nullptr) {
    return base::InvalidArgumentError("the recipe for " + recipe.repo +
                                      " cannot write eval scripts");
  }
  const GeneratedCommands commands = recipe.commands(TestDirectives(instance.test_patch));
  std::string checkout_tests;
  for (const std::string& file : ModifiedFiles(instance.test_patch)) checkout_tests += " " + file;

  std::vector<std::string> lines = {"#!/bin/bash", "set -uxo pipefail", "cd /testbed"};
  if (!checkout_tests.empty())
    lines.push_back("git checkout " + instance.base_commit + checkout_tests);
  if (!instance.test_patch.empty()) {
    const std::string terminator = UniqueTerminator(instance.test_patch);
    std::string patch = instance.test_patch;
    if (!patch.ends_with('\n')) patch += '\n';
    lines.push_back((recipe.python ? "git apply -v - <<'" : "git apply --verbose --reject - <<'") +
                    terminator + "'\n" + patch + terminator);
  }
  lines.insert(lines.end(), commands.build.begin(), commands.build.end());
  lines.push_back(": '" + std::string(kStartTestOutput) + "'");
  lines.push_back(commands.test);
  lines.push_back(": '" + std::string(kEndTestOutput) + "'");
  if (!checkout_tests.empty())
    lines.push_back("git checkout " + instance.base_commit + checkout_tests);
  return JoinLines(lines);
}

base::Result<EvalScripts> MakeEvalScripts(const TaskInstance& instance, const Recipe& recipe,
                                          const std::filesystem::path& testbed) {
  std::string official;
  if (instance.eval_script.has_value()) {
    official = *instance.eval_script;
  } else {
    FATHOM_ASSIGN_OR_RETURN(official, GenerateEvalScript(instance, recipe));
  }
  FATHOM_ASSIGN_OR_RETURN(std::vector<ScriptItem> items, SplitScript(official));
  const std::optional<size_t> start = FindMarker(items, kStartTestOutput);
  const std::optional<size_t> end = FindMarker(items, kEndTestOutput);
  if (!start || !end || *end < *start) {
    return base::InvalidArgumentError("eval_script of " + instance.instance_id + " lacks the '" +
                                      std::string(kStartTestOutput) + "' / '" +
                                      std::string(kEndTestOutput) + "' markers");
  }
  const std::string quoted_testbed = ShellQuote(testbed.string());

  // Setup: the build steps between the test patch and the start marker, at base_commit.
  size_t build_begin = 0;
  for (size_t i = 0; i < *start; ++i) {
    if (items[i].heredoc) build_begin = i + 1;
  }
  std::vector<std::string> setup = {"#!/bin/bash", "set -uxo pipefail", "cd " + quoted_testbed};
  for (size_t i = build_begin; i < *start; ++i) {
    if (items[i].text.empty() || IsOfflineSkip(items[i].text)) continue;
    setup.push_back(ReplaceAll(items[i].text, "/testbed", quoted_testbed));
  }

  EvalScripts scripts;
  if (setup.size() > 3) scripts.setup = JoinLines(setup);
  const bool records_exit_code = std::any_of(
      items.begin() + *start, items.begin() + *end,
      [](const ScriptItem& item) { return item.text.starts_with("SWEBENCH_TEST_EXIT_CODE=$?"); });
  std::vector<std::string> eval;
  for (size_t i = 0; i < items.size(); ++i) {
    const ScriptItem& item = items[i];
    if (item.heredoc) {
      eval.push_back(item.text);
      continue;
    }
    if (IsOfflineSkip(item.text)) {
      scripts.skipped_lines.push_back(item.text + "  (offline: the recipe provides this)");
      continue;
    }
    if (i < *start && Contains(recipe.setup_only_commands, item.text)) {
      scripts.skipped_lines.push_back(item.text + "  (done by the cached setup)");
      continue;
    }
    if (i == *end && !records_exit_code) eval.push_back("SWEBENCH_TEST_EXIT_CODE=$?");
    eval.push_back(ReplaceAll(item.text, "/testbed", quoted_testbed));
    if (i == *end && !records_exit_code) {
      eval.push_back("echo \"" + std::string(kTestExitCode) + "$SWEBENCH_TEST_EXIT_CODE\"");
    }
  }
  scripts.eval = JoinLines(eval);
  return scripts;
}

}  // namespace fathom::evals
