// cli/fundraising/render.h
//
// How the fundraising domain's values print (conventions in cli/render.h): campaigns with their
// totals, pledges with their terms and installments, and every signed version of a pledge.
// Thread safety: pure functions and constant data.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <constellation/types.h>

#include "cli/output.h"
#include "cli/render.h"

namespace constellation::cli {

// A text progress bar toward `goal_minor`: '#' received, '+' pledged, '.' the rest, then the
// pledged percentage ("[####++..........] 30% pledged"); "" without a goal. Plain text: the
// table format colours it on a terminal (a `progress` line, RenderOutput).
std::string ProgressBar(int64_t received_minor, int64_t pledged_minor, int64_t goal_minor);

Json ToJson(const Campaign& campaign);
// `campaign list` and `campaign show`.
extern const RecordFormat<Campaign> kCampaignFormat;
// After `campaign open`.
Output CampaignOpenedOutput(const CampaignWrite& write, std::string_view request_id);

Json ToJson(const Pledge& pledge);
// `pledge list` and `pledge show` (the details with the Installments table under them).
extern const RecordFormat<Pledge> kPledgeFormat;
Table PledgesTable(const std::vector<Pledge>& pledges);
KeyValues PledgeDetails(const Pledge& pledge);
// After a pledge write (record, amend, cancel, pay).
Output PledgeWriteOutput(const PledgeWrite& write, std::string_view request_id);

Json ToJson(const PledgeVersionEntry& entry);
// `pledge history`.
extern const RecordFormat<PledgeVersionEntry> kPledgeVersionFormat;
Table PledgeHistoryTable(const std::vector<PledgeVersionEntry>& entries);

// `pledge show`: the pledge (details and Installments) with its History table.
struct PledgeDetail {
  Pledge pledge;
  std::vector<PledgeVersionEntry> history;
};
Output PledgeDetailOutput(const PledgeDetail& detail);

}  // namespace constellation::cli
