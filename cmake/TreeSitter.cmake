# Builds tree-sitter's C core and the grammars pinned in third_party/tree-sitter.lock from the
# sources scripts/setup unpacked into FATHOM_DEPS_DIR. Defines fathom_tree_sitter (core plus every
# grammar, static) and FATHOM_TREE_SITTER_LANGUAGES (the language names, in lock order).

set(lock_file "${CMAKE_SOURCE_DIR}/third_party/tree-sitter.lock")
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${lock_file}")
file(STRINGS "${lock_file}" lock_lines REGEX "^[^#]")

set(tree_sitter_sources "")
set(tree_sitter_include_dirs "")
set(FATHOM_TREE_SITTER_LANGUAGES "")
foreach(line IN LISTS lock_lines)
  string(REGEX REPLACE "[ \t]+" ";" fields "${line}")
  list(GET fields 0 package)
  list(GET fields 1 version)
  list(GET fields 3 grammar_dirs)
  set(package_dir "${FATHOM_DEPS_DIR}/${package}-${version}")
  if(NOT EXISTS "${package_dir}/.sha512")
    message(FATAL_ERROR "${package}@${version} is missing from ${FATHOM_DEPS_DIR}: run scripts/setup")
  endif()
  if(grammar_dirs STREQUAL "-")
    list(APPEND tree_sitter_sources "${package_dir}/vendor/tree-sitter/lib/src/lib.c")
    set(tree_sitter_core_include "${package_dir}/vendor/tree-sitter/lib/include")
    list(APPEND tree_sitter_include_dirs "${package_dir}/vendor/tree-sitter/lib/src")
    continue()
  endif()
  string(REPLACE "," ";" grammar_dirs "${grammar_dirs}")
  foreach(dir_and_language IN LISTS grammar_dirs)
    string(REPLACE ":" ";" dir_and_language "${dir_and_language}")
    list(GET dir_and_language 0 source_dir)
    list(GET dir_and_language 1 language)
    list(APPEND FATHOM_TREE_SITTER_LANGUAGES "${language}")
    set(grammar_sources "${package_dir}/${source_dir}/parser.c")
    if(EXISTS "${package_dir}/${source_dir}/scanner.c")
      list(APPEND grammar_sources "${package_dir}/${source_dir}/scanner.c")
    endif()
    # Each grammar ships its own tree_sitter/parser.h (ABI 14 or 15); shared scanner headers
    # outside src/ must find that one, not another grammar's.
    set_source_files_properties(${grammar_sources} PROPERTIES
        INCLUDE_DIRECTORIES "${package_dir}/${source_dir}")
    list(APPEND tree_sitter_sources ${grammar_sources})
  endforeach()
endforeach()

# Third-party C: compiled without our warnings and sanitizers, optimised even in debug builds
# (parsers are big tables; -O1 keeps compile time low on two cores).
add_library(fathom_tree_sitter STATIC ${tree_sitter_sources})
set_target_properties(fathom_tree_sitter PROPERTIES C_STANDARD 11 POSITION_INDEPENDENT_CODE ON)
target_compile_options(fathom_tree_sitter PRIVATE -O1 -w)
target_compile_definitions(fathom_tree_sitter PRIVATE _POSIX_C_SOURCE=200112L _DEFAULT_SOURCE)
target_include_directories(fathom_tree_sitter PRIVATE ${tree_sitter_include_dirs})
target_include_directories(fathom_tree_sitter SYSTEM PUBLIC "${tree_sitter_core_include}")
