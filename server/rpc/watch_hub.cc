#include "server/rpc/watch_hub.h"

#include <algorithm>
#include <utility>

namespace constellation::rpc {

absl::Status WatchHub::Park(const core::GroupId& group, std::weak_ptr<WatchWaker> waker) {
  absl::MutexLock lock(&mu_);
  if (closed_) {
    return absl::UnavailableError(
        "the node is shutting down; reopen the watch with the last revision received");
  }
  Wakers& wakers = parked_[group];
  std::erase_if(wakers, [](const std::weak_ptr<WatchWaker>& w) { return w.expired(); });
  wakers.push_back(std::move(waker));
  return absl::OkStatus();
}

void WatchHub::WakeAll(Wakers wakers) {
  for (const std::weak_ptr<WatchWaker>& w : wakers) {
    if (std::shared_ptr<WatchWaker> live = w.lock()) live->Wake();
  }
}

void WatchHub::Notify(const core::GroupId& group) {
  Wakers woken;
  {
    absl::MutexLock lock(&mu_);
    auto it = parked_.find(group);
    if (it == parked_.end()) return;
    woken = std::move(it->second);
    parked_.erase(it);
  }
  WakeAll(std::move(woken));
}

void WatchHub::NotifyAll() {
  Wakers woken;
  {
    absl::MutexLock lock(&mu_);
    for (auto& [group, wakers] : parked_) {
      woken.insert(woken.end(), wakers.begin(), wakers.end());
    }
    parked_.clear();
  }
  WakeAll(std::move(woken));
}

void WatchHub::Close() {
  {
    absl::MutexLock lock(&mu_);
    closed_ = true;
  }
  NotifyAll();
}

size_t WatchHub::Parked() const {
  absl::MutexLock lock(&mu_);
  size_t n = 0;
  for (const auto& [group, wakers] : parked_) {
    n += std::count_if(wakers.begin(), wakers.end(),
                       [](const std::weak_ptr<WatchWaker>& w) { return !w.expired(); });
  }
  return n;
}

}  // namespace constellation::rpc
