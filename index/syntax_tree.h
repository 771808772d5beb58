// SyntaxTree: the tree-sitter parse of one source text in one Language. Owns its TSTree (and
// frees it); the parser used to build it is released after parsing. A tree is immutable and may be
// read from several threads; TSNode values borrowed from it live as long as the tree.
#pragma once

#include <tree_sitter/api.h>

#include <memory>
#include <string>
#include <string_view>

#include "base/result.h"
#include "index/languages.h"

namespace fathom::index {

class SyntaxTree {
 public:
  // Parses `source` (UTF-8). Fails when the grammar's ABI is incompatible with the linked core.
  static base::Result<SyntaxTree> Parse(const Language& language, std::string_view source);

  TSNode root() const { return ts_tree_root_node(tree_.get()); }

  // True when the parser had to insert ERROR or MISSING nodes anywhere in the tree.
  bool has_errors() const { return ts_node_has_error(root()); }

  // The tree in tree-sitter's S-expression notation, e.g. "(module (expression_statement ...))".
  std::string ToSExpression() const;

 private:
  struct TreeDeleter {
    void operator()(TSTree* tree) const { ts_tree_delete(tree); }
  };

  explicit SyntaxTree(TSTree* tree) : tree_(tree) {}

  std::unique_ptr<TSTree, TreeDeleter> tree_;
};

}  // namespace fathom::index
