#include "index/syntax_tree.h"

#include <cstdlib>

namespace fathom::index {
namespace {

struct ParserDeleter {
  void operator()(TSParser* parser) const { ts_parser_delete(parser); }
};

}  // namespace

base::Result<SyntaxTree> SyntaxTree::Parse(const Language& language, std::string_view source) {
  std::unique_ptr<TSParser, ParserDeleter> parser(ts_parser_new());
  if (!ts_parser_set_language(parser.get(), language.grammar())) {
    return base::FailedPreconditionError(
        "tree-sitter grammar '" + std::string(language.name) + "' has ABI version " +
        std::to_string(AbiVersion(language)) + ", outside the supported range " +
        std::to_string(MinCompatibleAbiVersion()) + ".." +
        std::to_string(MaxCompatibleAbiVersion()));
  }
  if (source.size() > UINT32_MAX) {
    return base::InvalidArgumentError("source of " + std::to_string(source.size()) +
                                      " bytes is too large for tree-sitter (4 GiB at most)");
  }
  TSTree* tree = ts_parser_parse_string(parser.get(), nullptr, source.data(),
                                        static_cast<uint32_t>(source.size()));
  if (tree == nullptr) {
    return base::InternalError("tree-sitter failed to parse " + std::string(language.name) +
                               " source");
  }
  return SyntaxTree(tree);
}

std::string SyntaxTree::ToSExpression() const {
  char* text = ts_node_string(root());
  std::string result(text);
  std::free(text);
  return result;
}

}  // namespace fathom::index
