// server/core/fundraising/settlement.h
//
// The money arithmetic of one pledge (docs/PROTOCOL.md §5.11.9 "Settlement", §5.11.2 deadlines,
// §5.11.3 schedules): what a set of its records adds up to. The fold settles a pledge over all
// its records whenever one is folded; a check settles it over the records in the checked
// event's causal past. Both use Settle, so a check and the fold never disagree on arithmetic.
// Pure. Thread safety: stateless functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <vector>

#include "server/core/dag.h"
#include "server/core/fundraising/fundraising_ledger.h"
#include "server/core/hlc.h"

namespace constellation::core {

// The last hlc counting as "by the deadline" (PROTOCOL §5.11.2): wall_ms <= deadline_ms.
inline Hlc DeadlinePoint(uint64_t deadline_ms) { return Hlc{deadline_ms, UINT32_MAX}; }

inline bool ByDeadline(const Hlc& hlc, uint64_t deadline_ms) { return hlc.wall_ms <= deadline_ms; }

// The money state of a pledge computed from a set of its records (PROTOCOL §5.11.9).
struct Settlement {
  int64_t amount_minor = 0;
  int64_t received_minor = 0;
  int64_t written_off_minor = 0;
  int64_t unapplied_minor = 0;
  bool cancelled = false;
  ConditionOutcome condition = ConditionOutcome::kNone;
  const TermsVersion* terms = nullptr;
  std::map<size_t, int64_t> applied;  // history index -> applied part (payments, write-offs)
};

// Settles `p` over the records `in_view` admits (all of them for the fold; those in an
// event's causal past for a check). `threshold_lapsed`: the campaign's threshold is not met.
// Payments, then write-offs, apply in (hlc, event id) order; what a closing record (a
// cancellation, a release) did not see, or what exceeds the amount, stays unapplied.
Settlement Settle(const PledgeState& p, const std::function<bool(const PledgeEntry&)>& in_view,
                  bool threshold_lapsed, const CausalClocks& clocks);

// The installments a schedule of `terms` has (one due at the deadline when it lists none).
std::vector<InstallmentDue> ScheduleOf(const PledgeTerms& terms, uint64_t campaign_deadline_ms);

// How many leading installments of `terms` `received_minor` pays in full.
size_t FullyPaidCount(const PledgeTerms& terms, int64_t received_minor);

}  // namespace constellation::core
