#include "os/thread_name.hpp"

#include <pthread.h>

#include <string>

namespace parley::os {

void name_this_thread(std::string_view name) {
  constexpr std::size_t kKernelLimit = 15;  // TASK_COMM_LEN - 1
  std::string kept(name.substr(0, kKernelLimit));
  pthread_setname_np(pthread_self(), kept.c_str());
}

}  // namespace parley::os
