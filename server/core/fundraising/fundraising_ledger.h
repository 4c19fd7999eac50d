// server/core/fundraising/fundraising_ledger.h
//
// FundraisingLedger: joint fundraising campaigns and pledges (DESIGN §1, DOMAIN.md): campaigns
// with a fiscal host, pledges with terms, amendments as new versions, cancellations and
// payments recorded by the fiscal host. Statuses are derived, never set.
//
// The state is compact: ids, numbers and fixed-size currency codes, no copies of event protos
// or free text. Checkpoints of the fold copy it (DESIGN §3), so its size is what a late event
// costs. What only views show (a campaign's name and restriction, a pledge's note, donor and
// condition, reasons, payment references) stays in the events the state names by id
// (CampaignState::id, PledgeState::terms_event, PledgeEntry::event); the views read it there.
//
// Invariants (checked after every Apply for the pledge it touched, and by CheckInvariants):
// 0 <= received, 0 <= written off, received + written off <= the current amount; a pledge's
// history starts with its pledge entry and its version is the count of terms versions; every
// pledge is listed by exactly its campaign. CheckInvariants also checks each pledge against its
// whole history: its last terms entry is `terms_event` with the current amount, and received
// and written off are the sums of its payment and write-off entries.
// Pure. Thread safety: not thread-safe; owned by its GroupState.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "constellation/v1/event.pb.h"
#include "server/core/fold/ledger.h"
#include "server/core/ids.h"

namespace constellation::core {

// An ISO-4217 alphabetic code held inline (records.h admits only known three-letter codes);
// empty when unset.
class CurrencyCode {
 public:
  CurrencyCode() = default;
  // `code` has at most 3 bytes (CONSTELLATION_CHECK): a validated Money.currency, or empty.
  explicit CurrencyCode(std::string_view code);

  std::string_view view() const;
  std::string ToString() const { return std::string(view()); }
  bool operator==(const CurrencyCode&) const = default;

 private:
  std::array<char, 3> code_{};  // unused bytes are '\0'
};

// An amount of money (v1::Money) as the fold keeps it.
struct Money {
  int64_t amount_minor = 0;
  CurrencyCode currency;
  bool operator==(const Money&) const = default;
};

struct InstallmentDue {
  uint64_t due_ms = 0;
  int64_t amount_minor = 0;
  bool operator==(const InstallmentDue&) const = default;
};

// What the fold and the status derivation read of one version of a pledge's terms
// (v1::PledgeTerms). The rest (condition text, restriction, evidence, note, donor) is in the
// event that set the terms.
struct PledgeTerms {
  Money amount;
  std::vector<InstallmentDue> installments;  // due-date order; empty = due at the deadline
  bool conditional = false;                  // a condition is set (DOMAIN.md rule 7)
  bool operator==(const PledgeTerms&) const = default;
};
PledgeTerms CompactTerms(const v1::PledgeTerms& terms);

struct CampaignState {
  EventId id;  // the campaign event: its v1::Campaign (name, restriction, ...) is there
  OrgKey opened_by;
  OrgKey fiscal_host;
  Money goal;
  uint64_t deadline_ms = 0;  // 0 = none
  Hlc opened_hlc;
  std::vector<EventId> pledges;  // in canonical order
};

enum class PledgeEntryKind { kPledge, kAmendment, kCancellation, kPayment, kWriteOff };
std::string_view PledgeEntryKindName(PledgeEntryKind kind);

// One entry of a pledge's history: a version of its terms, or a payment, write-off or
// cancellation, with who signed it. The entry's event holds the rest (terms, reason, payment
// reference and date).
struct PledgeEntry {
  PledgeEntryKind kind = PledgeEntryKind::kPledge;
  uint32_t version = 0;  // terms version after this entry
  EventId event;
  OrgKey author;
  Hlc hlc;
  // kPledge, kAmendment: the amount of the terms; kPayment, kWriteOff: the amount settled (in
  // the pledge's currency); kCancellation: 0.
  int64_t amount_minor = 0;
};

struct PledgeState {
  EventId id;
  EventId campaign;
  OrgKey pledger;
  PledgeTerms terms;    // current version
  EventId terms_event;  // the event that set `terms` (a pledge or an amendment)
  uint32_t version = 1;
  int64_t received_minor = 0;
  int64_t written_off_minor = 0;
  bool cancelled = false;
  Hlc created_hlc;
  Hlc updated_hlc;
  std::vector<PledgeEntry> history;

