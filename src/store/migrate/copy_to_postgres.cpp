#include "store/migrate/copy_to_postgres.hpp"

#include <algorithm>
#include <set>

#include "store/postgres/pg_connection.hpp"
#include "store/postgres/pg_schema.hpp"
#include "store/rows.hpp"
#include "store/sqlite/sqlite_connection.hpp"

namespace parley::store {
namespace {

using postgres::Param;
using postgres::PgConnection;

// Parents before children, so every foreign key finds its row.
constexpr const char* kTableOrder[] = {
    "agents",   "sessions",      "password_links", "people",       "visitors",           "teams",
    "team_members", "account_rules", "custom_rules", "conversations", "conversation_offers",
    "messages", "activities",    "routing_state", "settings",          "meeting_calendars",
    "busy_times", "meetings", "presence", "followups", "api_tokens",
    // Last: while messages, meetings and people are copied no endpoint exists yet, so their
    // webhook triggers write nothing (the copied outbox is the whole outbox).
    "webhook_endpoints", "webhook_outbox", "webhook_deliveries", "webhook_attempts"};

struct Column {
  std::string name;
  bool boolean = false;  // BOOLEAN in PostgreSQL, 0/1 in SQLite
};

std::vector<Column> columns_of(PgConnection& pg, const std::string& table) {
  auto r = pg.query(
      "SELECT column_name, data_type FROM information_schema.columns "
      "WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
      table);
  std::vector<Column> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back({r.text(i, 0), r.text(i, 1) == "boolean"});
  return out;
}

std::string column_list(const std::vector<Column>& columns) {
  std::string out;
  for (const auto& c : columns) out += (out.empty() ? "" : ", ") + c.name;
  return out;
}

// One row's contribution to a table's checksum: FNV-1a over its values, NULL and the empty
// string told apart, booleans as 0/1 whichever side they come from. Rows are summed, so the
// order they are read in does not matter.
class RowHash {
 public:
  void add(const std::optional<std::string>& value) {
    byte(value ? 1 : 0);
    if (value) for (unsigned char c : *value) byte(c);
    byte(0xff);
  }
  std::uint64_t value() const { return h_; }

 private:
  void byte(unsigned char c) {
    h_ ^= c;
    h_ *= 1099511628211ULL;
  }
  std::uint64_t h_ = 14695981039346656037ULL;
};

std::optional<std::string> normalized_pg(const postgres::PgResult& r, int row, int col,
                                         const Column& c) {
  auto v = r.opt_text(row, col);
  if (v && c.boolean) return std::string(*v == "t" ? "1" : "0");
  return v;
}

std::optional<std::string> normalized_sqlite(const sqlite::Statement& s, int col,
                                             const Column& c) {
  auto v = s.opt_text(col);
  if (v && c.boolean) return std::string(*v == "0" ? "0" : "1");
  return v;
}

// Copies one table in multi-row INSERTs; returns its SQLite-side count and checksum.
CopiedTable copy_table(sqlite::Connection& lite, PgConnection& pg, const std::string& table) {
  auto columns = columns_of(pg, table);
  if (columns.empty()) throw StoreFailure("migrate: table " + table + " has no columns");
  auto names = column_list(columns);
  const std::size_t per_batch = std::min<std::size_t>(500, 60000 / columns.size());

  CopiedTable out{table};
  std::vector<Param> params;
  std::size_t batched = 0;
  auto insert = [&] {
    if (batched == 0) return;
    std::string text = "INSERT INTO " + table + " (" + names + ") VALUES ";
    int n = 0;
    for (std::size_t r = 0; r < batched; ++r) {
      text += r ? ",(" : "(";
      for (std::size_t c = 0; c < columns.size(); ++c) {
        text += (c ? ",$" : "$") + std::to_string(++n);
      }
      text += ")";
    }
    pg.query_params(text, params);
    params.clear();
    batched = 0;
  };

  auto s = lite.prepare("SELECT " + names + " FROM " + table);
  while (s.step()) {
    RowHash h;
    for (std::size_t c = 0; c < columns.size(); ++c) {
      auto v = normalized_sqlite(s, static_cast<int>(c), columns[c]);
      h.add(v);
      if (v && columns[c].boolean) v = std::string(*v == "1" ? "t" : "f");
      params.push_back(std::move(v));
    }
    out.checksum += h.value();
    ++out.rows;
    if (++batched == per_batch) insert();
  }
  insert();
  return out;
}

// The same figures read back from PostgreSQL, through a cursor (tables may be large).
CopiedTable read_back(PgConnection& pg, const std::string& table) {
  auto columns = columns_of(pg, table);
  CopiedTable out{table};
  pg.exec("DECLARE verify NO SCROLL CURSOR FOR SELECT " + column_list(columns) + " FROM " + table);
  for (;;) {
    auto r = pg.query("FETCH 5000 FROM verify");
    if (r.empty()) break;
    for (int i = 0; i < r.rows(); ++i) {
      RowHash h;
      for (std::size_t c = 0; c < columns.size(); ++c) {
        h.add(normalized_pg(r, i, static_cast<int>(c), columns[c]));
      }
      out.checksum += h.value();
      ++out.rows;
    }
  }
  pg.exec("CLOSE verify");
  return out;
}

}  // namespace

core::Result<std::vector<CopiedTable>> copy_sqlite_to_postgres(const std::string& sqlite_path,
                                                               const std::string& conninfo) {
  sqlite::Connection lite(sqlite_path, false);
  PgConnection pg(conninfo);
  postgres::apply_schema(pg);

  // Every table of the target must be one this copy knows, or it would be left empty.
  std::set<std::string> known(std::begin(kTableOrder), std::end(kTableOrder));
  auto tables = pg.query(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
      "AND table_type = 'BASE TABLE' AND table_name <> 'parley_schema'");
  for (int i = 0; i < tables.rows(); ++i) {
    if (!known.count(tables.text(i, 0))) {
      throw StoreFailure("migrate: this binary does not know how to copy table " +
                         tables.text(i, 0));
    }
  }

  postgres::PgTransaction tx(pg);
  for (const char* table : kTableOrder) {
    auto r = pg.query("SELECT count(*) FROM " + std::string(table));
    if (r.int64(0, 0) != 0) {
      return core::conflict("the target database is not empty (table " + std::string(table) +
                            " has rows); migrate copies into an empty database only");
    }
  }
  // The read is one snapshot of the source, even if a server is still writing to it.
  lite.exec("BEGIN");
  std::vector<CopiedTable> copied;
  for (const char* table : kTableOrder) copied.push_back(copy_table(lite, pg, table));
  lite.exec("COMMIT");

  // Ids were copied as they were: each identity continues after the highest one.
  auto identities = pg.query(
      "SELECT table_name, column_name FROM information_schema.columns "
      "WHERE table_schema = current_schema() AND is_identity = 'YES'");
  for (int i = 0; i < identities.rows(); ++i) {
    auto table = identities.text(i, 0), column = identities.text(i, 1);
    pg.exec("SELECT setval(pg_get_serial_sequence('" + table + "', '" + column +
            "'), COALESCE((SELECT max(" + column + ") FROM " + table + "), 0) + 1, false)");
  }

  for (const auto& c : copied) {
    auto back = read_back(pg, c.table);
    if (back.rows != c.rows || back.checksum != c.checksum) {
      throw StoreFailure("migrate: table " + c.table + " does not verify: " +
                         std::to_string(c.rows) + " rows copied, " + std::to_string(back.rows) +
                         " read back" + (back.rows == c.rows ? " with other values" : ""));
    }
  }
  tx.commit();
  return copied;
}

}  // namespace parley::store
