// Moves WAL frames into the database file on its own thread and connection, so the
// group-commit writer never pays for a checkpoint inside a commit (a latency spike for
// every message of that batch). The writer keeps a high auto-checkpoint as a safety net
// should this thread fall behind.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "store/sqlite/sqlite_connection.hpp"

namespace parley::store::sqlite {

class Checkpointer {
 public:
  static constexpr std::chrono::milliseconds kInterval{250};

  explicit Checkpointer(const std::string& path);
  ~Checkpointer();  // stops the thread

 private:
  void loop();

  Connection conn_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace parley::store::sqlite
