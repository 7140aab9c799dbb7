#include "cli/data_dir_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace parley::cli {

std::optional<DataDirLock> DataDirLock::try_acquire(const std::filesystem::path& dir, Mode mode) {
  auto path = file_in(dir);
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    throw std::runtime_error("cannot open the lock file " + path.string() + ": " +
                             std::strerror(errno));
  }
  int how = (mode == Mode::shared ? LOCK_SH : LOCK_EX) | LOCK_NB;
  while (::flock(fd, how) != 0) {
    if (errno == EINTR) continue;
    int error = errno;
    ::close(fd);
    if (error == EWOULDBLOCK) return std::nullopt;
    throw std::runtime_error("cannot lock " + path.string() + ": " + std::strerror(error));
  }
  return DataDirLock(fd);
}

DataDirLock::~DataDirLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the flock
}

DataDirLock lock_data_dir_for_use(const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  auto lock = DataDirLock::try_acquire(dir, DataDirLock::Mode::shared);
  if (!lock) {
    throw std::runtime_error("a restore is running in " + dir.string() + " (parley restore holds " +
                             DataDirLock::file_in(dir).string() + "); start again when it is done");
  }
  return std::move(*lock);
}

}  // namespace parley::cli
