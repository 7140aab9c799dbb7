// os::name_this_thread: the name reaches the kernel, and a name past the kernel's 15 bytes
// is cut rather than refused (pthread_setname_np alone would fail with ERANGE and leave the
// thread unnamed).
#include "os/thread_name.hpp"

#include <gtest/gtest.h>
#include <pthread.h>

#include <array>
#include <string>
#include <thread>

namespace {

std::string name_after(const std::string& requested) {
  std::string seen;
  std::thread([&] {
    parley::os::name_this_thread(requested);
    std::array<char, 64> buffer{};
    pthread_getname_np(pthread_self(), buffer.data(), buffer.size());
    seen = buffer.data();
  }).join();
  return seen;
}

TEST(ThreadNameTest, TheThreadIsCalledWhatItWasNamed) {
  EXPECT_EQ("sqlite-writer", name_after("sqlite-writer"));
}

TEST(ThreadNameTest, ANameLongerThanTheKernelKeepsIsCutToFifteenBytes) {
  EXPECT_EQ("a-name-longer-t", name_after("a-name-longer-than-fifteen"));
}

}  // namespace
