// A small CSV reader (RFC 4180: commas, double-quoted fields with "" escapes, CRLF or LF)
// for admin imports.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace parley::core {

using CsvRow = std::vector<std::string>;

// A leading UTF-8 byte-order mark is skipped. bad_request (with the line number) for an
// unterminated quote.
Result<std::vector<CsvRow>> parse_csv(std::string_view text);

}  // namespace parley::core
