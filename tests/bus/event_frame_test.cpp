// bus::Event::frame: the wire form is encoded exactly once, whatever the number of threads
// that deliver the event at the same moment, and an encoding that fails is tried again.
#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <stdexcept>
#include <thread>
#include <vector>

#include "bus/event.hpp"

namespace parley::bus {
namespace {

Event typing_event() { return Event(Typing{7, core::SenderKind::visitor}, std::nullopt); }

TEST(EventFrame, ManyThreadsAtOnceGetOneEncoding) {
  for (int round = 0; round < 50; ++round) {
    auto event = typing_event();
    std::atomic<int> encodings = 0;
    auto encode = [&](const Payload&) {
      ++encodings;
      std::this_thread::yield();  // widen the window in which others arrive
      return std::string("frame-") + std::to_string(encodings.load());
    };
    constexpr int kThreads = 8;
    std::latch start(kThreads);
    std::vector<const std::string*> seen(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        start.arrive_and_wait();
        seen[t] = &event.frame(encode);
      });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(1, encodings.load());
    for (const auto* s : seen) {
      EXPECT_EQ(seen[0], s);  // the same string, not a copy each
      EXPECT_EQ("frame-1", *s);
    }
  }
}

TEST(EventFrame, AFailedEncodingIsTriedAgainByTheNextCaller) {
  auto event = typing_event();
  int calls = 0;
  auto flaky = [&](const Payload&) -> std::string {
    if (++calls == 1) throw std::runtime_error("out of memory");
    return "ok";
  };
  EXPECT_THROW(event.frame(flaky), std::runtime_error);
  EXPECT_EQ("ok", event.frame(flaky));
  EXPECT_EQ("ok", event.frame(flaky));
  EXPECT_EQ(2, calls);
}

}  // namespace
}  // namespace parley::bus
