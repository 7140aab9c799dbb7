// A small CSV reader (RFC 4180: commas, double-quoted fields with "" escapes, CRLF or LF)
// for admin imports.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace parley::core {

struct CsvRow {
  int line = 0;  // 1-based line of the file where the row starts, for error messages
  std::vector<std::string> cells;
};

// A leading UTF-8 byte-order mark is skipped, and so are blank lines (they yield no row,
// but count for the line numbers). bad_request (with the line number) for an unterminated
// quote.
Result<std::vector<CsvRow>> parse_csv(std::string_view text);

}  // namespace parley::core
