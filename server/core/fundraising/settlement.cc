#include "server/core/fundraising/settlement.h"

#include <algorithm>
#include <tuple>

#include "server/base/check.h"

namespace constellation::core {
namespace {

// (hlc, event id): the order in which settlement applies payments and write-offs.
bool EarlierStamp(const PledgeEntry& a, const PledgeEntry& b) {
  return std::tie(a.hlc, a.event) < std::tie(b.hlc, b.event);
}

}  // namespace

Settlement Settle(const PledgeState& p, const std::function<bool(const PledgeEntry&)>& in_view,
                  bool threshold_lapsed, const CausalClocks& clocks) {
  Settlement s;
  std::vector<size_t> payments, write_offs;
  std::vector<const PledgeEntry*> closing;
  const PledgeEntry* resolution = nullptr;
  for (size_t i = 0; i < p.history.size(); ++i) {
    const PledgeEntry& entry = p.history[i];
    if (!in_view(entry)) continue;
    switch (entry.kind) {
      case PledgeEntryKind::kPledge:
      case PledgeEntryKind::kAmendment: {
        const TermsVersion& v = p.versions[entry.terms_index];
        if (s.terms == nullptr || s.terms->seq < v.seq) s.terms = &v;
        break;
      }
      case PledgeEntryKind::kCancellation:
        s.cancelled = true;
        closing.push_back(&entry);
        break;
      case PledgeEntryKind::kPayment:
        payments.push_back(i);
        break;
      case PledgeEntryKind::kWriteOff:
        write_offs.push_back(i);
        break;
      case PledgeEntryKind::kCondition:
        if (resolution == nullptr || EarlierStamp(entry, *resolution)) resolution = &entry;
        break;
    }
  }
  CONSTELLATION_CHECK(s.terms != nullptr);
  s.amount_minor = s.terms->terms.amount.amount_minor;
  if (resolution != nullptr) {
    s.condition = resolution->outcome;
    if (resolution->outcome == ConditionOutcome::kReleased) closing.push_back(resolution);
  }
  auto eligible = [&](const PledgeEntry& entry) {
    if (threshold_lapsed) return false;
    for (const PledgeEntry* x : closing) {
      if (!clocks.HappenedBefore(entry.event, x->event)) return false;
    }
    return true;
  };
  auto by_stamp = [&](size_t a, size_t b) { return EarlierStamp(p.history[a], p.history[b]); };
  std::sort(payments.begin(), payments.end(), by_stamp);
  std::sort(write_offs.begin(), write_offs.end(), by_stamp);
  for (size_t i : payments) {
    const PledgeEntry& entry = p.history[i];
    int64_t applied = 0;
    if (!entry.unapplied_requested && eligible(entry)) {
      applied = std::min(entry.amount_minor, s.amount_minor - s.received_minor);
    }
    s.received_minor += applied;
    s.unapplied_minor += entry.amount_minor - applied;
    s.applied[i] = applied;
  }
  for (size_t i : write_offs) {
    const PledgeEntry& entry = p.history[i];
    int64_t effect = 0;
    if (eligible(entry)) {
      effect =
          std::min(entry.amount_minor, s.amount_minor - s.received_minor - s.written_off_minor);
    }
    s.written_off_minor += effect;
    s.applied[i] = effect;
  }
  return s;
}

std::vector<InstallmentDue> ScheduleOf(const PledgeTerms& terms, uint64_t campaign_deadline_ms) {
  if (!terms.installments.empty()) return terms.installments;
  return {
      InstallmentDue{.due_ms = campaign_deadline_ms, .amount_minor = terms.amount.amount_minor}};
}

size_t FullyPaidCount(const PledgeTerms& terms, int64_t received_minor) {
  size_t count = 0;
  int64_t cumulated = 0;
  for (const InstallmentDue& in : terms.installments) {
    cumulated += in.amount_minor;
    if (cumulated > received_minor) break;
    ++count;
  }
  return count;
}

}  // namespace constellation::core
