#include "base/sqlite.h"

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "tests/base/temp_dir.h"

namespace fathom::base {
namespace {

Database OpenOrDie(const std::string& path, const DatabaseOptions& options = {}) {
  Result<Database> database = Database::Open(path, options);
  FATHOM_CHECK(database.ok()) << database.error();
  return std::move(database).value();
}

int64_t QueryInt(Database& database, std::string_view sql) {
  Result<Statement> statement = database.Prepare(sql);
  FATHOM_CHECK(statement.ok()) << statement.error();
  Result<bool> row = statement->Step();
  FATHOM_CHECK(row.ok() && *row) << "no row for " << sql;
  return statement->ColumnInt64(0);
}

class SqliteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(database_
                    .Execute(R"(
      CREATE TABLE events (id INTEGER PRIMARY KEY, kind TEXT NOT NULL UNIQUE, weight REAL,
                           payload BLOB);
    )")
                    .ok());
  }

  Database database_ = OpenOrDie(":memory:");
};

TEST(SqliteVersionTest, ReportsLibraryVersion) { EXPECT_EQ(SqliteVersion().substr(0, 2), "3."); }

TEST_F(SqliteTest, InsertsAndReadsEveryColumnType) {
  Result<Statement> insert =
      database_.Prepare("INSERT INTO events (kind, weight, payload) VALUES (?, ?, ?)");
  ASSERT_TRUE(insert.ok()) << insert.error();
  std::vector<std::byte> payload = {std::byte{0}, std::byte{0xFF}, std::byte{7}};
  ASSERT_TRUE(insert->BindAll("tool_call", 0.5, std::span<const std::byte>(payload)).ok());
  ASSERT_TRUE(insert->Run().ok());
  EXPECT_EQ(database_.LastInsertRowId(), 1);
  EXPECT_EQ(database_.Changes(), 1);
  const char* no_weight = nullptr;
  ASSERT_TRUE(insert->BindAll(std::string("reply"), no_weight, nullptr).ok());
  ASSERT_TRUE(insert->Run().ok());
  EXPECT_EQ(database_.LastInsertRowId(), 2);

  Result<Statement> select =
      database_.Prepare("SELECT id, kind, weight, payload FROM events ORDER BY id");
  ASSERT_TRUE(select.ok());
  EXPECT_EQ(select->ColumnCount(), 4);
  ASSERT_TRUE(*select->Step());
  EXPECT_EQ(select->ColumnInt64(0), 1);
  EXPECT_EQ(select->ColumnText(1), "tool_call");
  EXPECT_DOUBLE_EQ(select->ColumnDouble(2), 0.5);
  EXPECT_EQ(select->ColumnBlob(3), payload);
  ASSERT_TRUE(*select->Step());
  EXPECT_EQ(select->ColumnText(1), "reply");
  EXPECT_TRUE(select->ColumnIsNull(2));
  EXPECT_TRUE(select->ColumnBlob(3).empty());
  EXPECT_FALSE(select->ColumnIsNull(1));
  EXPECT_FALSE(*select->Step());
}

TEST_F(SqliteTest, EmptyTextAndBlobAreNotNull) {
  Result<Statement> statement = database_.Prepare("SELECT ?, ?, typeof(?1), typeof(?2)");
  ASSERT_TRUE(statement.ok());
  ASSERT_TRUE(statement->Bind(1, std::string_view()).ok());
  ASSERT_TRUE(statement->Bind(2, std::span<const std::byte>()).ok());
  ASSERT_TRUE(*statement->Step());
  EXPECT_FALSE(statement->ColumnIsNull(0));
  EXPECT_FALSE(statement->ColumnIsNull(1));
  EXPECT_EQ(statement->ColumnText(2), "text");
  EXPECT_EQ(statement->ColumnText(3), "blob");
}

TEST_F(SqliteTest, TextWithEmbeddedNulRoundTrips) {
  std::string text("a\0b", 3);
  Result<Statement> statement = database_.Prepare("SELECT ?");
  ASSERT_TRUE(statement.ok());
  ASSERT_TRUE(statement->Bind(1, text).ok());
  ASSERT_TRUE(*statement->Step());
  EXPECT_EQ(statement->ColumnText(0), text);
}

TEST_F(SqliteTest, IntegerOverloadsBindAndRejectTooLarge) {
  Result<Statement> statement = database_.Prepare("SELECT ? + ? + ?");
  ASSERT_TRUE(statement.ok());
  ASSERT_TRUE(statement->BindAll(1, size_t{2}, true).ok());
  ASSERT_TRUE(*statement->Step());
  EXPECT_EQ(statement->ColumnInt64(0), 4);
  statement->Reset();
  Status too_large = statement->Bind(1, uint64_t{1} << 63);
  ASSERT_FALSE(too_large.ok());
  EXPECT_EQ(too_large.error().code(), ErrorCode::kOutOfRange);
}

