// server/core/pooled/pooled_ledger.h
//
// PooledLedger: pooled resources (DESIGN §1, DOMAIN.md "Pooled resources", docs/PROTOCOL.md
// §5.10): contributions (cash and in kind, with valuation and FX) recorded by the contributor,
// corrected by reversing entries; funds created from a passed CREATE_FUND decision and held by
// a named member, the fiscal host; receipts of cash paid into a fund and disbursements of
// passed ALLOCATE_FUNDS decisions (drawdowns), both recorded by the fiscal host.
//
// Check reads only the event's causal past, or facts only the event's author changes (a fund's
// balance is changed by its fiscal host alone); Apply accepts whatever Check accepted and
// records concurrent outcomes (a reversal concurrent with a receipt: "reversed after receipt").
// Drawdown statuses and benefit shares are derived at read time (Drawdowns, BenefitShares).
//
// The state is compact: ids, numbers and currency codes. Text (units, purposes, references,
// FX sources) stays in the events the state names; views read it there (Group::Find).
//
// Invariants (checked after every Apply for what it changed, and by CheckInvariants): every
// fund reconciles, Σ receipts − Σ disbursements = balance >= 0, and its received and disbursed
// totals are the sums of its receipt and disbursement entries; a contribution is reversed at
// most once, by a reversal of the same author, kind and value; each member's net contributed
// value per currency is the sum of its contributions minus its reversals.
// Pure. Thread safety: not thread-safe; owned by its GroupState.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "constellation/v1/event.pb.h"
#include "server/core/fold/ledger.h"
#include "server/core/fundraising/fundraising_ledger.h"  // CurrencyCode, Money
#include "server/core/ids.h"

namespace constellation::core {

struct ContributionState {
  EventId id;
  OrgKey contributor;
  v1::ContributionKind kind = v1::CONTRIBUTION_KIND_UNSPECIFIED;
  Money value;                  // in the currency of the value (after conversion, when converted)
  std::optional<EventId> fund;  // cash paid into this fund
  std::optional<EventId> reverses;     // this entry reverses that contribution
  std::optional<EventId> reversed_by;  // the reversal of this contribution
  std::optional<EventId> receipt;      // the fiscal host's receipt of its cash
  // A reversal concurrent with the receipt: both took effect, a refund is owed.
  bool reversed_after_receipt = false;
  Hlc hlc;

  bool is_reversal() const { return reverses.has_value(); }
};

struct FundState {
  EventId id;  // the fund event
  EventId proposal;
  OrgKey fiscal_host;
  CurrencyCode currency;
  v1::RestrictionKind restriction = v1::RESTRICTION_KIND_UNSPECIFIED;
  std::string restriction_text;  // PURPOSE: the purpose every drawdown states (§5.10)
  uint64_t until_ms = 0;         // TIME restriction
  int64_t received_minor = 0;
  int64_t disbursed_minor = 0;
  std::vector<EventId> receipts;       // contribution receipts, in canonical order
  std::vector<EventId> disbursements;  // in canonical order
  Hlc created_hlc;

  int64_t balance_minor() const { return received_minor - disbursed_minor; }
};

struct DisbursementState {
  EventId id;  // the disbursement event
  EventId proposal;
  EventId fund;
  int64_t amount_minor = 0;
  Hlc hlc;
};

// One entry of the pooled ledger, in canonical order.
enum class PooledEntryKind { kContribution, kReversal, kFund, kReceipt, kDisbursement };
std::string_view PooledEntryKindName(PooledEntryKind kind);
struct PooledEntry {
  PooledEntryKind kind = PooledEntryKind::kContribution;
  EventId event;
};

enum class DrawdownStatus { kProposed, kRejected, kApproved, kRefused, kDisbursed };
std::string_view DrawdownStatusName(DrawdownStatus status);

// A drawdown (an ALLOCATE_FUNDS proposal) with its derived status (docs/PROTOCOL.md §5.10).
struct DrawdownView {
  EventId proposal;
  EventId fund;
  OrgKey proposer;
  OrgKey recipient;
  Money amount;
  DrawdownStatus status = DrawdownStatus::kProposed;
  std::string reason;                   // refused: why
  std::optional<EventId> disbursement;  // disbursed: the disbursement event
};

// Whether drawdown `a` (an ALLOCATE_FUNDS payload, `label` naming it in messages) may ever be
// disbursed from fund `f` (docs/PROTOCOL.md §5.10): INVALID_ARGUMENT for another currency
// than the fund's, or a purpose that is not a purpose-restricted fund's restriction text;
// FAILED_PRECONDITION for a perpetually restricted fund. Neither the balance nor a time
// restriction: those change.
absl::Status DrawdownFitsFund(const v1::AllocatePayload& a, const FundState& f,
                              std::string_view label);

// One member's benefit share in basis points (docs/PROTOCOL.md §5.10).
struct BenefitShare {
  OrgKey member;
  uint32_t share_bps = 0;
  int64_t contributed_minor = 0;  // CONTRIBUTED_VALUE: the net value the share is based on
};
struct BenefitShares {
  v1::BenefitShareBasis basis = v1::BENEFIT_SHARE_BASIS_EQUAL;
  // EQUAL: one entry with an empty currency. CONTRIBUTED_VALUE: one per currency, ascending.
  std::vector<std::pair<std::string, std::vector<BenefitShare>>> by_currency;
};

class PooledLedger final : public Ledger {
 public:
  static constexpr Domain kDomain = Domain::kPooled;

