// Every compiled-in tree-sitter grammar loads into the core and parses a snippet of its language
// into the expected root node without syntax errors.
#include "index/languages.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "index/syntax_tree.h"

namespace fathom::index {
namespace {

struct Snippet {
  std::string source;
  std::string root_type;
  std::string inner_node;  // a node type the parse must contain
};

const std::map<std::string, Snippet>& Snippets() {
  static const auto* snippets = new std::map<std::string, Snippet>{
      {"python", {"def add(a, b):\n    return a + b\n", "module", "function_definition"}},
      {"c",
       {"int add(int a, int b) { return a + b; }\n", "translation_unit", "function_definition"}},
      {"cpp",
       {"template <typename T> T add(T a, T b) { return a + b; }\n", "translation_unit",
        "template_declaration"}},
      {"javascript", {"const add = (a, b) => a + b;\n", "program", "arrow_function"}},
      {"typescript",
       {"function add(a: number, b: number): number { return a + b; }\n", "program",
        "type_annotation"}},
      {"tsx", {"const view = <div className=\"x\">{1 + 2}</div>;\n", "program", "jsx_element"}},
      {"go",
       {"package main\n\nfunc add(a int, b int) int { return a + b }\n", "source_file",
        "function_declaration"}},
      {"rust", {"fn add(a: i32, b: i32) -> i32 { a + b }\n", "source_file", "function_item"}},
      {"java",
       {"class A { int add(int a, int b) { return a + b; } }\n", "program", "method_declaration"}},
      {"bash", {"add() { echo $(( $1 + $2 )); }\nadd 1 2\n", "program", "function_definition"}},
      {"json", {"{\"a\": [1, 2.5, true, null]}\n", "document", "array"}},
  };
  return *snippets;
}

TEST(LanguagesTest, EveryGrammarHasASnippet) {
  ASSERT_EQ(SupportedLanguages().size(), Snippets().size());
  for (const Language& language : SupportedLanguages()) {
    EXPECT_TRUE(Snippets().contains(std::string(language.name))) << language.name;
  }
}

TEST(LanguagesTest, EveryGrammarParsesItsSnippet) {
  for (const Language& language : SupportedLanguages()) {
    SCOPED_TRACE(std::string(language.name));
    const Snippet& snippet = Snippets().at(std::string(language.name));
    EXPECT_GE(AbiVersion(language), MinCompatibleAbiVersion());
    EXPECT_LE(AbiVersion(language), MaxCompatibleAbiVersion());
    base::Result<SyntaxTree> tree = SyntaxTree::Parse(language, snippet.source);
    ASSERT_TRUE(tree.ok()) << tree.error();
    EXPECT_EQ(ts_node_type(tree->root()), snippet.root_type);
    EXPECT_FALSE(tree->has_errors()) << tree->ToSExpression();
    EXPECT_NE(tree->ToSExpression().find("(" + snippet.inner_node), std::string::npos)
        << tree->ToSExpression();
  }
}

TEST(LanguagesTest, BrokenSourceIsReportedAsErrors) {
  base::Result<const Language*> python = FindLanguage("python");
  ASSERT_TRUE(python.ok());
  base::Result<SyntaxTree> tree = SyntaxTree::Parse(**python, "def (:\n");
  ASSERT_TRUE(tree.ok());
  EXPECT_TRUE(tree->has_errors());
}

TEST(LanguagesTest, FindsLanguagesByNameAndPath) {
  base::Result<const Language*> unknown = FindLanguage("cobol");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code(), base::ErrorCode::kNotFound);
  EXPECT_NE(unknown.error().message().find("python"), std::string::npos);

  EXPECT_EQ(LanguageForPath("src/main.rs")->name, "rust");
  EXPECT_EQ(LanguageForPath("include/Thing.HPP")->name, "cpp");
  EXPECT_EQ(LanguageForPath("a/b.d/view.tsx")->name, "tsx");
  EXPECT_EQ(LanguageForPath("Makefile"), nullptr);
  EXPECT_EQ(LanguageForPath(".bashrc"), nullptr);
  EXPECT_EQ(LanguageForPath("notes.txt"), nullptr);
}

}  // namespace
}  // namespace fathom::index
