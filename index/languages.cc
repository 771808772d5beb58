#include "index/languages.h"

#include <tree_sitter/api.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

extern "C" {
const TSLanguage* tree_sitter_python();
const TSLanguage* tree_sitter_c();
const TSLanguage* tree_sitter_cpp();
const TSLanguage* tree_sitter_javascript();
const TSLanguage* tree_sitter_typescript();
const TSLanguage* tree_sitter_tsx();
const TSLanguage* tree_sitter_go();
const TSLanguage* tree_sitter_rust();
const TSLanguage* tree_sitter_java();
const TSLanguage* tree_sitter_bash();
const TSLanguage* tree_sitter_json();
}

namespace fathom::index {
namespace {

constexpr std::string_view kPython[] = {".py", ".pyi"};
constexpr std::string_view kC[] = {".c"};
constexpr std::string_view kCpp[] = {".cc", ".cpp", ".cxx", ".c++", ".h", ".hh", ".hpp", ".hxx"};
constexpr std::string_view kJavaScript[] = {".js", ".mjs", ".cjs", ".jsx"};
constexpr std::string_view kTypeScript[] = {".ts", ".mts", ".cts"};
constexpr std::string_view kTsx[] = {".tsx"};
constexpr std::string_view kGo[] = {".go"};
constexpr std::string_view kRust[] = {".rs"};
constexpr std::string_view kJava[] = {".java"};
constexpr std::string_view kBash[] = {".sh", ".bash"};
constexpr std::string_view kJson[] = {".json"};

const std::array<Language, 11> kLanguages = {{
    {"python", tree_sitter_python, kPython},
    {"c", tree_sitter_c, kC},
    {"cpp", tree_sitter_cpp, kCpp},
    {"javascript", tree_sitter_javascript, kJavaScript},
    {"typescript", tree_sitter_typescript, kTypeScript},
    {"tsx", tree_sitter_tsx, kTsx},
    {"go", tree_sitter_go, kGo},
    {"rust", tree_sitter_rust, kRust},
    {"java", tree_sitter_java, kJava},
    {"bash", tree_sitter_bash, kBash},
    {"json", tree_sitter_json, kJson},
}};

std::string LowercaseExtension(std::string_view path) {
  size_t slash = path.rfind('/');
  std::string_view file = slash == std::string_view::npos ? path : path.substr(slash + 1);
  size_t dot = file.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return "";
  std::string extension(file.substr(dot));
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return extension;
}

}  // namespace

std::span<const Language> SupportedLanguages() { return kLanguages; }

base::Result<const Language*> FindLanguage(std::string_view name) {
  std::string known;
  for (const Language& language : kLanguages) {
    if (language.name == name) return &language;
    known += known.empty() ? "" : ", ";
    known += language.name;
  }
  return base::NotFoundError("no tree-sitter grammar for language '" + std::string(name) +
                             "' (known: " + known + ")");
}

const Language* LanguageForPath(std::string_view path) {
  std::string extension = LowercaseExtension(path);
  if (extension.empty()) return nullptr;
  for (const Language& language : kLanguages) {
    if (std::find(language.extensions.begin(), language.extensions.end(), extension) !=
        language.extensions.end()) {
      return &language;
    }
  }
  return nullptr;
}

uint32_t AbiVersion(const Language& language) {
  return ts_language_abi_version(language.grammar());
}

uint32_t MinCompatibleAbiVersion() { return TREE_SITTER_MIN_COMPATIBLE_LANGUAGE_VERSION; }
uint32_t MaxCompatibleAbiVersion() { return TREE_SITTER_LANGUAGE_VERSION; }

}  // namespace fathom::index