  // Stateless validation of this domain's record bodies (server/core/records.h; defined in
  // pooled_records.cc): kInvalidArgument naming the field. The registry routes bodies here.
  static absl::Status Validate(const v1::Event& e);

  const std::map<EventId, ContributionState>& contributions() const { return contributions_; }
  const std::map<EventId, FundState>& funds() const { return funds_; }
  // Disbursements by the proposal (drawdown) they execute.
  const std::map<EventId, DisbursementState>& disbursements() const { return disbursements_; }
  const std::vector<PooledEntry>& entries() const { return entries_; }
  // ALLOCATE_FUNDS proposals that took effect, in canonical order (an index of governance
  // facts, so not part of this ledger's hash).
  const std::vector<EventId>& drawdown_proposals() const { return drawdowns_; }
  // Net contributed value (contributions − reversals) per member and currency.
  const std::map<std::pair<OrgKey, std::string>, int64_t>& net_contributed() const {
    return net_contributed_;
  }
  // Members in the canonical order of their joined events (a readmitted member moves to its
  // new joined event). Derived from roster facts, so not part of this ledger's hash.
  const std::vector<OrgKey>& join_order() const { return join_order_; }

  absl::Status Check(const VerifiedEvent& e, const GroupState& state) const override;
  // Refuses an ALLOCATE_FUNDS proposal that could never be disbursed (docs/PROTOCOL.md §6):
  // NOT_FOUND for a fund this node does not hold, else DrawdownFitsFund's answer.
  absl::Status CheckOwnWrite(const v1::Event& body, const GroupState& state) const override;
  void Apply(const VerifiedEvent& e, const GroupState& state, Roster& roster) override;
  void AfterEvent(const VerifiedEvent& e, const GroupState& state, Roster& roster) override;
  // The funds it hosts with a balance, their approved drawdowns not disbursed yet, and cash
  // paid into them that it has not received.
  void AddOpenObligations(const OrgKey& member, const GroupState& state,
                          std::vector<Obligation>& out) const override;
  void HashInto(StateHasher& h) const override;
  void CheckInvariants() const override;
  std::unique_ptr<Ledger> Clone() const override { return std::make_unique<PooledLedger>(*this); }

 private:
  absl::Status CheckContribution(const VerifiedEvent& e, const GroupState& state) const;
  absl::Status CheckReversal(const VerifiedEvent& e, const GroupState& state) const;
  absl::Status CheckFund(const VerifiedEvent& e, const GroupState& state) const;
  absl::Status CheckReceipt(const VerifiedEvent& e, const GroupState& state) const;
  absl::Status CheckDisbursement(const VerifiedEvent& e, const GroupState& state) const;
  // The fund `id_bytes` names, hosted by `e`'s author: kNotFound, kPermissionDenied.
  absl::StatusOr<const FundState*> HostedFund(const std::string& id_bytes, std::string_view field,
                                              const VerifiedEvent& e,
                                              const GroupState& state) const;
  void ApplyContribution(const VerifiedEvent& e);
  void ApplyFund(const VerifiedEvent& e);
  void ApplyReceipt(const VerifiedEvent& e);
  void ApplyDisbursement(const VerifiedEvent& e, const GroupState& state);
  void CheckFundInvariants(const FundState& f) const;

  std::map<EventId, ContributionState> contributions_;
  std::map<EventId, FundState> funds_;
  std::map<EventId, EventId> fund_by_proposal_;  // CREATE_FUND proposal -> fund
  std::map<EventId, DisbursementState> disbursements_;
  std::map<std::pair<OrgKey, std::string>, int64_t> net_contributed_;
  std::vector<PooledEntry> entries_;
  std::vector<EventId> drawdowns_;
  std::vector<OrgKey> join_order_;
};

// The pooled ledger of `state` (state.ledger<PooledLedger>()).
const PooledLedger& Pooled(const GroupState& state);

// Every drawdown (of `fund` only, when given) in canonical order of its proposal, with its
// status (docs/PROTOCOL.md §5.10): the same on every node holding the same events.
std::vector<DrawdownView> Drawdowns(const GroupState& state,
                                    const std::optional<EventId>& fund = std::nullopt);

// The sum of the approved (not yet disbursed) drawdowns of `fund` (Drawdowns).
int64_t ApprovedUndisbursedMinor(const std::vector<DrawdownView>& drawdowns, const EventId& fund);

// Benefit shares by the charter's basis (docs/PROTOCOL.md §5.10).
BenefitShares ComputeBenefitShares(const GroupState& state);

// Stateless checks of a fund and of a contribution, kInvalidArgument naming the field
// (server/core/records.h).
absl::Status ValidateFund(const v1::Fund& fund, std::string_view field);
absl::Status ValidateContribution(const v1::Contribution& c, std::string_view field);
// round_half_up(quantity_milli × rate_minor / 1000) (docs/PROTOCOL.md §5.10), computed
// exactly; nullopt when it does not fit int64. Arguments are non-negative.
std::optional<int64_t> ValuationMinor(int64_t quantity_milli, int64_t rate_minor);
// round_half_up(original_minor × fx.rate_micros × 10^e_to / (10^6 × 10^e_from)) with the
// minor-unit exponents of fx.to_currency and fx.from_currency; nullopt when a currency is
// unknown or the result does not fit int64. Arguments are non-negative.
std::optional<int64_t> ConvertedMinor(int64_t original_minor, const v1::FxRate& fx);

}  // namespace constellation::core
