#include "store/api_token_rows.hpp"

namespace parley::store {

std::string encode_scopes(const std::vector<core::ApiScope>& scopes) {
  std::string out;
  for (auto scope : scopes) {
    if (!out.empty()) out += ' ';
    out += core::to_string(scope);
  }
  return out;
}

std::vector<core::ApiScope> decode_scopes(std::string_view text) {
  std::vector<core::ApiScope> out;
  while (!text.empty()) {
    auto space = text.find(' ');
    auto name = text.substr(0, space);
    if (auto scope = core::api_scope_from_string(name)) out.push_back(*scope);
    text = space == std::string_view::npos ? std::string_view() : text.substr(space + 1);
  }
  return out;
}

}  // namespace parley::store
