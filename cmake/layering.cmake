# SPDX-License-Identifier: GPL-3.0-or-later
# The layering rule, checked when CMake configures: a target's sources may include project
# headers only from the folders it is allowed to see (its own and those of the libraries it
# links, transitively). A forbidden #include stops the configure step with the file and line.

# attn_allow(<target> <folder>...): record the folders <target> may include from (e.g. core/layers).
function(attn_allow target)
  set_property(GLOBAL APPEND PROPERTY ATTN_ALLOWED_${target} ${ARGN})
endfunction()

# attn_allowed(<out> <target>): the folders recorded for <target>.
function(attn_allowed out target)
  get_property(folders GLOBAL PROPERTY ATTN_ALLOWED_${target})
  set(${out} ${folders} PARENT_SCOPE)
endfunction()

# attn_check_includes(<target> <folder> [NO_QT]): every source of <target> (paths relative to
# ${PROJECT_SOURCE_DIR}/<folder>) may #include "x/y/file.h" only when x/y is an allowed folder;
# with NO_QT, no Qt header at all.
function(attn_check_includes target folder)
  cmake_parse_arguments(ARG "NO_QT" "" "" ${ARGN})
  attn_allowed(allowed ${target})
  get_target_property(sources ${target} SOURCES)
  foreach(src IN LISTS sources)
    if(IS_ABSOLUTE ${src})
      set(path ${src})
    else()
      set(path ${PROJECT_SOURCE_DIR}/${folder}/${src})
    endif()
    if(NOT path MATCHES "\\.(h|cpp)$")
      continue()
    endif()
    file(STRINGS ${path} lines REGEX "^[ \t]*#[ \t]*include")
    foreach(line IN LISTS lines)
      if(line MATCHES "#[ \t]*include[ \t]*\"((app|core|widgets)[^\"]*)/[^/\"]+\"")
        set(dir ${CMAKE_MATCH_1})
        if(NOT dir IN_LIST allowed)
          string(REPLACE ";" ", " seen "${allowed}")
          message(FATAL_ERROR "${path}: ${line}\n  ${target} may include only from: ${seen}")
        endif()
      elseif(ARG_NO_QT AND line MATCHES "#[ \t]*include[ \t]*<Q")
        message(FATAL_ERROR "${path}: ${line}\n  ${target} is plain C++ and may not include Qt")
      endif()
    endforeach()
  endforeach()
endfunction()
