// Space kept back for the job store: a file (`reserve`, up to 8 MiB, never more than an
// eighth of the free space) in the data folder that is given back to the disk when it is
// full, so the job store can still record that a job failed (and why) instead of leaving it
// "running" for ever. Re-made once there is room.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>

namespace presgen {

class StorageReserve {
 public:
  // `bytes`: at most this much, and never more than an eighth of the free space.
  StorageReserve(std::string path, int64_t bytes) : path_(std::move(path)), bytes_(bytes) {}

  // Makes the reserve when it is missing and there is room; true when it is in place.
  bool Replenish();
  // Gives the reserve's space back; false when there was none to give.
  bool Release();

 private:
  std::mutex mu_;
  std::string path_;
  int64_t bytes_;
};

}  // namespace presgen
