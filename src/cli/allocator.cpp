#include "cli/allocator.hpp"

#include <dlfcn.h>
#include <gnu/libc-version.h>

namespace parley::cli {

std::string allocator_in_use() {
  // tcmalloc exports tc_version; looked up rather than called so that the system-allocator
  // build needs no tcmalloc header or library.
  using TcVersion = const char* (*)(int*, int*, const char**);
  if (auto tc_version = reinterpret_cast<TcVersion>(dlsym(RTLD_DEFAULT, "tc_version"))) {
    int major = 0, minor = 0;
    const char* patch = "";
    tc_version(&major, &minor, &patch);
    return "tcmalloc " + std::to_string(major) + "." + std::to_string(minor) + patch;
  }
  return std::string("glibc ") + gnu_get_libc_version();
}

}  // namespace parley::cli
