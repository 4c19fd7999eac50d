// server/rpc/fundraising/fundraising_views.h
//
// Fundraising's views (client.proto CampaignView, PledgeView, PledgeVersion) from the core's
// FundraisingLedger, and its lookups: a campaign or pledge by id. Statuses are derived as of a
// time, never stored. Pure functions of their arguments; the answers run on the apply loop
// (write.h WriteView).
#pragma once

#include <cstdint>
#include <string>

#include <absl/status/statusor.h>

#include "constellation/v1/client.pb.h"
#include "server/core/fundraising/fundraising_ledger.h"
#include "server/core/group.h"
#include "server/rpc/backend.h"

namespace constellation::rpc {

// A campaign or pledge of `g` by id; kInvalidArgument for a malformed id, kNotFound.
absl::StatusOr<const core::CampaignState*> FindCampaign(const core::Group& g,
                                                        const std::string& id_bytes);
absl::StatusOr<const core::PledgeState*> FindPledge(const core::Group& g,
                                                    const std::string& id_bytes);

v1::CampaignView ToCampaignView(const core::GroupState& state, const core::CampaignState& c);
// A pledge with its status derived as of `as_of_ms`.
v1::PledgeView ToPledgeView(const core::GroupState& state, const core::PledgeState& p,
                            uint64_t as_of_ms);
v1::PledgeVersion ToPledgeVersion(const core::PledgeEntry& entry);

// Answers OpenCampaign with the campaign `campaign_id` opened.
absl::Status CampaignAnswer(const ApplyContext& apply, const core::Group& group,
                            const std::string& campaign_id, v1::OpenCampaignResponse* out);

// Answers a pledge-area write with the pledge `pledge_id` as of now (kNotFound).
absl::Status PledgeAnswer(const ApplyContext& apply, const core::Group& group,
                          const std::string& pledge_id, v1::PledgeWriteResponse* out);

}  // namespace constellation::rpc
