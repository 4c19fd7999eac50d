// server/rpc/watch_hub.h
//
// WatchHub: where open watches (GroupService.WatchEvents) wait for their group's next events
// without holding a thread or a task. A watch that has sent everything its group holds parks
// here, from a task on the apply loop; the node calls Notify after each batch's commit for the
// groups that batch inserted events into, and every watch parked on them is woken once (it
// then reads its next page from the loop). Close, at shutdown, wakes every parked watch and
// refuses new parks, so that open watches end (kUnavailable) instead of holding the server's
// shutdown for its whole grace period.
// A park is one-shot, and the hub keeps only a weak reference: a watch that ends while parked
// leaves nothing behind but an expired entry, pruned at the next Park or Notify of its group.
// Thread safety: thread-safe. Park and Notify are called on the apply loop (so a watch cannot
// miss an insert between reading its page and parking); Wake is called without the hub's lock
// held and must not block.
#pragma once

#include <memory>
#include <vector>

#include <absl/base/thread_annotations.h>
#include <absl/container/flat_hash_map.h>
#include <absl/status/status.h>
#include <absl/synchronization/mutex.h>

#include "server/core/ids.h"

namespace constellation::rpc {

// What a parked watch is woken through.
class WatchWaker {
 public:
  virtual ~WatchWaker() = default;
  // The group has new events, or the hub is closing. Called at most once per Park.
  virtual void Wake() = 0;
};

class WatchHub {
 public:
  // Parks `waker` until the next Notify of `group` (or Close). kUnavailable once closed.
  absl::Status Park(const core::GroupId& group, std::weak_ptr<WatchWaker> waker);
  // Wakes (and unparks) every watch parked on `group`.
  void Notify(const core::GroupId& group);
  // Wakes every parked watch (after the state was rebuilt from the store).
  void NotifyAll();
  // Wakes every parked watch and refuses parks from now on (node shutdown).
  void Close();

  // Watches parked now (tests).
  size_t Parked() const;

 private:
  using Wakers = std::vector<std::weak_ptr<WatchWaker>>;
  static void WakeAll(Wakers wakers);

  mutable absl::Mutex mu_;
  // Lookups only, never iterated where order matters.
  absl::flat_hash_map<core::GroupId, Wakers> parked_ ABSL_GUARDED_BY(mu_);
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace constellation::rpc
