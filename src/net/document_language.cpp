#include "net/document_language.hpp"

#include "net/http_util.hpp"

namespace parley::net {

core::Language document_language(std::string_view target, std::string_view setting) {
  auto q = query_of(target);
  auto it = q.find("lang");
  if (it != q.end() && !it->second.empty()) return core::language_of(it->second);
  return core::language_of(setting);
}

}  // namespace parley::net
