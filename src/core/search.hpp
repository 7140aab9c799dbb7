// Inbox search (SPEC §2): what the agent typed, reduced to the words every matching
// conversation must contain. Each adapter turns the words into its own full-text syntax
// (SQLite FTS5 prefix queries now, PostgreSQL tsquery later), so no query language leaks
// from the search box into SQL.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace parley::core {

inline constexpr std::size_t kMaxSearchTerms = 8;
inline constexpr std::size_t kMaxSearchTermBytes = 64;

// Splits on everything that is not a letter or digit (ASCII punctuation and spaces; bytes
// of multi-byte UTF-8 characters count as letters), lower-cases ASCII, drops one-byte words
// (as a prefix, "a" matches nearly everything) and duplicates, keeps the first
// kMaxSearchTerms words and cuts each to kMaxSearchTermBytes (never inside a UTF-8
// character). "Ann@Example.com  pricing" -> {"ann", "example", "com", "pricing"}.
// Empty when there is nothing to search for: the caller then lists without a search.
std::vector<std::string> search_terms(std::string_view query);

}  // namespace parley::core
