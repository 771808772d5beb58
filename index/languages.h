// The tree-sitter grammars compiled into fathom (pinned in third_party/tree-sitter.lock): their
// names, file extensions and ABI versions. The table is static and immutable: thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "base/result.h"

struct TSLanguage;

namespace fathom::index {

struct Language {
  std::string_view name;                         // "python", "cpp", "tsx", ...
  const TSLanguage* (*grammar)();                // the grammar's tree_sitter_<name>() entry point
  std::span<const std::string_view> extensions;  // lowercase, with the dot: ".py"
};

// Every compiled-in language, in a fixed order.
std::span<const Language> SupportedLanguages();

// The language called `name`, or kNotFound listing the known names.
base::Result<const Language*> FindLanguage(std::string_view name);

// The language of a file by its extension (".h" counts as C++, a superset that parses C headers),
// or nullptr for a file no grammar covers.
const Language* LanguageForPath(std::string_view path);

// The ABI version `language`'s parser tables were generated with.
uint32_t AbiVersion(const Language& language);

// The range of ABI versions the linked tree-sitter core accepts.
uint32_t MinCompatibleAbiVersion();
uint32_t MaxCompatibleAbiVersion();

}  // namespace fathom::index
