# System libraries installed by scripts/setup from Debian packages. Each one
# missing stops the configure step naming the package that provides it.

find_package(Threads REQUIRED)
find_package(PkgConfig REQUIRED)

# Imports pkg-config module `module` as PkgConfig::<prefix>, or fails naming `package`.
function(fathom_require_pkg prefix module package)
  pkg_check_modules(${prefix} QUIET IMPORTED_TARGET GLOBAL ${module})
  if(NOT ${prefix}_FOUND)
    message(FATAL_ERROR "${module} not found: run scripts/setup (Debian package ${package})")
  endif()
endfunction()

fathom_require_pkg(SQLITE3 sqlite3 libsqlite3-dev)
fathom_require_pkg(LIBGIT2 libgit2 libgit2-dev)
fathom_require_pkg(LIBSECCOMP libseccomp libseccomp-dev)
fathom_require_pkg(RE2 re2 libre2-dev)
fathom_require_pkg(ONIGURUMA oniguruma libonig-dev)

find_package(GTest QUIET)
find_package(nlohmann_json 3.11 QUIET)
find_package(Boost 1.74 QUIET)
find_package(CLI11 2.1 QUIET)
find_path(HTTPLIB_INCLUDE_DIR httplib.h)
foreach(found_and_package IN ITEMS "GTest_FOUND;libgtest-dev" "nlohmann_json_FOUND;nlohmann-json3-dev"
        "Boost_FOUND;libboost-dev" "CLI11_FOUND;libcli11-dev"
        "HTTPLIB_INCLUDE_DIR;libcpp-httplib-dev")
  list(GET found_and_package 0 found)
  list(GET found_and_package 1 package)
  if(NOT ${found})
    message(FATAL_ERROR "${package} not found: run scripts/setup")
  endif()
endforeach()
include(GoogleTest)
