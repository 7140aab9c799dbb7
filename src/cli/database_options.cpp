#include "cli/database_options.hpp"

#include <filesystem>
#include <regex>

namespace parley::cli {

bool is_postgres_uri(const std::string& uri) {
  return uri.rfind("postgresql://", 0) == 0 || uri.rfind("postgres://", 0) == 0;
}

void add_database_options(CLI::App& command, DatabaseOptions& options) {
  command.add_option("--data", options.data_dir,
                     "Directory of the SQLite database (the default store)");
  command
      .add_option("--db", options.db,
                  "PostgreSQL instead of SQLite: a libpq URI, postgresql://user@host/db")
      ->check([](const std::string& uri) {
        return is_postgres_uri(uri) ? std::string()
                                    : std::string("--db must be a postgresql:// URI");
      });
}

std::unique_ptr<store::Store> open_store(const DatabaseOptions& options) {
  if (options.db) return store::open_postgres_store(*options.db);
  std::filesystem::create_directories(options.data_dir);
  return store::open_sqlite_store((std::filesystem::path(options.data_dir) / "parley.db").string());
}

std::string describe(const DatabaseOptions& options) {
  if (!options.db) return options.data_dir;
  // postgresql://user:secret@host/db -> postgresql://user:***@host/db
  static const std::regex password(R"(^(postgres(?:ql)?://[^:@/]*:)[^@/]*@)");
  return std::regex_replace(*options.db, password, "$1***@");
}

}  // namespace parley::cli
