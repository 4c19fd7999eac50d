// server/rpc/call_limits.h
//
// CallLimits: the caps on concurrent calls of one node (limits.h kStreamsPerNodeMax,
// kStreamsPerTokenMax, kInFlightRequestsPerNodeMax, kInFlightRequestsPerTokenMax). A call takes
// a place once its caller is known (reactors.h RunUnary, RunDetached, RunPaged) and holds it
// until the call has ended, whatever way it ends: the place is a CallSlot whose last copy gives
// it back. A caller is a client token, or for federation calls a peer org, each capped apart.
// Over a cap, Acquire answers kResourceExhausted naming the limit, its value and what to do.
// Thread safety: thread-safe and non-blocking (one short critical section per call).
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include <absl/container/flat_hash_map.h>
#include <absl/status/statusor.h>
#include <absl/synchronization/mutex.h>

#include "server/base/limits.h"
#include "server/core/ids.h"
#include "server/rpc/backend.h"

namespace constellation::rpc {

// Once this many streams have closed since the last time, the node asks the allocator to give
// free memory back to the system (malloc_trim, on the housekeeping ticker): glibc keeps what
// closed streams freed in its per-thread arenas, so without it the node's resident size stayed
// at its peak (docs/RELIABILITY.md). A tuning constant, not a limit a caller meets: a token's
// worth of streams, and at most one trim per housekeeping tick.
inline constexpr size_t kStreamsClosedPerMemoryTrim = limits::kStreamsPerTokenMax;

// A server stream (held open until the client has read it or gone), or a unary request.
enum class CallKind { kStream, kUnary };

// Who a place is counted against: `key` identifies the caller, `noun` names it in messages.
struct CallerId {
  std::string key;
  std::string_view noun;
};
CallerId CallerIdOf(const Principal& caller);
CallerId CallerIdOf(const core::OrgKey& caller);

class CallLimits;

// A held place; the destructor gives it back. Shared so that the tasks and callbacks a call
// hands around can each keep it alive; the place is freed when the last copy goes.
class CallSlot {
 public:
  CallSlot(CallLimits* limits, CallKind kind, std::string key)
      : limits_(limits), kind_(kind), key_(std::move(key)) {}
  CallSlot(const CallSlot&) = delete;
  CallSlot& operator=(const CallSlot&) = delete;
  ~CallSlot();

 private:
  CallLimits* limits_;
  CallKind kind_;
  std::string key_;
};

class CallLimits {
 public:
  // A place for a call of `kind` by `caller`, or kResourceExhausted when the caller's cap (checked
  // first) or the node's is reached.
  absl::StatusOr<std::shared_ptr<CallSlot>> Acquire(CallKind kind, const CallerId& caller);

  // Places held now, of `kind`, on the whole node. For tests and diagnostics.
  size_t Held(CallKind kind) const;

  // True once kStreamsClosedPerMemoryTrim streams have closed since it last returned
  // true: time for the node to hand the memory they freed back to the system.
  bool TakeMemoryTrimDue();

 private:
  friend class CallSlot;
  void Release(CallKind kind, const std::string& key);

  struct Counts {
    size_t node = 0;
    absl::flat_hash_map<std::string, size_t> per_caller;
  };
  Counts& CountsOf(CallKind kind) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return kind == CallKind::kStream ? streams_ : unary_;
  }

  mutable absl::Mutex mu_;
  Counts streams_ ABSL_GUARDED_BY(mu_);
  Counts unary_ ABSL_GUARDED_BY(mu_);
  size_t streams_closed_since_trim_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace constellation::rpc
