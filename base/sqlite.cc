#include "base/sqlite.h"

#include <sqlite3.h>

#include <utility>

#include "base/log.h"

namespace fathom::base {
namespace {

constexpr size_t kMaxQuotedSql = 160;

ErrorCode CodeFor(int sqlite_code) {
  switch (sqlite_code) {
    case SQLITE_CONSTRAINT_PRIMARYKEY:
    case SQLITE_CONSTRAINT_UNIQUE:
      return ErrorCode::kAlreadyExists;
    case SQLITE_ERROR:
    case SQLITE_MISMATCH:
    case SQLITE_TOOBIG:
      return ErrorCode::kInvalidArgument;
    case SQLITE_RANGE:
      return ErrorCode::kOutOfRange;
    case SQLITE_INTERRUPT:
      return ErrorCode::kCancelled;
    default:
      break;
  }
  switch (sqlite_code & 0xff) {
    case SQLITE_CONSTRAINT:
      return ErrorCode::kFailedPrecondition;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return ErrorCode::kUnavailable;
    case SQLITE_PERM:
    case SQLITE_READONLY:
    case SQLITE_AUTH:
      return ErrorCode::kPermissionDenied;
    case SQLITE_CANTOPEN:
      return ErrorCode::kNotFound;
    case SQLITE_NOMEM:
    case SQLITE_FULL:
      return ErrorCode::kResourceExhausted;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_IOERR:
      return ErrorCode::kDataLoss;
    default:
      return ErrorCode::kInternal;
  }
}

bool IsBlank(std::string_view sql) {
  return sql.find_first_not_of(" \t\r\n;") == std::string_view::npos;
}

// The first non-blank line of `sql`, shortened for error messages.
std::string FirstLine(std::string_view sql) {
  size_t start = sql.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos) return "";
  sql.remove_prefix(start);
  std::string_view line = sql.substr(0, sql.find('\n'));
  if (line.size() <= kMaxQuotedSql) return std::string(line);
  return std::string(line.substr(0, kMaxQuotedSql)) + "...";
}

// "sqlite: <message> (<code name>)", then ` in "<first line of sql>"` when there is SQL.
Error SqliteError(sqlite3* database, int code, std::string_view sql = {}) {
  std::string_view code_name = sqlite3_errstr(code);
  std::string_view detail = database != nullptr ? sqlite3_errmsg(database) : code_name;
  std::string message = "sqlite: " + std::string(detail);
  if (detail != code_name) message += " (" + std::string(code_name) + ")";
  if (!IsBlank(sql)) message += " in \"" + FirstLine(sql) + "\"";
  return Error(CodeFor(code), std::move(message));
}

// Prepares the next statement of `sql` and advances `sql` past it. Leaves `statement` null when
// only whitespace or comments remain.
int PrepareNext(sqlite3* database, std::string_view& sql, sqlite3_stmt*& statement) {
  const char* tail = nullptr;
  int code =
      sqlite3_prepare_v2(database, sql.data(), static_cast<int>(sql.size()), &statement, &tail);
  if (code == SQLITE_OK) sql.remove_prefix(static_cast<size_t>(tail - sql.data()));
  return code;
}

// Whether `rest`, the text after a prepared statement, holds more than comments.
bool HasAnotherStatement(sqlite3* database, std::string_view rest) {
  if (IsBlank(rest)) return false;
  sqlite3_stmt* extra = nullptr;
  int code = PrepareNext(database, rest, extra);
  sqlite3_finalize(extra);
  return code != SQLITE_OK || extra != nullptr;
}

bool IsInMemory(const std::string& path) { return path.empty() || path == ":memory:"; }

}  // namespace

std::string_view SqliteVersion() { return sqlite3_libversion(); }

// ---- Statement ----

Statement::Statement(Statement&& other) noexcept
    : statement_(std::exchange(other.statement_, nullptr)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(statement_);
    statement_ = std::exchange(other.statement_, nullptr);
  }
  return *this;
}

Statement::~Statement() { sqlite3_finalize(statement_); }

Status Statement::BindResult(int index, int code) {
  if (code == SQLITE_OK) return Ok();
  return SqliteError(sqlite3_db_handle(statement_), code, sql())
      .WithContext("binding parameter " + std::to_string(index));
}

Status Statement::Bind(int index, int64_t value) {
  return BindResult(index, sqlite3_bind_int64(statement_, index, value));
}

Status Statement::Bind(int index, double value) {
  return BindResult(index, sqlite3_bind_double(statement_, index, value));
}

Status Statement::Bind(int index, std::string_view text) {
  const char* data = text.data() != nullptr ? text.data() : "";  // a null pointer binds NULL
  return BindResult(index, sqlite3_bind_text64(statement_, index, data, text.size(),
                                               SQLITE_TRANSIENT, SQLITE_UTF8));
}

Status Statement::Bind(int index, std::span<const std::byte> blob) {
  if (blob.empty()) return BindResult(index, sqlite3_bind_zeroblob(statement_, index, 0));
  return BindResult(
      index, sqlite3_bind_blob64(statement_, index, blob.data(), blob.size(), SQLITE_TRANSIENT));
}

Status Statement::Bind(int index, std::nullptr_t) {
  return BindResult(index, sqlite3_bind_null(statement_, index));
}

Result<bool> Statement::Step() {
  int code = sqlite3_step(statement_);
  if (code == SQLITE_ROW) return true;
  if (code == SQLITE_DONE) return false;
  return SqliteError(sqlite3_db_handle(statement_), code, sql());
}

Status Statement::Run() {
  Result<bool> row = Step();
  while (row.ok() && *row) row = Step();
  Reset();
  if (!row.ok()) return std::move(row).error();
  return Ok();
}

void Statement::Reset() { sqlite3_reset(statement_); }

