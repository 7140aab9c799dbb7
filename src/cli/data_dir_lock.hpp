// The lock file of a SQLite data directory (DIR/parley.lock, flock(2)): every process that
// opens the database there (serve, migrate, admin) holds it shared for as long as it runs;
// `parley restore` needs it exclusive, so it never swaps the database under a server. The
// kernel drops the lock when its process ends, however it ends, so no stale lock remains.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace parley::cli {

class DataDirLock {
 public:
  enum class Mode { shared, exclusive };

  // The lock of `dir` (created if missing), or nullopt when another process holds it in a
  // conflicting mode. Throws std::runtime_error when the lock file cannot be opened.
  static std::optional<DataDirLock> try_acquire(const std::filesystem::path& dir, Mode mode);

  DataDirLock(DataDirLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  DataDirLock(const DataDirLock&) = delete;
  DataDirLock& operator=(const DataDirLock&) = delete;
  DataDirLock& operator=(DataDirLock&&) = delete;
  ~DataDirLock();

  static std::filesystem::path file_in(const std::filesystem::path& dir) {
    return dir / "parley.lock";
  }

 private:
  explicit DataDirLock(int fd) : fd_(fd) {}
  int fd_;
};

// For serve, migrate and admin: `dir` (created if missing) locked shared. Throws
// std::runtime_error, for the operator, while `parley restore` holds it.
DataDirLock lock_data_dir_for_use(const std::filesystem::path& dir);

}  // namespace parley::cli
