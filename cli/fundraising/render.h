// cli/fundraising/render.h
//
// How the fundraising domain's values print (conventions in cli/render.h): campaigns with their
// totals, pledges with their terms and installments, and every signed version of a pledge.
// Thread safety: pure functions and constant data.
#pragma once

#include <string_view>
#include <vector>

#include <constellation/types.h>

#include "cli/output.h"
#include "cli/render.h"

namespace constellation::cli {

Json ToJson(const Campaign& campaign);
Json ToJson(const PledgeTerms& terms);
Json ToJson(const Pledge& pledge);
Json ToJson(const PledgeVersionEntry& entry);

extern const ListFormat<Campaign> kCampaignList;
extern const ListFormat<Pledge> kPledgeList;
extern const ListFormat<PledgeVersionEntry> kPledgeHistoryList;
Table PledgesTable(const std::vector<Pledge>& pledges);
Table PledgeHistoryTable(const std::vector<PledgeVersionEntry>& entries);
KeyValues PledgeDetails(const Pledge& pledge);

// `campaign show`.
Output CampaignOutput(const Campaign& campaign);
// After `campaign open`.
Output CampaignOpenedOutput(const CampaignWrite& write, std::string_view request_id);
// `pledge show`: the details with the Installments table under them.
Output PledgeOutput(const Pledge& pledge);
// After a pledge write (record, amend, cancel, pay).
Output PledgeWriteOutput(const PledgeWrite& write, std::string_view request_id);

}  // namespace constellation::cli
