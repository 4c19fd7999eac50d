// server/core/fundraising/fundraising_ledger.h
//
// FundraisingLedger: joint fundraising campaigns and pledges (DESIGN §1, DOMAIN.md,
// docs/PROTOCOL.md §5.9, 5.11–5.12): campaigns opened by decision or by one member when the charter
// allows it, with accepted currencies and an optional assurance threshold; pledges with
// installments, amendments as new versions, cancellations, payments (applied or unapplied),
// write-offs backed by a final WRITE_OFF decision, and condition resolutions. Statuses are
// derived, never set.
//
// Check is causal, Apply resolves concurrency (PROTOCOL §5.11): every rule reads the event's
// causal past; a pledge's money state (what is applied, unapplied, written off) is recomputed
// from the *set* of its records whenever one is folded, so concurrent records give the same
// state in every fold order, and money that cannot be applied is kept as unapplied, never lost.
//
// The state is compact: ids, numbers and fixed-size currency codes, no copies of event protos
// or free text. What only views show (names, reasons, notes, references) stays in the events
// the state names by id (CampaignState::id, PledgeState::terms_event, PledgeEntry::event).
//
// Totals per campaign and currency, and per campaign, pledger and currency, are kept as
// records apply (CampaignState::totals, member_totals; PROTOCOL §5.11.10): a read never
// iterates pledges. They are 128-bit sums; TotalsOf converts them for reading.
//
// Invariants (checked after every Apply for what it changed, and by CheckInvariants for all):
// every pledge reconciles, received + written off + outstanding + cancelled + lapsed = amount,
// in total and per installment (DeriveInstallments); applied + unapplied = Σ payments; a
// pledge's history starts with its pledge entry; every pledge is listed by its campaign; the
// kept totals equal the sums over the campaign's pledges (CheckInvariants).
// Pure. Thread safety: not thread-safe; owned by its GroupState.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <absl/status/statusor.h>

#include "constellation/v1/event.pb.h"
#include "server/core/fold/ledger.h"
#include "server/core/ids.h"
#include "server/core/persistent_map.h"

namespace constellation::core {

// An ISO-4217 alphabetic code held inline (records.h admits only known three-letter codes);
// empty when unset. Ordered bytewise (maps of totals).
class CurrencyCode {
 public:
  CurrencyCode() = default;
  // `code` has at most 3 bytes (CONSTELLATION_CHECK): a validated Money.currency, or empty.
  explicit CurrencyCode(std::string_view code);

