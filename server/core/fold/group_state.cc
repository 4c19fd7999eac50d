#include "server/core/fold/group_state.h"

#include <algorithm>
#include <tuple>

#include "server/base/check.h"
#include "server/base/status_macros.h"
#include "server/core/fold/registry.h"
#include "server/core/governance/governance_ledger.h"
#include "server/core/records.h"

namespace constellation::core {

GroupState::GroupState(GroupId group, RemovalCuts cuts, const CausalClocks* clocks,
                       FrozenAuthors frozen)
    : group_(group),
      input_cuts_(std::move(cuts)),
      borrowed_clocks_(clocks),
      frozen_(std::move(frozen)) {
  ledgers_[0] = std::make_unique<Roster>(input_cuts_);
  for (size_t d = 1; d < kDomainCount; ++d) ledgers_[d] = NewLedger(static_cast<Domain>(d));
}

GroupState::GroupState(const GroupState& other)
    : group_(other.group_),
      rejected_(other.rejected_),
      event_count_(other.event_count_),
      last_hlc_(other.last_hlc_),
      progress_(other.progress_),
      chain_hlcs_(other.chain_hlcs_),
      input_cuts_(other.input_cuts_),
      borrowed_clocks_(other.borrowed_clocks_),
      frozen_(other.frozen_),
      hash_(other.hash_),
      own_clocks_(other.own_clocks_) {
  for (size_t d = 0; d < kDomainCount; ++d) ledgers_[d] = other.ledgers_[d]->Clone();
}

GroupState& GroupState::operator=(const GroupState& other) {
  if (this != &other) *this = GroupState(other);
  return *this;
}

const RemovalCuts& GroupState::removal_cuts() const {
  return ledger<GovernanceLedger>().removal_cuts();
}

bool GroupState::NeedsRefold() const {
  for (const auto& [id, cut] : removal_cuts()) {
    auto it = input_cuts_.find(id);
    if (it == input_cuts_.end() || !(it->second == cut)) return true;
  }
  return false;
}

GroupState FoldWithRemovalCuts(const GroupId& group, const std::function<void(GroupState&)>& replay,
                               const CausalClocks* clocks, const FrozenAuthors& frozen) {
  GroupState state(group, {}, clocks, frozen);
  replay(state);
  // Cuts void only records no decision reads, so the second fold finds the same cuts and this
  // loop runs once. The union and the bound keep it finite should a later record type break
  // that argument (which it must not: docs/PROTOCOL.md §5.7).
  for (int round = 0; round < 4 && state.NeedsRefold(); ++round) {
    RemovalCuts cuts = state.input_cuts();
    for (const auto& [id, cut] : state.removal_cuts()) cuts.emplace(id, cut);
    GroupState next(group, std::move(cuts), clocks, frozen);
    replay(next);
    state = std::move(next);
  }
  return state;
}

const AuthorProgress* GroupState::Progress(const OrgKey& author) const {
  auto it = progress_.find(author);
  return it == progress_.end() ? nullptr : &it->second;
}

std::optional<Hlc> GroupState::LatestHlcInPast(const OrgKey& author, const VerifiedEvent& e) const {
  auto it = chain_hlcs_.find(author);
  if (it == chain_hlcs_.end()) return std::nullopt;
  uint64_t seq = author == e.author ? e.seq - 1 : clocks().SeqInPast(author, e);
  // Events of a frozen author past its fork seq are in no fold: take the latest folded one.
  seq = std::min<uint64_t>(seq, it->second.size());
  if (seq == 0 || it->second[seq - 1] == Hlc{}) return std::nullopt;
  return it->second[seq - 1];
}

std::optional<uint64_t> GroupState::FrozenFrom(const OrgKey& author) const {
  auto it = frozen_.find(author);
  if (it == frozen_.end()) return std::nullopt;
  return it->second;
}

absl::Status GroupState::Check(const VerifiedEvent& e) const {
  const v1::Event::BodyCase body = e.event.body_case();
  if (body == v1::Event::BODY_NOT_SET) {
    return absl::UnimplementedError("record type unknown to this node version");
  }
  CONSTELLATION_RETURN_IF_ERROR(ValidateBody(e.event));
  if (e.is_genesis()) {
    if (roster().has_charter()) {
      return absl::AlreadyExistsError("the group already has its charter");
    }
    return absl::OkStatus();
  }
  if (!roster().has_charter()) {
    return absl::FailedPreconditionError("the group has no charter yet");
  }
  const RecordKind* kind = FindRecordKind(body);
  const bool governance = kind != nullptr && kind->governance;
  const Ledger* ledger =
      kind != nullptr && kind->domain.has_value() ? ledgers_[size_t(*kind->domain)].get() : nullptr;
  const bool removed_admitted = ledger != nullptr && ledger->AdmitsRemovedAuthor(e, *this);
  CONSTELLATION_RETURN_IF_ERROR(roster().CheckAuthor(e, group_, governance, removed_admitted));
  if (ledger == nullptr) return RecordNotFolded(body);
  for (const std::unique_ptr<Ledger>& any : ledgers_) {
    CONSTELLATION_RETURN_IF_ERROR(any->CheckAnyRecord(e, *this));
  }
  return ledger->Check(e, *this);
}

absl::Status GroupState::CheckOwnWrite(const v1::Event& body) const {
  for (const std::unique_ptr<Ledger>& ledger : ledgers_) {
    CONSTELLATION_RETURN_IF_ERROR(ledger->CheckOwnWrite(body, *this));
  }
  return absl::OkStatus();
}

std::optional<std::vector<OrgKey>> GroupState::ElectorateScope(
    const VerifiedEvent& proposal) const {
  for (const std::unique_ptr<Ledger>& ledger : ledgers_) {
    std::optional<std::vector<OrgKey>> scope = ledger->ElectorateScope(proposal, *this);
    if (scope.has_value()) return scope;
  }
  return std::nullopt;
}

std::vector<Obligation> GroupState::OpenObligations(const OrgKey& member) const {
  std::vector<Obligation> out;
  for (const std::unique_ptr<Ledger>& ledger : ledgers_) {
    ledger->AddOpenObligations(member, *this, out);
  }
  std::sort(out.begin(), out.end(), [](const Obligation& a, const Obligation& b) {
    return std::tie(a.kind, a.record) < std::tie(b.kind, b.record);
  });
  return out;
}

void GroupState::Apply(const VerifiedEvent& e) {
  if (borrowed_clocks_ == nullptr) own_clocks_.Add(e);  // idempotent: ApplyWithVerdict adds too
  ApplyWithVerdict(e, Check(e));
}

void GroupState::RecordFrozen(const VerifiedEvent& e) {
  if (borrowed_clocks_ == nullptr) own_clocks_.Add(e);
}

void GroupState::ApplyChecked(const VerifiedEvent& e) { ApplyWithVerdict(e, absl::OkStatus()); }

void GroupState::ApplyWithVerdict(const VerifiedEvent& e, const absl::Status& verdict) {
  hash_.reset();
  ++event_count_;
  if (e.hlc > last_hlc_) last_hlc_ = e.hlc;
  if (borrowed_clocks_ == nullptr) own_clocks_.Add(e);
  if (!verdict.ok()) {
    rejected_.emplace(e.id, std::string(verdict.message()));
  } else {
    // Check admitted it, so the registry names its domain.
    MutableLedger(*FindRecordKind(e.event.body_case())->domain).Apply(e, *this, MutableRoster());
  }
  // Any event, with effect or not, shows its author's clock has passed its hlc (finality).
  AuthorProgress& progress = progress_[e.author];
  if (e.seq >= progress.seq) progress = AuthorProgress{e.seq, e.hlc};
  std::vector<Hlc>& hlcs = chain_hlcs_[e.author];
  if (hlcs.size() < e.seq) hlcs.resize(e.seq);  // a test may leave events out: holes stay zero
  hlcs[e.seq - 1] = e.hlc;
  for (const std::unique_ptr<Ledger>& ledger : ledgers_)
    ledger->AfterEvent(e, *this, MutableRoster());
}

void GroupState::CheckInvariants() const {
  for (const std::unique_ptr<Ledger>& ledger : ledgers_) ledger->CheckInvariants();
  CONSTELLATION_CHECK(rejected_.size() <= event_count_);
}

std::array<uint8_t, 32> GroupState::Hash() const {
  if (!hash_.has_value()) hash_ = ComputeHash();
  return *hash_;
}

std::array<uint8_t, 32> GroupState::ComputeHash() const {
  StateHasher h;
  h.Bytes("constellation/v1/group-state");
  h.Id(group_);
  h.U64(event_count_);
  for (const std::unique_ptr<Ledger>& ledger : ledgers_) ledger->HashInto(h);
  h.U64(rejected_.size());
  for (const auto& [id, reason] : rejected_) h.Id(id);
  return h.Finish();
}

}  // namespace constellation::core
