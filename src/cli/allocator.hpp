// Which allocator serves this process's malloc, as found at run time (not as configured):
// the server binary links tcmalloc (CMakeLists.txt, PARLEY_ALLOCATOR), and `parley version`
// says whether it is the one in use, so a build that silently lost it shows.
#pragma once

#include <string>

namespace parley::cli {

// "tcmalloc 2.10" when tcmalloc is loaded, otherwise "glibc 2.36" (the C library's malloc).
std::string allocator_in_use();

}  // namespace parley::cli
