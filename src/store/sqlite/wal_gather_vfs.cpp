#include "store/sqlite/wal_gather_vfs.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cstddef>
#include <new>
#include <string>

namespace parley::store::sqlite {
namespace {

// Above this, gathered bytes are written out before the next append (a large transaction
// streams instead of holding its whole WAL in memory).
constexpr std::size_t kMaxGathered = 4 << 20;

sqlite3_vfs* real_vfs = nullptr;

// The WAL file as SQLite sees it: our methods, the real file right behind us.
struct GatherFile {
  sqlite3_file base;
  sqlite3_file* real;
  std::string* gathered;      // bytes not yet written, for offsets [start, start + size)
  sqlite3_int64 start;
};

GatherFile* self(sqlite3_file* f) { return reinterpret_cast<GatherFile*>(f); }

// The unix VFS writes at most 128 KiB - 1 per call (it masks the count to 17 bits, since
// SQLite itself never writes more than a 64 KiB page and its header), so gathered bytes go
// out in pieces of 120 KiB: a commit of 200 pages is 7 writes instead of 400.
constexpr std::size_t kMaxWrite = 120 << 10;

int flush(GatherFile* g) {
  auto& buf = *g->gathered;
  int rc = SQLITE_OK;
  for (std::size_t done = 0; done < buf.size() && rc == SQLITE_OK; done += kMaxWrite) {
    auto piece = std::min(kMaxWrite, buf.size() - done);
    rc = g->real->pMethods->xWrite(g->real, buf.data() + done, static_cast<int>(piece),
                                   g->start + static_cast<sqlite3_int64>(done));
  }
  buf.clear();
  return rc;
}

int x_close(sqlite3_file* f) {
  auto* g = self(f);
  int rc = flush(g);
  int rc_close = g->real->pMethods->xClose(g->real);
  delete g->gathered;
  g->gathered = nullptr;
  return rc != SQLITE_OK ? rc : rc_close;
}

int x_read(sqlite3_file* f, void* out, int amount, sqlite3_int64 offset) {
  auto* g = self(f);
  if (int rc = flush(g); rc != SQLITE_OK) return rc;
  return g->real->pMethods->xRead(g->real, out, amount, offset);
}

int x_write(sqlite3_file* f, const void* data, int amount, sqlite3_int64 offset) {
  auto* g = self(f);
  auto& buf = *g->gathered;
  bool continues = !buf.empty() && offset == g->start + static_cast<sqlite3_int64>(buf.size());
  if (!continues || buf.size() + static_cast<std::size_t>(amount) > kMaxGathered) {
    if (int rc = flush(g); rc != SQLITE_OK) return rc;
    g->start = offset;
  }
  try {
    buf.append(static_cast<const char*>(data), static_cast<std::size_t>(amount));
  } catch (const std::bad_alloc&) {
    return SQLITE_IOERR_NOMEM;
  }
  return SQLITE_OK;
}

int x_truncate(sqlite3_file* f, sqlite3_int64 size) {
  auto* g = self(f);
  if (int rc = flush(g); rc != SQLITE_OK) return rc;
  return g->real->pMethods->xTruncate(g->real, size);
}

int x_sync(sqlite3_file* f, int flags) {
  auto* g = self(f);
  if (int rc = flush(g); rc != SQLITE_OK) return rc;
  return g->real->pMethods->xSync(g->real, flags);
}

int x_file_size(sqlite3_file* f, sqlite3_int64* size) {
  auto* g = self(f);
  if (int rc = flush(g); rc != SQLITE_OK) return rc;
  return g->real->pMethods->xFileSize(g->real, size);
}

// Locks and device facts are the real file's.
sqlite3_file* real(sqlite3_file* f) { return self(f)->real; }
int x_lock(sqlite3_file* f, int level) { return real(f)->pMethods->xLock(real(f), level); }
int x_unlock(sqlite3_file* f, int level) { return real(f)->pMethods->xUnlock(real(f), level); }
int x_check_reserved_lock(sqlite3_file* f, int* out) {
  return real(f)->pMethods->xCheckReservedLock(real(f), out);
}
int x_sector_size(sqlite3_file* f) { return real(f)->pMethods->xSectorSize(real(f)); }
int x_device_characteristics(sqlite3_file* f) {
  return real(f)->pMethods->xDeviceCharacteristics(real(f));
}

int x_file_control(sqlite3_file* f, int op, void* arg) {
  auto* g = self(f);
  if (int rc = flush(g); rc != SQLITE_OK) return rc;
  return g->real->pMethods->xFileControl(g->real, op, arg);
}

// Version 1 only: SQLite neither maps nor shares a WAL file through its own methods.
const sqlite3_io_methods kGatherMethods = {
    1,  // iVersion
    x_close, x_read, x_write, x_truncate, x_sync, x_file_size, x_lock, x_unlock,
    x_check_reserved_lock, x_file_control, x_sector_size, x_device_characteristics,
    nullptr, nullptr, nullptr, nullptr,  // shared memory (version 2)
    nullptr, nullptr};                   // memory mapping (version 3)

int x_open(sqlite3_vfs*, const char* name, sqlite3_file* file, int flags, int* out_flags) {
  if (!(flags & SQLITE_OPEN_WAL)) {
    // Everything but a WAL file is the real VFS's own, methods and all.
    return real_vfs->xOpen(real_vfs, name, file, flags, out_flags);
  }
  auto* g = self(file);
  g->base.pMethods = nullptr;  // until the real file is open: SQLite must not call us
  g->real = reinterpret_cast<sqlite3_file*>(g + 1);
  int rc = real_vfs->xOpen(real_vfs, name, g->real, flags, out_flags);
  if (rc != SQLITE_OK) return rc;
  g->gathered = new (std::nothrow) std::string();
  if (!g->gathered) {
    g->real->pMethods->xClose(g->real);
    return SQLITE_NOMEM;
  }
  g->start = 0;
  g->base.pMethods = &kGatherMethods;
  return SQLITE_OK;
}

sqlite3_vfs gather_vfs;

}  // namespace

const char* wal_gather_vfs() {
  static const char* name = [] {
    real_vfs = sqlite3_vfs_find(nullptr);
    gather_vfs = *real_vfs;
    gather_vfs.zName = "parley-wal-gather";
    gather_vfs.szOsFile = static_cast<int>(sizeof(GatherFile)) + real_vfs->szOsFile;
    gather_vfs.xOpen = x_open;
    gather_vfs.pNext = nullptr;
    sqlite3_vfs_register(&gather_vfs, 0);
    return gather_vfs.zName;
  }();
  return name;
}

}  // namespace parley::store::sqlite