TEST_F(SqliteTest, ResetKeepsBindingsAndAllowsRebinding) {
  Result<Statement> statement = database_.Prepare("SELECT ? * 2");
  ASSERT_TRUE(statement.ok());
  ASSERT_TRUE(statement->Bind(1, int64_t{21}).ok());
  ASSERT_TRUE(*statement->Step());
  EXPECT_EQ(statement->ColumnInt64(0), 42);
  statement->Reset();
  ASSERT_TRUE(*statement->Step());
  EXPECT_EQ(statement->ColumnInt64(0), 42);
  statement->Reset();
  ASSERT_TRUE(statement->Bind(1, 5).ok());
  ASSERT_TRUE(*statement->Step());
  EXPECT_EQ(statement->ColumnInt64(0), 10);
}

TEST_F(SqliteTest, BindOutOfRangeFails) {
  Result<Statement> statement = database_.Prepare("SELECT ?");
  ASSERT_TRUE(statement.ok());
  Status bound = statement->Bind(2, int64_t{1});
  ASSERT_FALSE(bound.ok());
  EXPECT_EQ(bound.error().code(), ErrorCode::kOutOfRange);
  EXPECT_NE(bound.error().message().find("parameter 2"), std::string::npos);
}

TEST_F(SqliteTest, SyntaxErrorCarriesMessageAndFirstLine) {
  Status status = database_.Execute("SELEC kind\nFROM events");
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(status.error().message().find("syntax error"), std::string::npos);
  EXPECT_NE(status.error().message().find("\"SELEC kind\""), std::string::npos)
      << status.error().message();
  Result<Statement> prepared = database_.Prepare("SELECT * FROM nowhere");
  ASSERT_FALSE(prepared.ok());
  EXPECT_NE(prepared.error().message().find("no such table: nowhere"), std::string::npos)
      << prepared.error().message();
}

TEST_F(SqliteTest, ExecuteRunsEveryStatementAndStopsAtFailure) {
  Status status = database_.Execute(R"(
    INSERT INTO events (kind) VALUES ('a');  -- first
    INSERT INTO events (kind) VALUES ('b');
    INSERT INTO missing (kind) VALUES ('c');
    INSERT INTO events (kind) VALUES ('d');
  )");
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message().find("INSERT INTO missing"), std::string::npos)
      << status.error().message();
  EXPECT_EQ(QueryInt(database_, "SELECT count(*) FROM events"), 2);
  EXPECT_TRUE(database_.Execute("  -- only a comment\n").ok());
}

TEST_F(SqliteTest, ConstraintViolationsMapToCodes) {
  ASSERT_TRUE(database_.Execute("INSERT INTO events (kind) VALUES ('once')").ok());
  Status duplicate = database_.Execute("INSERT INTO events (kind) VALUES ('once')");
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.error().code(), ErrorCode::kAlreadyExists);
  EXPECT_NE(duplicate.error().message().find("UNIQUE constraint failed: events.kind"),
            std::string::npos);
  Status missing = database_.Execute("INSERT INTO events (weight) VALUES (1.0)");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_NE(missing.error().message().find("NOT NULL"), std::string::npos);
}

