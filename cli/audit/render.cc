// cli/audit/render.cc
#include "cli/audit/render.h"

#include <absl/strings/str_format.h>
#include <absl/strings/str_join.h>

#include "cli/render.h"
#include "cli/values.h"

namespace constellation::cli {
namespace {

// "1 campaign", "2 campaigns".
std::string Counted(uint64_t n, std::string_view noun) {
  return absl::StrFormat("%d %s%s", n, noun, n == 1 ? "" : "s");
}

Json TotalsJson(const CampaignTotals& t) {
  const std::string& c = t.currency;
  return JsonObject({{"currency", c},
                     {"pledge_count", t.pledge_count},
                     AmountMembers("pledged", t.pledged_minor, c),
                     AmountMembers("received", t.received_minor, c),
                     AmountMembers("written_off", t.written_off_minor, c),
                     AmountMembers("outstanding", t.outstanding_minor, c),
                     AmountMembers("conditional", t.conditional_minor, c),
                     AmountMembers("cancelled", t.cancelled_minor, c),
                     AmountMembers("lapsed", t.lapsed_minor, c),
                     AmountMembers("unapplied", t.unapplied_minor, c)});
}

}  // namespace

Output ExportOutput(const std::string& path, const BundleStatement& statement,
                    uint64_t fork_proof_count, uint64_t size_bytes) {
  const bool totals = statement.totals.has_value();
  Json json = {{"bundle", path},
               {"event_count", statement.event_count},
               {"fork_proof_count", fork_proof_count},
               {"state_hash", statement.state_hash},
               {"last_event_id", statement.last_event_id},
               {"totals_stated", totals},
               {"size_bytes", size_bytes}};
  KeyValues values = {
      {"bundle", path},
      {"events", Count(statement.event_count)},
      {"fork_proofs", Count(fork_proof_count)},
      {"state_hash", statement.state_hash},
      {"totals", totals ? absl::StrFormat("%s, %s, as the node stated them",
                                          Counted(statement.totals->campaigns.size(), "campaign"),
                                          Counted(statement.totals->funds.size(), "fund"))
                        : "not stated (the group changed while it was exported)"},
      {"size", absl::StrFormat("%d bytes", size_bytes)},
  };
  return Output::Object(std::move(json), std::move(values));
}

Output VerifyOutput(const std::string& path, const VerifyReport& report) {
  Json campaigns = Json::array();
  Table campaign_table{{{"campaign"},
                        {"name"},
                        {"pledges", kRightAligned},
                        {"pledged", kRightAligned},
                        {"received", kRightAligned},
                        {"written_off", kRightAligned},
                        {"outstanding", kRightAligned}},
                       {}};
  campaign_table.columns[0].kind = CellKind::kId;
  for (const VerifiedCampaign& c : report.campaigns) {
    Json totals = Json::array();
    for (const CampaignTotals& t : c.totals) {
      totals.push_back(TotalsJson(t));
      campaign_table.rows.push_back(
          {c.campaign_id, OneLine(c.name), Count(t.pledge_count),
           MoneyText(t.pledged_minor, t.currency), MoneyText(t.received_minor, t.currency),
           MoneyText(t.written_off_minor, t.currency), MoneyText(t.outstanding_minor, t.currency)});
    }
    Json by_member = Json::array();
    for (const CampaignTotals& t : c.member_totals) {
      Json entry = TotalsJson(t);
      entry["member"] = t.member;
      by_member.push_back(std::move(entry));
    }
    campaigns.push_back({{"campaign_id", c.campaign_id},
                         {"name", c.name},
                         {"totals", totals},
                         {"member_totals", by_member}});
  }
  Json funds = Json::array();
  Table fund_table{{{"fund"},
                    {"name"},
                    {"received", kRightAligned},
                    {"disbursed", kRightAligned},
                    {"balance", kRightAligned}},
                   {}};
  fund_table.columns[0].kind = CellKind::kId;
  for (const VerifiedFund& f : report.funds) {
    const BundleFund& b = f.balances;
    funds.push_back(JsonObject({{"fund_id", f.fund_id},
                                {"name", f.name},
                                {"currency", b.currency},
                                AmountMembers("received", b.received_minor, b.currency),
                                AmountMembers("disbursed", b.disbursed_minor, b.currency),
                                AmountMembers("balance", b.balance_minor, b.currency)}));
    fund_table.rows.push_back({f.fund_id, OneLine(f.name), MoneyText(b.received_minor, b.currency),
                               MoneyText(b.disbursed_minor, b.currency),
                               MoneyText(b.balance_minor, b.currency)});
  }
  Json json = JsonObject({{"bundle", path},
                          {"verified", true},
                          {"group_id", report.header.group_id},
                          {"group_name", report.header.group_name},
                          {"exported_by", report.header.exported_by},
                          TimeMembers("exported_at", report.header.exported_at_ms),
                          {"event_count", report.event_count},
                          {"author_count", report.author_count},
                          {"rejected_count", report.rejected_count},
                          {"frozen_authors", report.frozen_authors},
                          {"state_hash", report.state_hash},
                          {"totals_stated", report.totals_stated},
                          {"campaigns", campaigns},
                          {"funds", funds}});
  KeyValues values = {
      {"bundle", path},
      {"result", "verified"},
      {"group",
       absl::StrFormat("%s %s", report.header.group_id, OneLine(report.header.group_name))},
      {"exported", absl::StrFormat("by %s on %s (as the header says; not signed)",
                                   OneLine(report.header.exported_by),
                                   FormatTimeMs(report.header.exported_at_ms))},
      {"events", absl::StrFormat("%d by %s: every signature, id and chain checked",
                                 report.event_count, Counted(report.author_count, "author"))},
      {"no_effect", report.rejected_count == 0
                        ? "none (every event took effect)"
                        : absl::StrFormat("%s the fold rejected (valid history, no effect)",
                                          Counted(report.rejected_count, "event"))},
      {"forks", report.frozen_authors.empty()
                    ? "none"
                    : absl::StrFormat("%s frozen by a verified fork proof: %s",
                                      Counted(report.frozen_authors.size(), "member"),
                                      absl::StrJoin(report.frozen_authors, ", "))},
      {"state_hash", report.state_hash +
                         " (recomputed; equals the statement's: compare it with a member's node "
                         "to know no event was left out)"},
      {"totals", report.totals_stated
                     ? "recomputed; every campaign total and fund balance equals the statement's"
                     : "recomputed; the statement has none (nothing to compare)"},
  };
  return Output::Object(
      std::move(json), std::move(values),
      {{"Campaigns", std::move(campaign_table)}, {"Funds", std::move(fund_table)}});
}

}  // namespace constellation::cli