  std::string_view view() const;
  std::string ToString() const { return std::string(view()); }
  bool operator==(const CurrencyCode&) const = default;
  auto operator<=>(const CurrencyCode&) const = default;

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

// The state of a campaign's assurance threshold (PROTOCOL §5.11.2).
enum class ThresholdState { kNone = 0, kPending = 1, kMet = 2, kNotMet = 3 };
std::string_view ThresholdStateName(ThresholdState state);

// Totals of pledges in one currency (PROTOCOL §5.11.10), as the fold keeps them: exact 128-bit
// sums (a concurrent set of records may exceed int64 together, §5.11.9).
struct TotalSums {
  uint64_t pledge_count = 0;        // live pledges (neither cancelled nor lapsed)
  __int128 pledged = 0;             // Σ amount, live
  __int128 received = 0;            // Σ applied received, live
  __int128 written_off = 0;         // Σ effective write-offs, live
  __int128 outstanding = 0;         // Σ outstanding, live
  __int128 conditional = 0;         // Σ amount of live pledges that are conditional
  __int128 closed_received = 0;     // Σ applied received of cancelled and lapsed pledges
  __int128 closed_written_off = 0;  // Σ written off of cancelled and lapsed pledges
  __int128 cancelled = 0;           // Σ amount − received − written off, cancelled
  __int128 lapsed = 0;              // Σ amount − received − written off, lapsed
  __int128 unapplied = 0;           // Σ unapplied receipts, every pledge
  bool operator==(const TotalSums&) const = default;
};

// TotalSums for reading (views), in int64.
struct CampaignTotals {
  uint32_t pledge_count = 0;
  int64_t pledged_minor = 0;
  int64_t received_minor = 0;
  int64_t written_off_minor = 0;
  int64_t outstanding_minor = 0;
  int64_t conditional_minor = 0;
  int64_t closed_received_minor = 0;
  int64_t closed_written_off_minor = 0;
  int64_t cancelled_minor = 0;
  int64_t lapsed_minor = 0;
  int64_t unapplied_minor = 0;
};
// `sums` in int64; kOutOfRange naming the total when one exceeds INT64_MAX (never wrapped or
// saturated, PROTOCOL §5.11.9).
absl::StatusOr<CampaignTotals> TotalsOf(const TotalSums& sums);

struct CampaignState {
  EventId id;  // the campaign event: its v1::Campaign (name, restriction, ...) is there
  OrgKey opened_by;
  OrgKey fiscal_host;
  std::optional<EventId> proposal;  // the OPEN_CAMPAIGN proposal it executes
  Money goal;
  std::vector<CurrencyCode> accepted_currencies;  // besides the goal's, in the record's order
  uint64_t deadline_ms = 0;                       // 0 = none
  Hlc opened_hlc;
  // Assurance threshold (PROTOCOL §5.11.2); threshold == kNone when the campaign has none.
  int64_t threshold_minor = 0;          // in the goal's currency; 0 = no amount threshold
  uint32_t threshold_member_count = 0;  // 0 = no member-count threshold
  uint64_t assurance_deadline_ms = 0;
  ThresholdState threshold = ThresholdState::kNone;
  std::vector<OrgKey> assurance_set;  // members in the campaign's causal past, ascending
  __int128 counted_minor = 0;         // once settled: Σ counted amounts in the goal currency
  uint32_t counted_pledgers = 0;      // once settled: distinct pledgers with a counting pledge
  std::vector<EventId> pledges;       // in fold order
  std::map<CurrencyCode, TotalSums> totals;
  std::map<std::pair<OrgKey, CurrencyCode>, TotalSums> member_totals;

  // True when `currency` is the goal's or an accepted one.
  bool Accepts(const CurrencyCode& currency) const;
};

enum class PledgeEntryKind { kPledge, kAmendment, kCancellation, kPayment, kWriteOff, kCondition };
std::string_view PledgeEntryKindName(PledgeEntryKind kind);

enum class ConditionOutcome { kNone = 0, kMet = 1, kWaived = 2, kReleased = 3 };
std::string_view ConditionOutcomeName(ConditionOutcome outcome);

// Why a pledge lapsed (PROTOCOL §5.9).
enum class LapseReason { kNone = 0, kThresholdNotMet = 1, kReleased = 2 };
// "assurance threshold not met", "released by the pledger's right of release", "".
std::string_view LapseReasonText(LapseReason reason);

// One entry of a pledge's history: a version of its terms, or a payment, write-off,
// cancellation or condition resolution, with who signed it. The entry's event holds the rest
// (terms, reason, payment reference and date).
struct PledgeEntry {
  PledgeEntryKind kind = PledgeEntryKind::kPledge;
  uint32_t version = 0;  // terms version after this entry (in fold order)
  EventId event;
  OrgKey author;
  uint64_t seq = 0;  // the author's seq
  Hlc hlc;
  // kPledge, kAmendment: the amount of the terms; kPayment, kWriteOff: the amount recorded (in
  // the pledge's currency); kCancellation, kCondition: 0.
  int64_t amount_minor = 0;
  // kPayment: the part applied to the pledge (the rest is unapplied); kWriteOff: the part that
  // took effect (PROTOCOL §5.11.9). Recomputed by the fold; 0 for other kinds.
  int64_t applied_minor = 0;
  bool unapplied_requested = false;                    // kPayment: recorded with unapplied = true
  ConditionOutcome outcome = ConditionOutcome::kNone;  // kCondition
  uint32_t terms_index = 0;  // kPledge, kAmendment: index in PledgeState::versions
};

// One version of a pledge's terms, by the pledger.
struct TermsVersion {
  PledgeTerms terms;
  EventId event;
  uint64_t seq = 0;  // the pledger's seq
  Hlc hlc;
};

struct PledgeState {
  EventId id;
  EventId campaign;
  OrgKey pledger;
  PledgeTerms terms;    // current version
  EventId terms_event;  // the event that set `terms` (a pledge or an amendment)
  uint32_t version = 1;
  int64_t received_minor = 0;     // applied
  int64_t written_off_minor = 0;  // effective
  int64_t unapplied_minor = 0;    // receipts kept unapplied
  bool cancelled = false;
  LapseReason lapse = LapseReason::kNone;
  ConditionOutcome condition = ConditionOutcome::kNone;  // the effective resolution
  bool threshold_pending = false;  // its campaign's threshold is not settled yet
  Hlc created_hlc;
  Hlc updated_hlc;
  std::vector<TermsVersion> versions;  // by the pledger's seq
  std::vector<PledgeEntry> history;    // in fold order

