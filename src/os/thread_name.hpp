// Names for Parley's own threads, as the operating system shows them: `top -H`, `ps -L`,
// `perf` and /proc/PID/task/*/comm tell the group-commit writer from the search indexer
// from the I/O threads, instead of listing a dozen threads all called "parley".
// docs/operations.md lists every name and what the thread does.
#pragma once

#include <string_view>

namespace parley::os {

// Names the calling thread. The kernel keeps at most 15 bytes: a longer name is cut, not
// refused. Never fails: where the name cannot be set the thread keeps the process's name.
void name_this_thread(std::string_view name);

}  // namespace parley::os
