// One table, written once per finished instance in its own transaction.
#include "evals/run_state.h"

#include <ctime>

#include "evals/fingerprint.h"

namespace fathom::evals {

std::string PatchFingerprint(const Prediction& prediction) {
  if (prediction.empty()) return "none";
  return Hex64(Fnv1a(*prediction.model_patch));
}

base::Result<RunState> RunState::Open(const std::filesystem::path& path) {
  std::error_code error;
  std::filesystem::create_directories(path.parent_path(), error);
  FATHOM_ASSIGN_OR_RETURN(base::Database database, base::Database::Open(path.string()));
  FATHOM_TRY(
      database.Execute("CREATE TABLE IF NOT EXISTS outcomes ("
                       "  run_id TEXT NOT NULL,"
                       "  instance_id TEXT NOT NULL,"
                       "  patch_fingerprint TEXT NOT NULL,"
                       "  status TEXT NOT NULL,"
                       "  error TEXT NOT NULL,"
                       "  patch_method TEXT NOT NULL,"
                       "  build_cached INTEGER NOT NULL,"
                       "  prepare_ms INTEGER NOT NULL,"
                       "  test_ms INTEGER NOT NULL,"
                       "  total_ms INTEGER NOT NULL,"
                       "  finished_at INTEGER NOT NULL,"
                       "  PRIMARY KEY (run_id, instance_id))"));
  return RunState(std::move(database));
}

base::Result<std::optional<InstanceOutcome>> RunState::Find(const std::string& run_id,
                                                            const std::string& instance_id,
                                                            const std::string& fingerprint) {
  std::lock_guard lock(*mutex_);
  FATHOM_ASSIGN_OR_RETURN(
      base::Statement select,
      database_.Prepare("SELECT status, error, patch_method, build_cached, prepare_ms, test_ms, "
                        "total_ms FROM outcomes WHERE run_id = ? AND instance_id = ? AND "
                        "patch_fingerprint = ?"));
  FATHOM_TRY(select.BindAll(run_id, instance_id, fingerprint));
  FATHOM_ASSIGN_OR_RETURN(const bool found, select.Step());
  if (!found) return std::optional<InstanceOutcome>();
  const std::optional<InstanceStatus> status = InstanceStatusFromName(select.ColumnText(0));
  if (!status || *status == InstanceStatus::kError) return std::optional<InstanceOutcome>();
  InstanceOutcome outcome;
  outcome.instance_id = instance_id;
  outcome.status = *status;
  outcome.error = select.ColumnText(1);
  outcome.patch_method = select.ColumnText(2);
  outcome.build_cached = select.ColumnInt64(3) != 0;
  outcome.prepare_time = std::chrono::milliseconds(select.ColumnInt64(4));
  outcome.test_time = std::chrono::milliseconds(select.ColumnInt64(5));
  outcome.total_time = std::chrono::milliseconds(select.ColumnInt64(6));
  return std::optional<InstanceOutcome>(std::move(outcome));
}

base::Status RunState::Record(const std::string& run_id, const std::string& fingerprint,
                              const InstanceOutcome& outcome) {
  std::lock_guard lock(*mutex_);
  FATHOM_ASSIGN_OR_RETURN(
      base::Statement insert,
      database_.Prepare(
          "INSERT OR REPLACE INTO outcomes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  FATHOM_TRY(insert.BindAll(run_id, outcome.instance_id, fingerprint,
                            InstanceStatusName(outcome.status), outcome.error, outcome.patch_method,
                            outcome.build_cached, outcome.prepare_time.count(),
                            outcome.test_time.count(), outcome.total_time.count(),
                            static_cast<int64_t>(std::time(nullptr))));
  return insert.Run();
}

}  // namespace fathom::evals
