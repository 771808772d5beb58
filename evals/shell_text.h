// Text helpers for the shell scripts the harness writes: quoting a word for bash, and replacing
// placeholders (/testbed, {support}) with paths.
#pragma once

#include <string>
#include <string_view>

namespace fathom::evals {

// `text` as one single-quoted bash word: abc -> 'abc', it's -> 'it'\''s'.
std::string ShellQuote(std::string_view text);

// `text` with every occurrence of `from` replaced by `to` (left to right, no rescanning).
std::string ReplaceAll(std::string text, std::string_view from, std::string_view to);

}  // namespace fathom::evals
