# Writes OUTPUT, a C++ file that defines parley::net::openapi_document() (net/openapi_document.hpp)
# as the bytes of INPUT (docs/openapi.json), so the server serves its API document without
# the repository at run time. Run by the build (CMakeLists.txt) whenever INPUT changes:
#   cmake -DINPUT=docs/openapi.json -DOUTPUT=.../openapi_document.cpp -P embed_openapi.cmake
if(NOT EXISTS "${INPUT}")
  message(FATAL_ERROR "${INPUT} is missing: the server embeds the API document it serves at "
                      "GET /api/v1/openapi.json (docs/openapi.json, the OpenAPI 3.1 contract)")
endif()
file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" hex_length)
if(hex_length EQUAL 0)
  message(FATAL_ERROR "${INPUT} is empty")
endif()
# 24 bytes a line, each as 0xNN.
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REPEAT "0x..," 24 line)
string(REGEX REPLACE "(${line})" "\\1\n    " bytes "${bytes}")
file(WRITE "${OUTPUT}.tmp"
"// Generated from docs/openapi.json by cmake/embed_openapi.cmake at build time: do not edit.
#include \"net/openapi_document.hpp\"

namespace parley::net {

namespace {

// unsigned: UTF-8 bytes above 0x7f do not fit a signed char initializer.
constexpr unsigned char kDocument[] = {
    ${bytes}0x00};

}  // namespace

std::string_view openapi_document() {
  return {reinterpret_cast<const char*>(kDocument), sizeof kDocument - 1};
}

}  // namespace parley::net
")
# Only a changed document rewrites the file (and recompiles it).
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
