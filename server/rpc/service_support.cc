#include "server/rpc/service_support.h"

#include <absl/strings/str_format.h>
#include <google/protobuf/util/message_differencer.h>
#include <google/protobuf/unknown_field_set.h>

#include "server/base/status_macros.h"
#include "server/rpc/views.h"
#include "server/core/fundraising/fundraising_ledger.h"

namespace constellation::rpc {
namespace {

// True when `original` (an event this node wrote) records the same write as `body` would: the
// same group and the same record. Fields the node fills in when the client left them unset
// (a payment's received_ms) are compared only when the client set them.
bool SameWrite(const core::VerifiedEvent& original, const std::optional<core::GroupId>& group,
               const v1::Event& body) {
  if (group.has_value() && original.group != *group) return false;
  v1::Event recorded = original.event;
  for (int field :
       {v1::Event::kFormatVersionFieldNumber, v1::Event::kGroupIdFieldNumber,
        v1::Event::kAuthorFieldNumber, v1::Event::kSeqFieldNumber, v1::Event::kPrevFieldNumber,
        v1::Event::kDepsFieldNumber, v1::Event::kHlcFieldNumber}) {
    recorded.GetReflection()->ClearField(&recorded,
                                         v1::Event::descriptor()->FindFieldByNumber(field));
  }
  if (body.has_payment_receipt() && body.payment_receipt().received_ms() == 0 &&
      recorded.has_payment_receipt()) {
    recorded.mutable_payment_receipt()->clear_received_ms();
  }
  return google::protobuf::util::MessageDifferencer::Equals(recorded, body);
}

}  // namespace

absl::Status CheckAccess(const Principal& p, Access access) {
  if (access == Access::kAdmin && p.role != Role::kAdmin) {
    return absl::PermissionDeniedError(
        absl::StrFormat("this call needs an admin token; the token used has role %s",
                        std::string(RoleName(p.role))));
  }
  if (access == Access::kWrite && !p.CanWrite()) {
    return absl::PermissionDeniedError(
        "an auditor token is read-only; use a member or admin token to write");
  }
  return absl::OkStatus();
}

absl::Status CheckRequestId(const std::string& id) {
  if (id.empty()) {
    return absl::InvalidArgumentError(
        "request_id is required: a client-chosen key, unique per intended write, that makes "
        "retries safe (the SDK and CLI generate one)");
  }
  if (id.size() > limits::kRequestIdSizeBytesMax) {
    return absl::InvalidArgumentError(
        absl::StrFormat("request_id is %d bytes; the limit kRequestIdSizeBytesMax is %d", id.size(),
                        limits::kRequestIdSizeBytesMax));
  }
  for (char c : id) {
    if (c < 0x21 || c > 0x7e) {
      return absl::InvalidArgumentError("request_id must be printable ASCII without spaces");
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<const core::Group*> ReadableGroup(const ApplyContext& ctx, const Principal& p,
                                                 const std::string& id_bytes) {
  CONSTELLATION_ASSIGN_OR_RETURN(core::GroupId id, ParseGroupId(id_bytes, "group_id"));
  const core::Group* g = ctx.state().FindGroup(id);
  if (g == nullptr || !p.CanRead(id)) {
    return absl::NotFoundError(absl::StrFormat("group %s not found on this node", id.Hex()));
  }
  return g;
}

absl::StatusOr<const core::PledgeState*> FindPledge(const core::Group& g,
                                                    const std::string& id_bytes) {
  CONSTELLATION_ASSIGN_OR_RETURN(core::EventId id, ParseEventId(id_bytes, "pledge_id"));
  auto it = Fundraising(g.state()).pledges().find(id);
  if (it == Fundraising(g.state()).pledges().end()) {
    return absl::NotFoundError(
        absl::StrFormat("pledge %s not found in group %s", id.Hex(), g.id().Hex()));
  }
  return &it->second;
}

absl::StatusOr<const core::CampaignState*> FindCampaign(const core::Group& g,
                                                        const std::string& id_bytes) {
  CONSTELLATION_ASSIGN_OR_RETURN(core::EventId id, ParseEventId(id_bytes, "campaign_id"));
  auto it = Fundraising(g.state()).campaigns().find(id);
  if (it == Fundraising(g.state()).campaigns().end()) {
    return absl::NotFoundError(
        absl::StrFormat("campaign %s not found in group %s", id.Hex(), g.id().Hex()));
  }
  return &it->second;
}

absl::StatusOr<const core::VerifiedEvent*> Append(ApplyContext& ctx,
                                                  const std::optional<core::GroupId>& group,
                                                  v1::Event body) {
  CONSTELLATION_RETURN_IF_ERROR(CheckRequestId(body.request_id()));
  const core::VerifiedEvent* e = ctx.state().FindByRequestId(body.request_id());
  if (e != nullptr && !SameWrite(*e, group, body)) {
    return absl::AlreadyExistsError(absl::StrFormat(
        "request_id '%s' was already used for a different write (event %s); use a new "
        "request_id for a new write",
        body.request_id(), e->id.Hex()));
  }
  if (e == nullptr) {
    if (body.has_payment_receipt() && body.payment_receipt().received_ms() == 0) {
      body.mutable_payment_receipt()->set_received_ms(ctx.NowMs());
    }
    CONSTELLATION_ASSIGN_OR_RETURN(e, ctx.AppendOwn(group, body));
  }
  const core::Group* g = ctx.state().FindGroup(e->group);
  auto rejected = g->state().rejected_events().find(e->id);
  if (rejected != g->state().rejected_events().end()) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "event %s is recorded but had no effect: %s", e->id.ShortHex(), rejected->second));
  }
  return e;
}

uint64_t AsOf(const ApplyContext& ctx, uint64_t requested_ms) {
  return requested_ms != 0 ? requested_ms : ctx.NowMs();
}

}  // namespace constellation::rpc