TEST_F(SqliteTest, PrepareRejectsSeveralStatementsAndEmptySql) {
  Result<Statement> several = database_.Prepare("SELECT 1; SELECT 2");
  ASSERT_FALSE(several.ok());
  EXPECT_EQ(several.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(database_.Prepare("SELECT 1; -- trailing comment").ok());
  EXPECT_FALSE(database_.Prepare("  ").ok());
}

TEST_F(SqliteTest, TransactionCommits) {
  {
    Result<Transaction> transaction = Transaction::Begin(database_);
    ASSERT_TRUE(transaction.ok()) << transaction.error();
    ASSERT_TRUE(database_.Execute("INSERT INTO events (kind) VALUES ('kept')").ok());
    ASSERT_TRUE(transaction->Commit().ok());
  }
  EXPECT_EQ(QueryInt(database_, "SELECT count(*) FROM events"), 1);
}

TEST_F(SqliteTest, TransactionRollsBackOnDestruction) {
  {
    Result<Transaction> transaction = Transaction::Begin(database_);
    ASSERT_TRUE(transaction.ok());
    ASSERT_TRUE(database_.Execute("INSERT INTO events (kind) VALUES ('dropped')").ok());
    EXPECT_EQ(QueryInt(database_, "SELECT count(*) FROM events"), 1);
  }
  EXPECT_EQ(QueryInt(database_, "SELECT count(*) FROM events"), 0);
  EXPECT_TRUE(Transaction::Begin(database_).ok());
}

TEST_F(SqliteTest, ExplicitRollbackAndNestedBeginFails) {
  Result<Transaction> transaction = Transaction::Begin(database_);
  ASSERT_TRUE(transaction.ok());
  Result<Transaction> nested = Transaction::Begin(database_);
  ASSERT_FALSE(nested.ok());
  EXPECT_NE(nested.error().message().find("within a transaction"), std::string::npos);
  ASSERT_TRUE(database_.Execute("INSERT INTO events (kind) VALUES ('x')").ok());
  ASSERT_TRUE(transaction->Rollback().ok());
  EXPECT_EQ(QueryInt(database_, "SELECT count(*) FROM events"), 0);
}

TEST(SqliteFileTest, FileDatabaseUsesWalAndPersists) {
  testing::ScopedTempDir dir;
  std::string path = (dir / "sessions.db").string();
  {
    Database database = OpenOrDie(path);
    Result<Statement> mode = database.Prepare("PRAGMA journal_mode");
    ASSERT_TRUE(mode.ok());
    ASSERT_TRUE(*mode->Step());
    EXPECT_EQ(mode->ColumnText(0), "wal");
    ASSERT_TRUE(database.Execute("CREATE TABLE t (x); INSERT INTO t VALUES (7)").ok());
  }
  Database reopened = OpenOrDie(path, {.read_only = true});
  EXPECT_EQ(QueryInt(reopened, "SELECT x FROM t"), 7);
  Status write = reopened.Execute("INSERT INTO t VALUES (8)");
  ASSERT_FALSE(write.ok());
  EXPECT_EQ(write.error().code(), ErrorCode::kPermissionDenied);
}

TEST(SqliteFileTest, WalCanBeDisabled) {
  testing::ScopedTempDir dir;
  Database database = OpenOrDie((dir / "plain.db").string(), {.wal = false});
  Result<Statement> mode = database.Prepare("PRAGMA journal_mode");
  ASSERT_TRUE(mode.ok());
  ASSERT_TRUE(*mode->Step());
  EXPECT_EQ(mode->ColumnText(0), "delete");
}

TEST(SqliteFileTest, MissingFileWithoutCreateFailsAndNamesPath) {
  testing::ScopedTempDir dir;
  std::string path = (dir / "absent.db").string();
  Result<Database> database = Database::Open(path, {.create = false});
  ASSERT_FALSE(database.ok());
  EXPECT_EQ(database.error().code(), ErrorCode::kNotFound);
  EXPECT_NE(database.error().message().find(path), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(SqliteFileTest, BusyWithoutTimeoutFailsImmediately) {
  testing::ScopedTempDir dir;
  std::string path = (dir / "busy.db").string();
  Database writer = OpenOrDie(path);
  Database other = OpenOrDie(path, {.busy_timeout = std::chrono::milliseconds(0)});
  Result<Transaction> held = Transaction::Begin(writer);
  ASSERT_TRUE(held.ok());
  Result<Transaction> blocked = Transaction::Begin(other);
  ASSERT_FALSE(blocked.ok());
  EXPECT_EQ(blocked.error().code(), ErrorCode::kUnavailable);
  EXPECT_NE(blocked.error().message().find("locked"), std::string::npos);
}

TEST(SqliteFileTest, BusyTimeoutWaitsForOtherWriter) {
  testing::ScopedTempDir dir;
  std::string path = (dir / "busy.db").string();
  Database writer = OpenOrDie(path);
  ASSERT_TRUE(writer.Execute("CREATE TABLE t (x)").ok());
  Database waiter = OpenOrDie(path, {.busy_timeout = std::chrono::seconds(30)});
  Result<Transaction> held = Transaction::Begin(writer);
  ASSERT_TRUE(held.ok());
  std::promise<void> about_to_wait;
  std::thread waiting([&] {
    about_to_wait.set_value();
    EXPECT_TRUE(waiter.Execute("INSERT INTO t VALUES (2)").ok());
  });
  about_to_wait.get_future().wait();
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ASSERT_TRUE(writer.Execute("INSERT INTO t VALUES (1)").ok());
  ASSERT_TRUE(held->Commit().ok());
  waiting.join();
  EXPECT_EQ(QueryInt(writer, "SELECT count(*) FROM t"), 2);
}

TEST(SqliteMoveTest, MovedDatabaseAndStatementKeepWorking) {
  Database first = OpenOrDie(":memory:");
  ASSERT_TRUE(first.Execute("CREATE TABLE t (x); INSERT INTO t VALUES (3)").ok());
  Result<Statement> statement = first.Prepare("SELECT x FROM t");
  ASSERT_TRUE(statement.ok());
  Database second = std::move(first);
  Statement moved = std::move(statement).value();
  ASSERT_TRUE(*moved.Step());
  EXPECT_EQ(moved.ColumnInt64(0), 3);
  EXPECT_EQ(QueryInt(second, "SELECT count(*) FROM t"), 1);
}

TEST(SqliteDeathTest, ColumnOutOfRangeAborts) {
  Database database = OpenOrDie(":memory:");
  Result<Statement> statement = database.Prepare("SELECT 1");
  ASSERT_TRUE(statement.ok());
  ASSERT_TRUE(*statement->Step());
  EXPECT_DEATH((void)statement->ColumnInt64(1), "column 1 out of range");
}

}  // namespace
}  // namespace fathom::base
