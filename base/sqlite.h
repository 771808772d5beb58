// RAII over SQLite: Database owns a sqlite3 connection, Statement a prepared statement,
// Transaction an open BEGIN IMMEDIATE ... COMMIT (rolled back unless committed). All are
// move-only. A Database and its Statements are used by one thread at a time: open one Database
// per thread (several connections to one file are fine; WAL lets readers run beside a writer).
#pragma once

#include <chrono>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "base/result.h"

struct sqlite3;
struct sqlite3_stmt;

namespace fathom::base {

// The linked SQLite library's version, such as "3.40.1".
std::string_view SqliteVersion();

struct DatabaseOptions {
  bool read_only = false;
  bool create = true;  // create the file when missing (ignored when read_only)
  std::chrono::milliseconds busy_timeout{5000};  // how long to wait for another writer's lock
  bool wal = true;  // journal_mode=WAL for file databases that are not read-only
};

// One prepared statement. Bind parameters (1-based), Step through rows, read columns (0-based).
class Statement {
 public:
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  Status Bind(int index, int64_t value);
  Status Bind(int index, double value);
  Status Bind(int index, std::string_view text);
  Status Bind(int index, std::span<const std::byte> blob);
  Status Bind(int index, std::nullptr_t);
  // Other integer types (int, size_t, bool, ...); unsigned values above INT64_MAX are an error.
  template <std::integral Integer>
  Status Bind(int index, Integer value);
  // A C string; a null pointer binds NULL.
  Status Bind(int index, const char* text) {
    return text == nullptr ? Bind(index, nullptr) : Bind(index, std::string_view(text));
  }

  // Binds `values` to parameters 1, 2, ...: FATHOM_TRY(statement.BindAll(id, name, nullptr)).
  template <typename... Values>
  Status BindAll(const Values&... values);

  // Advances to the next row: true when a row is available, false when the statement is done.
  Result<bool> Step();
  // Steps to completion, discarding rows, then resets so the statement can be bound again.
  Status Run();
  // Rewinds the statement so it can run again; bindings are kept.
  void Reset();

  int ColumnCount() const;
  bool ColumnIsNull(int column) const;
  int64_t ColumnInt64(int column) const;
  double ColumnDouble(int column) const;
  std::string ColumnText(int column) const;             // NULL reads as ""
  std::vector<std::byte> ColumnBlob(int column) const;  // NULL reads as empty

  // The SQL text this statement was prepared from.
  std::string_view sql() const;

 private:
  friend class Database;
  explicit Statement(sqlite3_stmt* statement) : statement_(statement) {}

  Status BindResult(int index, int code);
  void CheckColumn(int column) const;

  sqlite3_stmt* statement_ = nullptr;
};

class Database {
 public:
  // Opens (or creates) the database at `path`; ":memory:" opens a private in-memory database.
  static Result<Database> Open(const std::string& path, const DatabaseOptions& options = {});

  Database(Database&& other) noexcept;
  Database& operator=(Database&& other) noexcept;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();

  // Runs every statement in `sql` in order, discarding rows; stops at the first failure.
  Status Execute(std::string_view sql);
  // Prepares exactly one statement.
  Result<Statement> Prepare(std::string_view sql);

  int64_t LastInsertRowId() const;
  // Rows changed by the most recent INSERT, UPDATE or DELETE.
  int Changes() const;
  const std::string& path() const { return path_; }

 private:
  Database(sqlite3* database, std::string path) : database_(database), path_(std::move(path)) {}

  Status Configure(const DatabaseOptions& options);
  Status EnableWal();

  sqlite3* database_ = nullptr;
  std::string path_;
};

// An IMMEDIATE transaction (takes the write lock at Begin). Rolls back when destroyed without a
// successful Commit. Borrows the Database, which must outlive it.
class Transaction {
 public:
  static Result<Transaction> Begin(Database& database);

  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&& other) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();

  Status Commit();
  Status Rollback();

 private:
  explicit Transaction(Database& database) : database_(&database) {}

  Database* database_;  // null once committed, rolled back or moved from
};

template <std::integral Integer>
Status Statement::Bind(int index, Integer value) {
  if constexpr (std::is_unsigned_v<Integer> && sizeof(Integer) >= sizeof(int64_t)) {
    if (value > static_cast<Integer>(std::numeric_limits<int64_t>::max())) {
      return OutOfRangeError("SQLite parameter " + std::to_string(index) + " exceeds INT64_MAX");
    }
  }
  return Bind(index, static_cast<int64_t>(value));
}

template <typename... Values>
Status Statement::BindAll(const Values&... values) {
  int index = 0;
  Status status;
  (void)(((status = Bind(++index, values)), status.ok()) && ...);
  return status;
}

}  // namespace fathom::base
