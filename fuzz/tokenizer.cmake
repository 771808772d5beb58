# libFuzzer target for the tokenizer (included from fuzz/CMakeLists.txt). It loads the fixture
# tokenizer.json once (FATHOM_TOKENIZER_JSON overrides the path) and feeds it arbitrary bytes:
#   mkdir -p build/fuzz/corpus_tokenizer && build/fuzz/tokenizer_fuzzer -max_total_time=600
#     -dict=fuzz/tokenizer.dict build/fuzz/corpus_tokenizer fuzz/corpus/tokenizer
find_package(PkgConfig REQUIRED)
pkg_check_modules(FUZZ_ONIGURUMA QUIET IMPORTED_TARGET oniguruma)
if(NOT FUZZ_ONIGURUMA_FOUND)
  message(STATUS "fathom: oniguruma not found (Debian package libonig-dev); tokenizer_fuzzer skipped")
  return()
endif()

set(fathom_tokenizer_sources added_token_matcher bpe_model byte_level deepseek_v4_tokens
    merge_table oniguruma_regex pre_tokenizer streaming_detokenizer tokenizer tokenizer_json
    word_cache)
list(TRANSFORM fathom_tokenizer_sources PREPEND "${fathom_root}/engine/tokenizer/")
list(TRANSFORM fathom_tokenizer_sources APPEND ".cc")

add_executable(tokenizer_fuzzer
  tokenizer_fuzzer.cc
  "${fathom_root}/base/check.cc"
  "${fathom_root}/base/error.cc"
  "${fathom_root}/base/file.cc"
  "${fathom_root}/base/json.cc"
  "${fathom_root}/base/utf8.cc"
  ${fathom_tokenizer_sources}
)
target_include_directories(tokenizer_fuzzer PRIVATE "${fathom_root}")
target_compile_definitions(tokenizer_fuzzer PRIVATE
    FATHOM_TOKENIZER_FIXTURE="${fathom_root}/../shared/fixtures/tokenizer/deepseek_v3_tokenizer.json")
target_compile_options(tokenizer_fuzzer PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow ${fathom_fuzz_flags})
target_link_options(tokenizer_fuzzer PRIVATE ${fathom_fuzz_flags})
target_link_libraries(tokenizer_fuzzer PRIVATE nlohmann_json::nlohmann_json PkgConfig::FUZZ_ONIGURUMA)
