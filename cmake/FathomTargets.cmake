# Compiler settings shared by every fathom target: warnings (errors when
# FATHOM_WERROR), sanitizers (FATHOM_SANITIZE) and the repository root as the
# include root, so headers are included as "base/result.h".

set(FATHOM_WARNINGS -Wall -Wextra -Wpedantic -Wshadow)
# No fused multiply-add contraction: the engine's kernels promise one summation order on every
# code path (scalar and SIMD), which contraction would break.
set(FATHOM_FLOAT_FLAGS -ffp-contract=off)

if(FATHOM_SANITIZE)
  set(FATHOM_SANITIZER_FLAGS -fsanitize=address,undefined -fno-omit-frame-pointer
      -fno-sanitize-recover=undefined)
  # Leaks inside system libraries we cannot fix (each one named in the file) are suppressed.
  set(FATHOM_SANITIZER_TEST_ENVIRONMENT
      "LSAN_OPTIONS=suppressions=${CMAKE_SOURCE_DIR}/cmake/lsan_suppressions.txt")
endif()

# Applies fathom's warnings, sanitizers and include root to one of our own targets.
function(fathom_configure_target target)
  target_include_directories(${target} PUBLIC "${CMAKE_SOURCE_DIR}")
  target_compile_options(${target} PRIVATE
      $<$<COMPILE_LANGUAGE:CXX,C>:${FATHOM_WARNINGS} ${FATHOM_FLOAT_FLAGS}>
      $<$<AND:$<BOOL:${FATHOM_WERROR}>,$<COMPILE_LANGUAGE:CXX,C>>:-Werror>)
  if(FATHOM_SANITIZE)
    target_compile_options(${target} PRIVATE $<$<COMPILE_LANGUAGE:CXX,C>:${FATHOM_SANITIZER_FLAGS}>)
    target_link_options(${target} PUBLIC ${FATHOM_SANITIZER_FLAGS})
  endif()
endfunction()

# fathom_library(NAME SOURCES ... DEPENDS ...): the library of one top-level folder.
# A folder with no sources yet is an INTERFACE library so its link edges exist.
function(fathom_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPENDS" ${ARGN})
  if(ARG_SOURCES)
    add_library(fathom_${name} STATIC ${ARG_SOURCES})
    fathom_configure_target(fathom_${name})
    target_link_libraries(fathom_${name} PUBLIC ${ARG_DEPENDS})
  else()
    add_library(fathom_${name} INTERFACE)
    target_include_directories(fathom_${name} INTERFACE "${CMAKE_SOURCE_DIR}")
    target_link_libraries(fathom_${name} INTERFACE ${ARG_DEPENDS})
  endif()
  add_library(fathom::${name} ALIAS fathom_${name})
endfunction()

# fathom_test(NAME SOURCES ... DEPENDS ... LABELS ...): one GoogleTest executable
# registered with CTest, each test case a CTest test carrying the given labels.
function(fathom_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPENDS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  fathom_configure_target(${name})
  target_link_libraries(${name} PRIVATE ${ARG_DEPENDS} GTest::gtest GTest::gmock GTest::gtest_main)
  target_compile_definitions(${name} PRIVATE
      FATHOM_SOURCE_DIR="${CMAKE_SOURCE_DIR}"
      FATHOM_SHARED_DIR="${CMAKE_SOURCE_DIR}/../shared")
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES LABELS "${ARG_LABELS}"
      ENVIRONMENT "${FATHOM_SANITIZER_TEST_ENVIRONMENT}")
endfunction()
