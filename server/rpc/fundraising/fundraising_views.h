// server/rpc/fundraising/fundraising_views.h
//
// Fundraising's views (client.proto CampaignView, PledgeView, PledgeVersion) from the core's
// FundraisingLedger, and its lookups: a campaign or pledge by id. Statuses are derived as of a
// time, never stored. The ledger keeps numbers and ids only: what the views show of a record's
// text (a campaign, a pledge's terms, reasons, payment references) they read from the event
// the ledger names, which the group holds (core::Group::Find). Pure functions of their
// arguments.
#pragma once

#include <cstdint>
#include <string>

#include <absl/status/statusor.h>

#include "constellation/v1/client.pb.h"
#include "server/core/fundraising/fundraising_ledger.h"
#include "server/core/group.h"

namespace constellation::rpc {

// A campaign or pledge of `g` by id; kInvalidArgument for a malformed id, kNotFound.
absl::StatusOr<const core::CampaignState*> FindCampaign(const core::Group& g,
                                                        const std::string& id_bytes);
absl::StatusOr<const core::PledgeState*> FindPledge(const core::Group& g,
                                                    const std::string& id_bytes);

// The terms of `p`'s current version, from the event that set them.
const v1::PledgeTerms& CurrentTerms(const core::Group& g, const core::PledgeState& p);

// The views of records of `g`'s fundraising ledger (`c`, `p`, `entry` of `pledge`). A
// campaign's top-level totals are in its goal currency, with totals per currency and per
// member and currency besides; kOutOfRange when one exceeds int64
// (docs/PROTOCOL.md §5.11.9).
absl::StatusOr<v1::CampaignView> ToCampaignView(const core::Group& g,
                                                const core::CampaignState& c);
// A pledge with its status derived as of `as_of_ms`.
v1::PledgeView ToPledgeView(const core::Group& g, const core::PledgeState& p, uint64_t as_of_ms);
v1::PledgeVersion ToPledgeVersion(const core::Group& g, const core::PledgeState& pledge,
                                  const core::PledgeEntry& entry);

// write.h RecordViews: the campaign `campaign_id` (its totals are as of now: they have no
// time), the pledge `pledge_id` with its status as of `as_of_ms`.
absl::StatusOr<v1::CampaignView> CampaignViewOf(const core::Group& group,
                                                const std::string& campaign_id, uint64_t as_of_ms);
absl::StatusOr<v1::PledgeView> PledgeViewOf(const core::Group& group, const std::string& pledge_id,
                                            uint64_t as_of_ms);

}  // namespace constellation::rpc
