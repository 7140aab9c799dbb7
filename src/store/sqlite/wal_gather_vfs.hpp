// A SQLite VFS that gathers the writes to a WAL file into a few large pwrites per sync.
//
// SQLite appends a WAL frame as two writes (a 24-byte header, then the page), so a commit
// that dirties 200 pages costs 400 system calls before its fdatasync (docs/performance.md:
// ~13 % of the server's CPU at saturation). This VFS wraps the default one; for WAL files
// only, writes that continue the previous one are kept in memory and reach the file in a few
// large writes when SQLite syncs, reads, truncates, asks the size, closes, or writes elsewhere. Every
// other file passes straight through to the default VFS.
//
// Contract: use it only for connections with `PRAGMA synchronous=FULL`. Then every commit
// syncs the WAL before it publishes the new frames in the wal-index, so no other connection
// can see a frame that is still in this buffer. (Under NORMAL a commit does not sync, and
// readers could look for frames that are not in the file yet.) A failed gathered write is
// reported by the sync, which fails the commit as a failed write would have.
#pragma once

namespace parley::store::sqlite {

// Registers the VFS (once; later calls return the same name) and returns its name for
// sqlite3_open_v2. Call after any sqlite3_config.
const char* wal_gather_vfs();

}  // namespace parley::store::sqlite
