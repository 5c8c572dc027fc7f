// What a JobManager on a shared store (many nodes, PostgreSQL) does besides one machine's:
// the link secret kept in the store, the shared data folder checked, a name per process.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/status.h"
#include "service/job_store.h"
#include "service/signed_link.h"

namespace presgen {

// The download links' secret, one for every node (made by the first).
Result<LinkSigner> SharedLinkSigner(JobStore& store);

// Checks that `data_dir` is writable and is the folder every other node uses: the first
// node writes the store's id into DATA_DIR/store-id, and the others find the same id
// there. Errors: kInvalidInput with the folder and what is wrong.
Status CheckSharedDataDir(JobStore& store, const std::string& data_dir);

// "<host>-<pid>-<random>": unique per process, readable in the jobs' lease_owner.
std::string MakeNodeId();

// Notifications between nodes (JobStore::Notify), one line each:
//   "job <id> <event_seq> <status|progress>"  a job's row changed
//   "gone <id>"                               a job was deleted
struct StoreNotice {
  enum class Kind { kJob, kGone } kind = Kind::kJob;
  std::string id;
  int64_t event_seq = 0;
  std::string event_type;
};
std::string FormatNotice(const StoreNotice& notice);
// nullopt for a line that is not a notice (another version's, a stray NOTIFY).
std::optional<StoreNotice> ParseNotice(const std::string& line);

}  // namespace presgen
