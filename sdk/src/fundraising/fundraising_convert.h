// sdk/src/fundraising/fundraising_convert.h
//
// Conversions of the joint fundraising domain (constellation/fundraising.h) between the SDK's
// types and the protos: campaigns, pledge terms, pledges and the versions of a pledge's history.
// Each response the fundraising domain's Client methods receive has its FromProto here.
// Thread safety: pure functions.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include <absl/status/status.h>
#include <constellation/fundraising.h>

#include "constellation/v1/client.pb.h"
#include "constellation/v1/event.pb.h"

namespace constellation::internal {

// What a campaign is (also the payload of an OPEN_CAMPAIGN proposal).
CampaignInput FromProto(const v1::Campaign& proto);
// kInvalidArgument for malformed hex or an unknown restriction kind.
absl::Status ToProto(const CampaignInput& campaign, v1::Campaign* proto);

Campaign FromProto(const v1::CampaignView& proto);
std::vector<Campaign> FromProto(const v1::ListCampaignsResponse& proto);
CampaignWrite FromProto(const v1::OpenCampaignResponse& proto);

// kInvalidArgument for a malformed evidence hash or an unknown restriction kind.
absl::Status ToProto(const PledgeTerms& terms, v1::PledgeTerms* proto);
// kInvalidArgument for an unknown frequency.
absl::Status ToProto(const InstallmentSchedule& schedule, v1::InstallmentSchedule* proto);
// kInvalidArgument for malformed hex, an unknown restriction kind or frequency.
absl::Status ToProto(const PledgeTermsPatch& patch, v1::PledgeTermsPatch* proto);

Pledge FromProto(const v1::PledgeView& proto);
std::vector<Pledge> FromProto(const v1::ListPledgesResponse& proto);
PledgeWrite FromProto(const v1::PledgeWriteResponse& proto);
PledgeVersionEntry FromProto(const v1::StreamPledgeHistoryResponse& proto);

}  // namespace constellation::internal