  bool lapsed() const { return lapse != LapseReason::kNone; }
  bool closed() const { return cancelled || lapsed(); }
  int64_t settled_minor() const { return received_minor + written_off_minor; }
  int64_t outstanding_minor() const {
    return closed() ? 0 : terms.amount.amount_minor - settled_minor();
  }
  // The remainder a cancellation or lapse dropped: amount − received − written off, or 0.
  int64_t dropped_minor() const {
    return closed() ? terms.amount.amount_minor - settled_minor() : 0;
  }
  // Conditional: its condition is unresolved, or its campaign's threshold is not settled.
  bool condition_pending() const {
    return terms.conditional && condition == ConditionOutcome::kNone;
  }
  bool conditional() const { return condition_pending() || threshold_pending; }
};

// One line of a pledge's schedule (PROTOCOL §5.11.3): an installment with its paid part
// (payments fill oldest first), written-off part (newest first), outstanding part and, for a
// cancelled or lapsed pledge, the part dropped. paid + written_off + outstanding + dropped =
// amount.
struct InstallmentPosition {
  uint64_t due_ms = 0;  // 0: never due (no installments and no campaign deadline)
  int64_t amount_minor = 0;
  int64_t paid_minor = 0;
  int64_t written_off_minor = 0;
  int64_t outstanding_minor = 0;
  int64_t dropped_minor = 0;
};
// The schedule of `pledge` (its installments, or one due at `campaign_deadline_ms`). Pure.
std::vector<InstallmentPosition> DeriveInstallments(const PledgeState& pledge,
                                                    uint64_t campaign_deadline_ms);

enum class PledgeStatus {
  kPending,
  kInProgress,
  kOverdue,
  kCompleted,
  kCancelled,
  kConditional,
  kWrittenOff,
  kLapsed
};
std::string_view PledgeStatusName(PledgeStatus status);

// The status of `pledge` as of `as_of_ms` (PROTOCOL §5.9): cancelled; lapsed; completed
// (received = amount); written off (settled = amount, written off > 0); conditional; overdue
// (installments due by as_of_ms exceed what is settled); in progress; pending. A pledge
// without installments is due at `campaign_deadline_ms` (0 = never overdue).
PledgeStatus DerivePledgeStatus(const PledgeState& pledge, uint64_t campaign_deadline_ms,
                                uint64_t as_of_ms);

class FundraisingLedger final : public Ledger {
 public:
  static constexpr Domain kDomain = Domain::kFundraising;

  // Stateless validation of this domain's record bodies (server/core/records.h; defined in
  // fundraising_records.cc): kInvalidArgument naming the field. The registry routes bodies here.
  static absl::Status Validate(const v1::Event& e);

  const std::map<EventId, CampaignState>& campaigns() const { return campaigns_; }
  const PersistentMap<EventId, PledgeState>& pledges() const { return pledges_; }

  // The totals of `campaign` in its goal currency (PROTOCOL §5.11.10), O(log currencies): the
  // fold keeps them. kOutOfRange as TotalsOf.
  absl::StatusOr<CampaignTotals> Totals(const CampaignState& campaign) const;
  // The totals of `campaign` in `currency` (zero when it has no pledge in it); kOutOfRange as
  // TotalsOf.
  absl::StatusOr<CampaignTotals> TotalsIn(const CampaignState& campaign,
                                          const CurrencyCode& currency) const;
  // The totals of `member`'s pledges to `campaign` in `currency` (zero when none).
  absl::StatusOr<CampaignTotals> MemberTotalsIn(const CampaignState& campaign, const OrgKey& member,
                                                const CurrencyCode& currency) const;

