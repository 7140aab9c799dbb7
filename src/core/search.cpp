#include "core/search.hpp"

#include <algorithm>

namespace parley::core {

namespace {
bool is_word_byte(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}
}  // namespace

std::vector<std::string> search_terms(std::string_view query) {
  std::vector<std::string> terms;
  std::size_t i = 0;
  while (i < query.size() && terms.size() < kMaxSearchTerms) {
    while (i < query.size() && !is_word_byte(static_cast<unsigned char>(query[i]))) ++i;
    std::string word;
    while (i < query.size() && is_word_byte(static_cast<unsigned char>(query[i]))) {
      char c = query[i++];
      word += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
    if (word.size() > kMaxSearchTermBytes) {
      std::size_t n = kMaxSearchTermBytes;
      while (n > 0 && (static_cast<unsigned char>(word[n]) & 0xC0) == 0x80) --n;
      word.resize(n);
    }
    if (word.size() >= 2 && std::find(terms.begin(), terms.end(), word) == terms.end()) {
      terms.push_back(std::move(word));
    }
  }
  return terms;
}

}  // namespace parley::core
