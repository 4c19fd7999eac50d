// cli/progress.h
//
// Progress: a one-line progress indicator on stderr for long operations (issue 12: reading a
// group's whole history with `group events`, and what else streams many records). It is drawn
// only when stderr is a terminal (a script or a pipe sees nothing), redrawn at most every
// 100 ms, and erased when the operation ends, so stdout (the result) is never touched.
// With a known total it shows a bar and "done/total UNIT"; without, "done UNIT".
// Thread safety: not thread-safe; one per operation.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <future>
#include <ostream>
#include <string>

#include <absl/status/statusor.h>
#include <absl/time/time.h>

namespace constellation::cli {

class Progress {
 public:
  // Draws nothing unless `enabled` (stderr is a terminal). `total` 0 = unknown.
  Progress(std::ostream& err, bool enabled, std::string unit, uint64_t total);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // `done` units so far; redraws when the last draw is 100 ms old.
  void Update(uint64_t done);
  // Erases the line (also done by the destructor).
  void Finish();

  // The line drawn for `done` of `total` (0 = unknown) `unit`: "[#####.....] 512/1024 events"
  // or "512 events". For tests.
  static std::string Line(uint64_t done, uint64_t total, const std::string& unit);

 private:
  std::ostream& err_;
  const bool enabled_;
  const std::string unit_;
  const uint64_t total_;
  bool drawn_ = false;
  absl::Time last_draw_ = absl::InfinitePast();
};

// Runs `call` (one long call that reports nothing until it ends, such as a sync) on another
// thread and, while it runs, draws `progress` with what `done` reports every `interval`: first
// at once, so a user sees the operation start. `done` runs on this thread, concurrently with
// `call`. Returns what `call` returned; the line is erased before.
template <typename T>
absl::StatusOr<T> RunWithProgress(Progress& progress,
                                  const std::function<absl::StatusOr<T>()>& call,
                                  const std::function<uint64_t()>& done, absl::Duration interval) {
  std::future<absl::StatusOr<T>> result = std::async(std::launch::async, call);
  progress.Update(done());
  while (result.wait_for(absl::ToChronoMilliseconds(interval)) != std::future_status::ready) {
    progress.Update(done());
  }
  progress.Finish();
  return result.get();
}

}  // namespace constellation::cli
