#include "service/job_sharing.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include "core/json_io.h"
#include "service/job_manager.h"
#include "service/upload_receiver.h"

namespace fs = std::filesystem;

namespace presgen {

Result<LinkSigner> SharedLinkSigner(JobStore& store) {
  auto fresh = RandomHex(32);
  if (!fresh.ok()) return fresh.status();
  auto secret = store.SharedValue("link_secret", *fresh);
  if (!secret.ok()) return secret.status();
  return LinkSigner(*secret);
}

Status CheckSharedDataDir(JobStore& store, const std::string& data_dir) {
  const std::string marker = data_dir + "/store-id";
  auto proposed = RandomHex(16);
  if (!proposed.ok()) return proposed.status();
  auto id = store.SharedValue("data_dir_id", *proposed);
  if (!id.ok()) return id.status();
  std::string found;
  {
    std::ifstream in(marker);
    std::getline(in, found);
  }
  if (found.empty() && *id == *proposed) {  // the first node: it marks the folder
    if (Status st = WriteFileAtomic(marker, *id + "\n"); !st.ok()) {
      return Status::InvalidInput(data_dir + ": the shared data folder is not writable (" +
                                  st.message() + ")");
    }
    return Status::Ok();
  }
  if (found != *id) {
    return Status::InvalidInput(
        data_dir + ": not the data folder the other nodes on this job store use (its store-id " +
        (found.empty() ? std::string("is missing") : "is " + found) + ", the store's is " + *id +
        "); give every node the same shared folder");
  }
  // The same folder: this node must be able to write in it too.
  const std::string probe = data_dir + "/.write-test-" + MakeNodeId();
  if (Status st = WriteFileAtomic(probe, "x"); !st.ok()) {
    return Status::InvalidInput(data_dir + ": the shared data folder is not writable here (" +
                                st.message() + ")");
  }
  std::error_code ec;
  fs::remove(probe, ec);
  return Status::Ok();
}

std::string MakeNodeId() {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  auto suffix = RandomHex(3);
  return std::string(host[0] ? host : "node") + "-" + std::to_string(::getpid()) + "-" +
         (suffix.ok() ? *suffix : "0");
}

std::string FormatNotice(const StoreNotice& n) {
  if (n.kind == StoreNotice::Kind::kGone) return "gone " + n.id;
  return "job " + n.id + " " + std::to_string(n.event_seq) + " " + n.event_type;
}

std::optional<StoreNotice> ParseNotice(const std::string& line) {
  std::istringstream in(line);
  std::string kind;
  StoreNotice n;
  if (!(in >> kind >> n.id)) return std::nullopt;
  if (kind == "gone") {
    n.kind = StoreNotice::Kind::kGone;
    return n;
  }
  if (kind != "job" || !(in >> n.event_seq >> n.event_type)) return std::nullopt;
  if (n.event_type != "status" && n.event_type != "progress") return std::nullopt;
  return n;
}

void JobManager::OnStoreNotice(const std::string& payload) {
  const auto notice = ParseNotice(payload);
  if (!notice) return;
  if (notice->kind == StoreNotice::Kind::kGone) {
    runner_->Cancel(notice->id);  // deleted on another node: its run here stops
    events_.Forget(notice->id);
    return;
  }
  if (notice->event_type == "status" && leased_ != nullptr) leased_->Wake();
  // This node's own changes are published already; another node's are read back whole.
  if (notice->event_seq <= events_.LastId(notice->id)) return;
  auto row = store_->Get(notice->id);
  if (!row.ok()) return;
  events_.Publish(row->id, {row->event_seq, notice->event_type,
                            ToJson(*row).dump(-1, ' ', false,
                                              nlohmann::json::error_handler_t::replace),
                            IsFinal(row->status)});
  if (IsIdle(row->status)) events_.Trim(row->id, kIdleEventHistory);
}

}  // namespace presgen
