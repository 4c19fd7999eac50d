#include "server/rpc/fundraising/fundraising_views.h"

#include <absl/strings/ascii.h>
#include <absl/strings/str_format.h>

#include "server/rpc/request.h"

namespace constellation::rpc {
namespace {

// The wire value of a derived status, by name from the proto descriptor:
// core::PledgeStatusName "in_progress" is v1::PLEDGE_STATUS_IN_PROGRESS.
v1::PledgeStatus ToProtoStatus(core::PledgeStatus status) {
  const std::string name = absl::AsciiStrToUpper(
      absl::StrFormat("pledge_status_%s", std::string(core::PledgeStatusName(status))));
  v1::PledgeStatus out;
  return v1::PledgeStatus_Parse(name, &out) ? out : v1::PLEDGE_STATUS_UNSPECIFIED;
}

}  // namespace

absl::StatusOr<const core::CampaignState*> FindCampaign(const core::Group& g,
                                                        const std::string& id_bytes) {
  return FindRecord(core::Fundraising(g.state()).campaigns(), g, "campaign", id_bytes);
}

absl::StatusOr<const core::PledgeState*> FindPledge(const core::Group& g,
                                                    const std::string& id_bytes) {
  return FindRecord(core::Fundraising(g.state()).pledges(), g, "pledge", id_bytes);
}

v1::CampaignView ToCampaignView(const core::GroupState& state, const core::CampaignState& c) {
  v1::CampaignView v;
  v.set_campaign_id(c.id.Bytes());
  v.set_group_id(state.group().Bytes());
  v.set_opened_by(c.opened_by.Bytes());
  *v.mutable_campaign() = c.campaign;
  v.set_fiscal_host(c.fiscal_host.Bytes());
  const core::CampaignTotals t = core::Fundraising(state).Totals(c);
  v.set_pledge_count(t.pledge_count);
  v.set_pledged_minor(t.pledged_minor);
  v.set_received_minor(t.received_minor);
  v.set_outstanding_minor(t.outstanding_minor);
  v.set_conditional_minor(t.conditional_minor);
  *v.mutable_opened_hlc() = c.opened_hlc.ToProto();
  return v;
}

v1::PledgeView ToPledgeView(const core::GroupState& state, const core::PledgeState& p,
                            uint64_t as_of_ms) {
  v1::PledgeView v;
  v.set_pledge_id(p.id.Bytes());
  v.set_group_id(state.group().Bytes());
  v.set_campaign_id(p.campaign.Bytes());
  v.set_pledger(p.pledger.Bytes());
  *v.mutable_terms() = p.terms;
  v.set_version(p.version);
  const uint64_t deadline_ms =
      core::Fundraising(state).campaigns().at(p.campaign).campaign.deadline_ms();
  v.set_status(ToProtoStatus(core::DerivePledgeStatus(p, deadline_ms, as_of_ms)));
  v.set_received_minor(p.received_minor);
  v.set_written_off_minor(p.written_off_minor);
  v.set_outstanding_minor(p.outstanding_minor());
  *v.mutable_created_hlc() = p.created_hlc.ToProto();
  *v.mutable_updated_hlc() = p.updated_hlc.ToProto();
  v.set_cancel_reason(p.cancel_reason);
  return v;
}

v1::PledgeVersion ToPledgeVersion(const core::PledgeEntry& entry) {
  v1::PledgeVersion v;
  v.set_version(entry.version);
  v.set_event_id(entry.event.Bytes());
  v.set_author(entry.author.Bytes());
  *v.mutable_hlc() = entry.hlc.ToProto();
  v.set_kind(std::string(core::PledgeEntryKindName(entry.kind)));
  if (entry.kind == core::PledgeEntryKind::kPledge ||
      entry.kind == core::PledgeEntryKind::kAmendment) {
    *v.mutable_terms() = entry.terms;
  }
  v.set_reason(entry.reason);
  if (entry.kind == core::PledgeEntryKind::kPayment ||
      entry.kind == core::PledgeEntryKind::kWriteOff) {
    *v.mutable_amount() = entry.amount;
  }
  v.set_external_ref(entry.external_ref);
  v.set_received_ms(entry.received_ms);
  return v;
}

absl::StatusOr<v1::CampaignView> CampaignViewOf(const core::Group& group,
                                                const std::string& campaign_id, uint64_t) {
  CONSTELLATION_ASSIGN_OR_RETURN(const core::CampaignState* c, FindCampaign(group, campaign_id));
  return ToCampaignView(group.state(), *c);
}

absl::StatusOr<v1::PledgeView> PledgeViewOf(const core::Group& group, const std::string& pledge_id,
                                            uint64_t as_of_ms) {
  CONSTELLATION_ASSIGN_OR_RETURN(const core::PledgeState* pledge, FindPledge(group, pledge_id));
  return ToPledgeView(group.state(), *pledge, as_of_ms);
}

}  // namespace constellation::rpc
