#include "server/core/fold/registry.h"

#include <array>

#include <absl/strings/str_format.h>

#include "server/base/check.h"
#include "server/core/convenings/convenings_ledger.h"
#include "server/core/fundraising/fundraising_ledger.h"
#include "server/core/governance/governance_ledger.h"
#include "server/core/health/health_ledger.h"
#include "server/core/measurement/measurement_ledger.h"
#include "server/core/pooled/pooled_ledger.h"
#include "server/core/strategy/strategy_ledger.h"
#include "server/core/teams/teams_ledger.h"

namespace constellation::core {
namespace {

using Body = v1::Event;

// One line per record type the fold knows (DESIGN §1): its domain, whether a removal cut spares
// it, and its stateless validation (the charter, folded by the roster, is governance's).
constexpr RecordKind kRecordKinds[] = {
    {Body::kCharter, Domain::kRoster, true, &GovernanceLedger::Validate},
    {Body::kCharterAmendment, std::nullopt, true, nullptr},
    {Body::kForkProof, std::nullopt, true, nullptr},
    {Body::kProposal, Domain::kGovernance, true, &GovernanceLedger::Validate},
    {Body::kStance, Domain::kGovernance, true, &GovernanceLedger::Validate},
    {Body::kProposalClose, Domain::kGovernance, true, &GovernanceLedger::Validate},
    {Body::kAcknowledgement, Domain::kGovernance, true, &GovernanceLedger::Validate},
    {Body::kMembershipAcceptance, Domain::kGovernance, true, &GovernanceLedger::Validate},
    {Body::kMembershipNotice, Domain::kGovernance, true, &GovernanceLedger::Validate},
    {Body::kMembershipWithdrawal, Domain::kGovernance, true, &GovernanceLedger::Validate},
    {Body::kCampaign, Domain::kFundraising, false, &FundraisingLedger::Validate},
    {Body::kPledge, Domain::kFundraising, false, &FundraisingLedger::Validate},
    {Body::kPledgeAmendment, Domain::kFundraising, false, &FundraisingLedger::Validate},
    {Body::kPledgeCancellation, Domain::kFundraising, false, &FundraisingLedger::Validate},
    {Body::kPaymentReceipt, Domain::kFundraising, false, &FundraisingLedger::Validate},
    {Body::kWriteOff, Domain::kFundraising, false, &FundraisingLedger::Validate},
    {Body::kPledgeCondition, Domain::kFundraising, false, &FundraisingLedger::Validate},
    {Body::kContribution, Domain::kPooled, false, &PooledLedger::Validate},
    {Body::kFund, Domain::kPooled, false, &PooledLedger::Validate},
    {Body::kContributionReceipt, Domain::kPooled, false, &PooledLedger::Validate},
    {Body::kDisbursement, Domain::kPooled, false, &PooledLedger::Validate},
    {Body::kConvening, Domain::kConvenings, false, &ConveningsLedger::Validate},
    {Body::kConveningAttendance, Domain::kConvenings, false, &ConveningsLedger::Validate},
    {Body::kConveningMinutes, Domain::kConvenings, false, &ConveningsLedger::Validate},
    {Body::kConveningAction, Domain::kConvenings, false, &ConveningsLedger::Validate},
    {Body::kActionCompletion, Domain::kConvenings, false, &ConveningsLedger::Validate},
    {Body::kPulseCheck, Domain::kHealth, false, &HealthLedger::Validate},
    {Body::kStrategyVersion, Domain::kStrategy, false, &StrategyLedger::Validate},
    {Body::kIndicatorReport, Domain::kMeasurement, false, &MeasurementLedger::Validate},
    {Body::kActionTeam, Domain::kTeams, false, &TeamsLedger::Validate},
};

// One line per domain (the roster is made by GroupState).
using LedgerFactory = std::unique_ptr<Ledger> (*)();
template <typename L>
std::unique_ptr<Ledger> Make() {
  return std::make_unique<L>();
}
constexpr std::array<LedgerFactory, kDomainCount> kLedgerFactories = {
    nullptr,                   // Domain::kRoster
    &Make<GovernanceLedger>,   // Domain::kGovernance
    &Make<FundraisingLedger>,  // Domain::kFundraising
    &Make<PooledLedger>,       // Domain::kPooled
    &Make<ConveningsLedger>,   // Domain::kConvenings
    &Make<HealthLedger>,       // Domain::kHealth
    &Make<StrategyLedger>,     // Domain::kStrategy
    &Make<MeasurementLedger>,  // Domain::kMeasurement
    &Make<TeamsLedger>,        // Domain::kTeams
};
static_assert(GovernanceLedger::kDomain == Domain::kGovernance);
static_assert(FundraisingLedger::kDomain == Domain::kFundraising);
static_assert(PooledLedger::kDomain == Domain::kPooled);
static_assert(ConveningsLedger::kDomain == Domain::kConvenings);
static_assert(HealthLedger::kDomain == Domain::kHealth);
static_assert(StrategyLedger::kDomain == Domain::kStrategy);
static_assert(MeasurementLedger::kDomain == Domain::kMeasurement);
static_assert(TeamsLedger::kDomain == Domain::kTeams);

}  // namespace

const RecordKind* FindRecordKind(v1::Event::BodyCase body) {
  for (const RecordKind& kind : kRecordKinds) {
    if (kind.body == body) return &kind;
  }
  return nullptr;
}

std::string_view RecordName(v1::Event::BodyCase body) {
  const google::protobuf::FieldDescriptor* field =
      v1::Event::descriptor()->FindFieldByNumber(static_cast<int>(body));
  return field == nullptr ? std::string_view("unknown") : std::string_view(field->name());
}

absl::Status RecordNotFolded(v1::Event::BodyCase body) {
  return absl::UnimplementedError(
      absl::StrFormat("record type %d is not folded by this node version", static_cast<int>(body)));
}

std::unique_ptr<Ledger> NewLedger(Domain domain) {
  const LedgerFactory factory = kLedgerFactories[static_cast<size_t>(domain)];
  CONSTELLATION_CHECK(factory != nullptr);
  return factory();
}

}  // namespace constellation::core
