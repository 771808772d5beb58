// The recipe table. Build and test commands follow the official SWE-bench specs (the v5 rows'
// eval_script lines); what differs is only what Debian needs instead of the Docker images.
#include "evals/recipe.h"

#include <algorithm>
#include <filesystem>

namespace fathom::evals {

namespace {

// The file name of `path` without its extension: "test/format-test.cc" -> "format-test".
std::string Stem(const std::string& path) { return std::filesystem::path(path).stem().string(); }

// The first test file under `directory`/, or the first file at all.
std::string FirstUnder(std::span<const std::string> files, std::string_view directory) {
  for (const std::string& file : files) {
    if (file.starts_with(directory)) return file;
  }
  return files.empty() ? std::string() : files.front();
}

GeneratedCommands JqCommands(std::span<const std::string>) {
  return {{"git submodule update --init", "autoreconf -fi", "./configure --with-oniguruma=builtin",
           "make clean", "touch src/parser.y src/lexer.l", "make -j$(nproc)"},
          "make check"};
}

GeneratedCommands FmtCommands(std::span<const std::string> files) {
  const std::string target = Stem(FirstUnder(files, "test/"));
  return {{"mkdir -p build", "cmake -B build -S .",
           "cmake --build build --parallel $(nproc) --target " + target},
          "ctest --test-dir build -V -R " + target};
}

// tests/src/unit-udt.cpp -> the doctest binary test-udt_cpp11.
std::string JsonTarget(std::span<const std::string> files) {
  std::string name = Stem(FirstUnder(files, "tests/src/"));
  if (name.starts_with("unit-")) name.erase(0, 5);
  return "test-" + name + "_cpp11";
}

GeneratedCommands JsonCommands(std::span<const std::string> files) {
  const std::string target = JsonTarget(files);
  return {{"mkdir -p build", "cd build", "cmake ..", "make " + target, "cd .."},
          "./build/tests/" + target + " -s -r=xml"};
}

// tests/unit/type/list.tcl -> --single unit/type/list (the official rows add --only filters that
// cannot be derived from the files; without them the whole unit runs).
GeneratedCommands RedisCommands(std::span<const std::string> files) {
  std::string unit = FirstUnder(files, "tests/unit/");
  if (unit.starts_with("tests/")) unit.erase(0, 6);
  if (unit.ends_with(".tcl")) unit.resize(unit.size() - 4);
  return {{"make distclean", "make"}, "TERM=dumb ./runtest --durable --single " + unit};
}

GeneratedCommands MicropythonCommands(std::span<const std::string> files) {
  std::string test = FirstUnder(files, "tests/");
  if (test.starts_with("tests/")) test.erase(0, 6);
  return {{"source ./tools/ci.sh", "ci_unix_build_helper VARIANT=standard"},
          "cd tests\nMICROPY_CPYTHON3=python3 "
          "MICROPY_MICROPYTHON=../ports/unix/build-standard/micropython ./run-tests.py -i " +
              test};
}

GeneratedCommands SympyCommands(std::span<const std::string> files) {
  std::string command =
      "PYTHONWARNINGS='ignore::UserWarning,ignore::SyntaxWarning' bin/test -C --verbose";
  for (const std::string& file : files) command += " " + file;
  return {{}, command};
}

// The official sympy environments (conda: python, mpmath, flake8) have no numpy or scipy; Debian
// may have python3-numpy, which makes lambdify reach for scipy and fail. Python 3.10 also removed
// the ABC aliases from `collections` that sympy 1.0 and 1.1 import. Both fixed at interpreter
// start, so the repository itself is never edited.
constexpr std::string_view kSympySiteCustomize =
    "# Written by fathom's sympy recipe; the repository under test is not edited.\n"
    "import collections\n"
    "import collections.abc\n"
    "import sys\n"
    "for _name in collections.abc.__all__:\n"
    "    if not hasattr(collections, _name):\n"
    "        setattr(collections, _name, getattr(collections.abc, _name))\n"
    "class _NotInstalled:\n"
    "    # numpy and scipy are not part of the official environment.\n"
    "    def find_spec(self, name, path=None, target=None):\n"
    "        if name.partition('.')[0] in ('numpy', 'scipy'):\n"
    "            raise ModuleNotFoundError(\"No module named '%s'\" % name, name=name)\n"
    "        return None\n"
    "sys.meta_path.insert(0, _NotInstalled())\n";

// A recipe with Debian's own tools on PATH: a user's pyenv or /usr/local must not change a verdict.
Recipe CompiledRecipe(std::string repo, std::string log_parser,
                      GeneratedCommands (*commands)(std::span<const std::string>)) {
  Recipe recipe;
  recipe.repo = std::move(repo);
  recipe.log_parser = std::move(log_parser);
  recipe.commands = commands;
  recipe.environment = {{"PATH", "/usr/sbin:/usr/bin:/sbin:/bin"}};
  return recipe;
}

std::vector<Recipe> MakeRecipes() {
  std::vector<Recipe> recipes;
  Recipe jq = CompiledRecipe("jqlang/jq", "parse_log_jq", JqCommands);
  jq.setup_only_commands = {"git submodule update --init", "autoreconf -fi",
                            "./configure --with-oniguruma=builtin", "make clean",
                            "touch src/parser.y src/lexer.l"};
  // The official image has no valgrind; when configure finds one, jq's tests run under it and its
  // reports break tests/shtest's output comparisons (seen on jqlang__jq-2598).
  jq.version = 2;
  jq.hidden_programs = {"/usr/bin/valgrind"};
  recipes.push_back(std::move(jq));
  recipes.push_back(CompiledRecipe("fmtlib/fmt", "parse_log_googletest", FmtCommands));
  recipes.push_back(CompiledRecipe("nlohmann/json", "parse_log_doctest", JsonCommands));
  Recipe redis = CompiledRecipe("redis/redis", "parse_log_redis", RedisCommands);
  redis.setup_only_commands = {"make distclean"};
  // The test suite starts servers and talks to them over TCP on loopback.
  redis.network = sandbox::NetworkAccess::kOn;
  recipes.push_back(std::move(redis));
  recipes.push_back(
      CompiledRecipe("micropython/micropython", "parse_log_micropython_test", MicropythonCommands));

  Recipe sympy = CompiledRecipe("sympy/sympy", "parse_log_sympy", SympyCommands);
  sympy.version = 2;
  sympy.python = true;
  sympy.environment = {{"PATH", "{support}/bin:/usr/sbin:/usr/bin:/sbin:/bin"},
                       {"PYTHONPATH", "{support}/python"}};
  // bin/test runs `env python`: Debian's python3 with apt's python3-mpmath.
  sympy.support_files = {{"bin/python", "#!/bin/sh\nexec /usr/bin/python3 \"$@\"\n", true},
                         {"python/sitecustomize.py", std::string(kSympySiteCustomize), false}};
  recipes.push_back(std::move(sympy));
  return recipes;
}

}  // namespace

std::span<const Recipe> Recipes() {
  static const std::vector<Recipe> recipes = MakeRecipes();
  return recipes;
}

const Recipe* FindRecipe(std::string_view repo) {
  const std::span<const Recipe> recipes = Recipes();
  const auto it = std::find_if(recipes.begin(), recipes.end(),
                               [&](const Recipe& recipe) { return recipe.repo == repo; });
  return it == recipes.end() ? nullptr : &*it;
}

}  // namespace fathom::evals
