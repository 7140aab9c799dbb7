// Fuzzes the CSV imports (src/core/csv, src/core/people, app/routing_admin): the reader, the
// people import (header, columns, per-row validation), and the routing accounts import,
// which reads its rows against a real SQLite store (in /dev/shm when there is one, so a
// write costs no disk flush). The first input byte picks the import; the rest is the file.
// The reader must read back what it wrote.
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <unistd.h>

#include "app/routing_admin.hpp"
#include "core/csv.hpp"
#include "core/people.hpp"
#include "core/validation.hpp"
#include "store/store.hpp"

namespace {

using namespace parley;

void check(bool ok) {
  if (!ok) std::abort();
}

// The cells written back as CSV, every cell quoted.
std::string write_csv(const std::vector<core::CsvRow>& rows) {
  std::string out;
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.cells.size(); ++i) {
      if (i) out += ',';
      out += '"';
      for (char c : row.cells[i]) out += c == '"' ? std::string("\"\"") : std::string(1, c);
      out += '"';
    }
    out += '\n';
  }
  return out;
}

void reader(std::string_view text) {
  auto rows = core::parse_csv(text);
  if (!rows) return;
  int last_line = 0;
  for (const auto& row : *rows) {
    check(row.line > last_line && !row.cells.empty());
    last_line = row.line;
  }
  auto again = core::parse_csv(write_csv(*rows));
  check(static_cast<bool>(again) && again->size() == rows->size());
  for (std::size_t i = 0; i < rows->size(); ++i) check((*again)[i].cells == (*rows)[i].cells);
}

void people(std::string_view text) {
  auto parsed = core::parse_people_csv(text);
  if (!parsed) return;
  for (const auto& p : parsed->people) {
    check(!p.email.empty() && p.email == core::lowercase_ascii(p.email));
    check(core::looks_like_email(p.email));
  }
}

struct Fixture {
  Fixture() {
    std::filesystem::path base = std::filesystem::exists("/dev/shm")
                                     ? std::filesystem::path("/dev/shm")
                                     : std::filesystem::temp_directory_path();
    dir = base / ("parley-fuzz-csv-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    store = store::open_sqlite_store((dir / "parley.db").string());
    admin = *store->create_agent({"Ada", "admin@example.com", "x", core::Role::admin});
    (void)store->create_agent({"Bo", "agent@example.com", "x", core::Role::agent});
    routing = std::make_unique<app::RoutingAdmin>(*store);
  }
  ~Fixture() {
    routing.reset();
    store.reset();
    std::filesystem::remove_all(dir);
  }
  std::filesystem::path dir;
  std::unique_ptr<store::Store> store;
  core::Agent admin;
  std::unique_ptr<app::RoutingAdmin> routing;
};

void accounts(std::string_view text) {
  static Fixture fixture;
  auto n = fixture.routing->import_accounts(fixture.admin, text);
  if (n) check(*n >= 0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  if (size == 0) return 0;
  std::string_view text(reinterpret_cast<const char*>(bytes) + 1, size - 1);
  switch (bytes[0] % 3) {
    case 0: reader(text); break;
    case 1: people(text); break;
    case 2: accounts(text); break;
  }
  return 0;
}