int Statement::ColumnCount() const { return sqlite3_column_count(statement_); }

void Statement::CheckColumn(int column) const {
  FATHOM_CHECK(column >= 0 && column < ColumnCount())
      << "column " << column << " out of range in \"" << FirstLine(sql()) << "\"";
}

bool Statement::ColumnIsNull(int column) const {
  CheckColumn(column);
  return sqlite3_column_type(statement_, column) == SQLITE_NULL;
}

int64_t Statement::ColumnInt64(int column) const {
  CheckColumn(column);
  return sqlite3_column_int64(statement_, column);
}

double Statement::ColumnDouble(int column) const {
  CheckColumn(column);
  return sqlite3_column_double(statement_, column);
}

std::string Statement::ColumnText(int column) const {
  CheckColumn(column);
  const unsigned char* text = sqlite3_column_text(statement_, column);
  if (text == nullptr) return "";
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<size_t>(sqlite3_column_bytes(statement_, column)));
}

std::vector<std::byte> Statement::ColumnBlob(int column) const {
  CheckColumn(column);
  const auto* data = static_cast<const std::byte*>(sqlite3_column_blob(statement_, column));
  if (data == nullptr) return {};
  return std::vector<std::byte>(
      data, data + static_cast<size_t>(sqlite3_column_bytes(statement_, column)));
}

std::string_view Statement::sql() const {
  const char* text = sqlite3_sql(statement_);
  return text != nullptr ? text : "";
}

// ---- Database ----

Result<Database> Database::Open(const std::string& path, const DatabaseOptions& options) {
  int flags = options.read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
  if (!options.read_only && options.create) flags |= SQLITE_OPEN_CREATE;
  sqlite3* handle = nullptr;
  int code = sqlite3_open_v2(path.c_str(), &handle, flags, nullptr);
  Database database(handle, path);  // owns the handle even when opening failed
  if (code != SQLITE_OK) {
    return SqliteError(handle, code).WithContext("opening database '" + path + "'");
  }
  Status configured = database.Configure(options);
  if (!configured.ok()) {
    return std::move(configured).error().WithContext("opening database '" + path + "'");
  }
  return database;
}

Status Database::Configure(const DatabaseOptions& options) {
  sqlite3_extended_result_codes(database_, 1);
  int code = sqlite3_busy_timeout(database_, static_cast<int>(options.busy_timeout.count()));
  if (code != SQLITE_OK) return SqliteError(database_, code);
  if (options.wal && !options.read_only && !IsInMemory(path_)) return EnableWal();
  return Ok();
}

Status Database::EnableWal() {
  FATHOM_ASSIGN_OR_RETURN(Statement pragma, Prepare("PRAGMA journal_mode=WAL"));
  FATHOM_ASSIGN_OR_RETURN(bool has_row, pragma.Step());
  std::string mode = has_row ? pragma.ColumnText(0) : "";
  if (mode != "wal") {
    FATHOM_LOG(Warning) << "database '" << path_ << "' stays in journal mode '" << mode
                        << "': WAL is not available";
  }
  return Ok();
}

Database::Database(Database&& other) noexcept
    : database_(std::exchange(other.database_, nullptr)), path_(std::move(other.path_)) {}

Database& Database::operator=(Database&& other) noexcept {
  if (this != &other) {
    sqlite3_close_v2(database_);
    database_ = std::exchange(other.database_, nullptr);
    path_ = std::move(other.path_);
  }
  return *this;
}

Database::~Database() { sqlite3_close_v2(database_); }

Status Database::Execute(std::string_view sql) {
  while (!IsBlank(sql)) {
    std::string_view current = sql;
    sqlite3_stmt* handle = nullptr;
    int code = PrepareNext(database_, sql, handle);
    if (code != SQLITE_OK) return SqliteError(database_, code, current);
    if (handle == nullptr) break;  // only comments remain
    FATHOM_TRY(Statement(handle).Run());
  }
  return Ok();
}

Result<Statement> Database::Prepare(std::string_view sql) {
  std::string_view rest = sql;
  sqlite3_stmt* handle = nullptr;
  int code = PrepareNext(database_, rest, handle);
  if (code != SQLITE_OK) return SqliteError(database_, code, sql);
  if (handle == nullptr) return InvalidArgumentError("sqlite: no SQL statement to prepare");
  Statement statement(handle);
  if (HasAnotherStatement(database_, rest)) {
    return InvalidArgumentError(
        "sqlite: Prepare takes one statement (use Execute for several) in \"" + FirstLine(sql) +
        "\"");
  }
  return statement;
}

int64_t Database::LastInsertRowId() const { return sqlite3_last_insert_rowid(database_); }

int Database::Changes() const { return sqlite3_changes(database_); }

// ---- Transaction ----

Result<Transaction> Transaction::Begin(Database& database) {
  FATHOM_TRY(database.Execute("BEGIN IMMEDIATE"));
  return Transaction(database);
}

Transaction::Transaction(Transaction&& other) noexcept
    : database_(std::exchange(other.database_, nullptr)) {}

Transaction::~Transaction() {
  if (database_ == nullptr) return;
  Status rolled_back = Rollback();
  if (!rolled_back.ok()) FATHOM_LOG(Error) << "rolling back a transaction: " << rolled_back.error();
}

Status Transaction::Commit() {
  FATHOM_CHECK(database_ != nullptr) << "Commit on a finished transaction";
  FATHOM_TRY(database_->Execute("COMMIT"));
  database_ = nullptr;
  return Ok();
}

Status Transaction::Rollback() {
  FATHOM_CHECK(database_ != nullptr) << "Rollback on a finished transaction";
  Database* database = std::exchange(database_, nullptr);
  return database->Execute("ROLLBACK");
}

}  // namespace fathom::base
