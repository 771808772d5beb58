# libFuzzer target for the DSML completion parsers (included from fuzz/CMakeLists.txt). Run:
#   mkdir -p build/fuzz/corpus_dsml && build/fuzz/dsml_parser_fuzzer -max_total_time=600
#     -dict=fuzz/dsml_parser.dict build/fuzz/corpus_dsml fuzz/corpus/dsml_parser
# Corpus files are one mode byte (bit 0: thinking) followed by a completion.
set(fathom_dsml_sources completion_events completion_parser dsml_error dsml_grammar
    incremental_parser python_json renderer tool_call_text)
list(TRANSFORM fathom_dsml_sources PREPEND "${fathom_root}/engine/chat_format/")
list(TRANSFORM fathom_dsml_sources APPEND ".cc")

add_executable(dsml_parser_fuzzer
  dsml_parser_fuzzer.cc
  "${fathom_root}/base/check.cc"
  "${fathom_root}/base/error.cc"
  ${fathom_dsml_sources}
)
target_include_directories(dsml_parser_fuzzer PRIVATE "${fathom_root}")
target_compile_options(dsml_parser_fuzzer PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow ${fathom_fuzz_flags})
target_link_options(dsml_parser_fuzzer PRIVATE ${fathom_fuzz_flags})
target_link_libraries(dsml_parser_fuzzer PRIVATE nlohmann_json::nlohmann_json)
