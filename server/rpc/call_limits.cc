#include "server/rpc/call_limits.h"

#include <utility>

#include <absl/strings/str_cat.h>
#include <absl/strings/str_format.h>

#include "server/base/check.h"
#include "server/base/limits.h"

namespace constellation::rpc {

CallerId CallerIdOf(const Principal& caller) {
  return {absl::StrCat("token:", caller.token_id), "token"};
}

CallerId CallerIdOf(const core::OrgKey& caller) {
  return {absl::StrCat("org:", caller.Hex()), "peer org"};
}

CallSlot::~CallSlot() { limits_->Release(kind_, key_); }

absl::StatusOr<std::shared_ptr<CallSlot>> CallLimits::Acquire(CallKind kind,
                                                              const CallerId& caller) {
  const bool stream = kind == CallKind::kStream;
  const size_t per_caller =
      stream ? limits::kStreamsPerTokenMax : limits::kInFlightRequestsPerTokenMax;
  const size_t per_node = stream ? limits::kStreamsPerNodeMax : limits::kInFlightRequestsPerNodeMax;
  {
    absl::MutexLock lock(&mu_);
    Counts& counts = CountsOf(kind);
    size_t& mine = counts.per_caller[caller.key];
    if (mine >= per_caller) {
      return absl::ResourceExhaustedError(
          stream ? absl::StrFormat("too many open streams for this %s: the limit "
                                   "kStreamsPerTokenMax is %d; close other streams of this %s "
                                   "(or read them to the end), then retry",
                                   caller.noun, per_caller, caller.noun)
                 : absl::StrFormat("too many requests in flight for this %s: the limit "
                                   "kInFlightRequestsPerTokenMax is %d; wait for earlier requests "
                                   "of this %s to finish, then retry",
                                   caller.noun, per_caller, caller.noun));
    }
    if (counts.node >= per_node) {
      if (mine == 0) counts.per_caller.erase(caller.key);
      return absl::ResourceExhaustedError(
          stream ? absl::StrFormat("too many open streams on this node: the limit "
                                   "kStreamsPerNodeMax is %d; retry later, and close streams "
                                   "that are not being read",
                                   per_node)
                 : absl::StrFormat("too many requests in flight on this node: the limit "
                                   "kInFlightRequestsPerNodeMax is %d; retry later",
                                   per_node));
    }
    ++mine;
    ++counts.node;
  }
  return std::make_shared<CallSlot>(this, kind, caller.key);
}

void CallLimits::Release(CallKind kind, const std::string& key) {
  absl::MutexLock lock(&mu_);
  Counts& counts = CountsOf(kind);
  auto it = counts.per_caller.find(key);
  CONSTELLATION_CHECK(it != counts.per_caller.end() && it->second > 0 && counts.node > 0);
  if (--it->second == 0) counts.per_caller.erase(it);
  --counts.node;
  if (kind == CallKind::kStream) ++streams_closed_since_trim_;
}

bool CallLimits::TakeMemoryTrimDue() {
  absl::MutexLock lock(&mu_);
  if (streams_closed_since_trim_ < kStreamsClosedPerMemoryTrim) return false;
  streams_closed_since_trim_ = 0;
  return true;
}

size_t CallLimits::Held(CallKind kind) const {
  absl::MutexLock lock(&mu_);
  return (kind == CallKind::kStream ? streams_ : unary_).node;
}

}  // namespace constellation::rpc
