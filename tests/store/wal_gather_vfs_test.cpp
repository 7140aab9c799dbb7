// The WAL-gathering VFS of the write connection: whatever the size and shape of a
// transaction (one small commit, one larger than a single write can carry, one that spills
// pages mid-transaction and rewrites them), what it committed is in the file, intact, and
// visible to a connection on the ordinary VFS as soon as the commit returns.
#include "store/sqlite/wal_gather_vfs.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <memory>
#include <random>
#include <string>

#include "store/sqlite/sqlite_connection.hpp"

namespace parley::store::sqlite {
namespace {

class WalGatherVfsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (std::filesystem::temp_directory_path() /
             ("parley-walg-" + std::to_string(std::random_device{}()) + ".db"))
                .string();
    writer_ = std::make_unique<Connection>(path_, /*synchronous_full=*/true);
    writer_->exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)");
  }
  void TearDown() override {
    writer_.reset();
    for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_ + suffix);
  }
  // Read through a connection that does not use the gathering VFS.
  std::pair<std::int64_t, std::int64_t> count_and_length() {
    Connection reader(path_, /*synchronous_full=*/false);
    auto s = reader.prepare("SELECT count(*), coalesce(sum(length(v)), 0) FROM t");
    s.step();
    return {s.int64(0), s.int64(1)};
  }
  void insert_rows(int from, int to, int length) {
    for (int i = from; i < to; ++i) {
      writer_->prepare("INSERT INTO t (id, v) VALUES (?1, ?2)")
          .bind_all(i, std::string(static_cast<std::size_t>(length), static_cast<char>('a' + i % 26)))
          .run();
    }
  }
  std::string path_;
  std::unique_ptr<Connection> writer_;
};

TEST_F(WalGatherVfsTest, TheWriteConnectionUsesItAndReadersDoNot) {
  auto vfs_of = [](Connection& c) {
    sqlite3_vfs* vfs = nullptr;
    sqlite3_file_control(c.handle(), "main", SQLITE_FCNTL_VFS_POINTER, &vfs);
    return vfs ? std::string(vfs->zName) : std::string();
  };
  EXPECT_EQ(wal_gather_vfs(), vfs_of(*writer_));
  Connection reader(path_, /*synchronous_full=*/false);
  EXPECT_NE(wal_gather_vfs(), vfs_of(reader));
  EXPECT_FALSE(vfs_of(reader).empty());
}

TEST_F(WalGatherVfsTest, EverySmallCommitIsVisibleToAnotherConnectionAtOnce) {
  for (int i = 0; i < 200; ++i) {
    writer_->exec("BEGIN IMMEDIATE");
    insert_rows(i, i + 1, 100);
    writer_->exec("COMMIT");
    ASSERT_EQ(i + 1, count_and_length().first) << "after commit " << i;
  }
}

TEST_F(WalGatherVfsTest, ACommitLargerThanOneWriteAndThanTheBufferArrivesWhole) {
  // ~6 MB of frames: several 120 KiB pieces per flush, and more than the 4 MiB buffer.
  writer_->exec("BEGIN IMMEDIATE");
  insert_rows(0, 2000, 3000);
  writer_->exec("COMMIT");
  EXPECT_EQ((std::pair<std::int64_t, std::int64_t>{2000, 2000 * 3000}), count_and_length());
  Connection reader(path_, false);
  auto s = reader.prepare("PRAGMA integrity_check");
  s.step();
  EXPECT_EQ("ok", s.text(0));
}

TEST_F(WalGatherVfsTest, ATransactionThatSpillsAndRewritesPagesCommitsItsLastValues) {
  // A tiny page cache makes SQLite write frames before the commit and, when a spilled page
  // changes again, overwrite its frame in place or read it back: writes that do not continue
  // the gathered ones, and reads in the middle of a transaction.
  writer_->exec("PRAGMA cache_size = 8");
  writer_->exec("BEGIN IMMEDIATE");
  insert_rows(0, 500, 500);
  for (int round = 0; round < 5; ++round) {
    auto s = writer_->prepare("UPDATE t SET v = ?1 WHERE id % 7 = ?2");
    s.bind_all(std::string(600 + round, static_cast<char>('A' + round)), round).run();
  }
  writer_->exec("COMMIT");
  Connection reader(path_, false);
  auto check = reader.prepare("PRAGMA integrity_check");
  check.step();
  EXPECT_EQ("ok", check.text(0));
  for (int round = 0; round < 5; ++round) {
    auto s = reader.prepare("SELECT count(*) FROM t WHERE id % 7 = ?1 AND v = ?2");
    s.bind_all(round, std::string(600 + round, static_cast<char>('A' + round)));
    s.step();
    EXPECT_EQ(500 / 7 + (round < 500 % 7 ? 1 : 0), s.int64(0)) << "round " << round;
  }
  EXPECT_EQ(500, count_and_length().first);
}

TEST_F(WalGatherVfsTest, ARolledBackTransactionLeavesNothing) {
  writer_->exec("PRAGMA cache_size = 8");
  writer_->exec("BEGIN IMMEDIATE");
  insert_rows(0, 300, 2000);  // spills frames into the WAL
  writer_->exec("ROLLBACK");
  writer_->exec("BEGIN IMMEDIATE");
  insert_rows(1000, 1010, 10);
  writer_->exec("COMMIT");
  EXPECT_EQ((std::pair<std::int64_t, std::int64_t>{10, 100}), count_and_length());
}

}  // namespace
}  // namespace parley::store::sqlite