  absl::Status Check(const VerifiedEvent& e, const GroupState& state) const override;
  void Apply(const VerifiedEvent& e, const GroupState& state, Roster& roster) override;
  // Settles assurance thresholds whose deadline every member of their set has passed.
  void AfterEvent(const VerifiedEvent& e, const GroupState& state, Roster& roster) override;
  // Its pledges with an outstanding part.
  void AddOpenObligations(const OrgKey& member, const GroupState& state,
                          std::vector<Obligation>& out) const override;
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
  absl::Status CheckWriteOff(const VerifiedEvent& e, const GroupState& state) const;
  absl::Status CheckCondition(const VerifiedEvent& e, const GroupState& state) const;

  // The pledge `id_bytes` names (kNotFound), which must be in e's causal past
  // (kFailedPrecondition).
  absl::StatusOr<const PledgeState*> ReferencedPledge(const std::string& id_bytes,
                                                      std::string_view field,
                                                      const VerifiedEvent& e,
                                                      const GroupState& state) const;
  // The pledge `id_bytes` names (kNotFound), whose pledger must be e's author
  // (kPermissionDenied: "only the pledger may `verb` it").
  absl::StatusOr<const PledgeState*> OwnPledge(const std::string& id_bytes, std::string_view field,
                                               std::string_view verb, const VerifiedEvent& e,
                                               const GroupState& state) const;
  // The campaign's threshold is settled and not met in e's causal past.
  bool LapsedInPast(const CampaignState& c, const VerifiedEvent& e, const GroupState& state) const;
  // kFailedPrecondition unless the campaign's threshold (if any) is settled and met in e's
  // causal past; `what` says what needs it.
  absl::Status ThresholdMetInPast(const CampaignState& c, const VerifiedEvent& e,
                                  const GroupState& state, std::string_view what) const;
  bool ThresholdSettledInPast(const CampaignState& c, const VerifiedEvent& e,
                              const GroupState& state) const;
  // kInvalidArgument when `amount_minor` more in `currency` would take the campaign's gross
  // sum in e's causal past above INT64_MAX (PROTOCOL §5.11.9 "totals bound").
  absl::Status CheckTotalsBound(const CampaignState& c, const CurrencyCode& currency,
                                int64_t amount_minor, const VerifiedEvent& e,
                                const GroupState& state) const;

  void ApplyCampaign(const VerifiedEvent& e, const GroupState& state);
  void ApplyPledge(const VerifiedEvent& e, const GroupState& state);
  void ApplyPledgeRecord(const VerifiedEvent& e, const GroupState& state);
  // Recomputes `p`'s money state from its records and moves its totals (PROTOCOL §5.11.9);
  // `counted`: p's previous state is in the totals (false for a new pledge).
  void Resettle(PledgeState& p, const GroupState& state, bool counted);
  // Adds (sign +1) or removes (sign -1) `p`'s part of its campaign's totals.
  void AddToTotals(const PledgeState& p, int sign);
  // Settles `c`'s threshold if every member of its set is settled for its deadline.
  void MaybeSettleThreshold(CampaignState& c, const GroupState& state);
  void CheckPledgeInvariants(const PledgeState& p) const;

  std::map<EventId, CampaignState> campaigns_;
  PersistentMap<EventId, PledgeState> pledges_;       // shared with checkpoint copies (issue 10)
  std::map<EventId, EventId> campaign_of_proposal_;   // OPEN_CAMPAIGN proposal -> campaign
  std::map<EventId, EventId> write_off_of_proposal_;  // WRITE_OFF proposal -> write-off event
  // Per campaign and currency, Σ of each pledge's largest amount and of every payment: the
  // upper bound of every total the totals-bound check reads first (PROTOCOL §5.11.9).
  std::map<std::pair<EventId, CurrencyCode>, __int128> gross_bound_;
  std::vector<EventId> pending_thresholds_;  // campaigns whose threshold is kPending
};

// The fundraising ledger of `state` (state.ledger<FundraisingLedger>()).
const FundraisingLedger& Fundraising(const GroupState& state);

// Stateless checks of a campaign and of pledge terms, kInvalidArgument naming the field
// (server/core/records.h).
absl::Status ValidateCampaign(const v1::Campaign& campaign, std::string_view field);
absl::Status ValidatePledgeTerms(const v1::PledgeTerms& terms, std::string_view field);

}  // namespace constellation::core
