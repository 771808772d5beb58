// Test helper: the DeepSeek-V3 tokenizer of ../shared/fixtures/tokenizer, loaded once per test
// process (it takes ~0.5 s). nullptr when the fixtures are absent; a load error fails the test.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>

#include "engine/tokenizer/tokenizer.h"

namespace fathom::engine {

inline const std::filesystem::path kTokenizerFixtures =
    std::filesystem::path(FATHOM_SHARED_DIR) / "fixtures/tokenizer";

inline const Tokenizer* FixtureTokenizer() {
  static const std::unique_ptr<Tokenizer> tokenizer = []() -> std::unique_ptr<Tokenizer> {
    if (!std::filesystem::exists(kTokenizerFixtures)) return nullptr;
    auto loaded = Tokenizer::Load(kTokenizerFixtures / "deepseek_v3_tokenizer.json");
    EXPECT_TRUE(loaded.ok()) << loaded.error();
    if (!loaded.ok()) return nullptr;
    return std::make_unique<Tokenizer>(std::move(loaded).value());
  }();
  return tokenizer.get();
}

}  // namespace fathom::engine