  int64_t settled_minor() const { return received_minor + written_off_minor; }
  int64_t outstanding_minor() const {
    return cancelled ? 0 : terms.amount.amount_minor - settled_minor();
  }
};

enum class PledgeStatus { kPending, kInProgress, kOverdue, kCompleted, kCancelled, kConditional };
std::string_view PledgeStatusName(PledgeStatus status);

// The status of `pledge` as of `as_of_ms` (DOMAIN.md rule 4). An installment is overdue when
// its due date is <= as_of_ms and the installments due by then exceed what is settled. A
// pledge without installments is due at `campaign_deadline_ms` (0 = never overdue).
PledgeStatus DerivePledgeStatus(const PledgeState& pledge, uint64_t campaign_deadline_ms,
                                uint64_t as_of_ms);

struct CampaignTotals {
  uint32_t pledge_count = 0;  // live (not cancelled) pledges
  int64_t pledged_minor = 0;
  int64_t received_minor = 0;
  int64_t outstanding_minor = 0;
  int64_t conditional_minor = 0;
};

class FundraisingLedger final : public Ledger {
 public:
  static constexpr Domain kDomain = Domain::kFundraising;

  const std::map<EventId, CampaignState>& campaigns() const { return campaigns_; }
  const std::map<EventId, PledgeState>& pledges() const { return pledges_; }

  // Totals over `campaign`'s live pledges (docs/PROTOCOL.md §5), saturated at INT64_MAX.
  CampaignTotals Totals(const CampaignState& campaign) const;

  absl::Status Check(const VerifiedEvent& e, const GroupState& state) const override;
  void Apply(const VerifiedEvent& e, const GroupState& state, Roster& roster) override;
  void HashInto(StateHasher& h) const override;
  void CheckInvariants() const override;
  std::unique_ptr<Ledger> Clone() const override {
    return std::make_unique<FundraisingLedger>(*this);
  }

 private:
  absl::Status CheckCampaign(const VerifiedEvent& e, const GroupState& state) const;
  absl::Status CheckPledge(const VerifiedEvent& e, const GroupState& state) const;
  absl::Status CheckAmendment(const VerifiedEvent& e, const GroupState& state) const;
  absl::Status CheckCancellation(const VerifiedEvent& e, const GroupState& state) const;
  absl::Status CheckPayment(const VerifiedEvent& e, const GroupState& state) const;
  // The live pledge `id_bytes` names: kNotFound, or kFailedPrecondition when cancelled.
  absl::StatusOr<const PledgeState*> WritablePledge(const std::string& id_bytes,
                                                    std::string_view field,
                                                    const GroupState& state) const;
  PledgeState& MutablePledge(const std::string& id_bytes);
  void ApplyCampaign(const VerifiedEvent& e);
  const PledgeState& ApplyPledge(const VerifiedEvent& e);
  // An amendment, cancellation or payment; returns the pledge it changed.
  const PledgeState& ApplyPledgeChange(const VerifiedEvent& e);
  void CheckPledgeInvariants(const PledgeState& p) const;

  std::map<EventId, CampaignState> campaigns_;
  std::map<EventId, PledgeState> pledges_;
};

// The fundraising ledger of `state` (state.ledger<FundraisingLedger>()).
const FundraisingLedger& Fundraising(const GroupState& state);

}  // namespace constellation::core
