// Fingerprints of text for cache keys and run-state rows: 64-bit FNV-1a, chainable, as 16 hex
// digits. Stable across runs and builds (unlike std::hash); not a cryptographic hash.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace fathom::evals {

inline constexpr uint64_t kFnv1aOffset = 0xcbf29ce484222325ULL;

// FNV-1a of `text`, continuing from `hash` (pass a previous result to chain several texts).
uint64_t Fnv1a(std::string_view text, uint64_t hash = kFnv1aOffset);

// `value` as 16 lowercase hex digits.
std::string Hex64(uint64_t value);

}  // namespace fathom::evals
