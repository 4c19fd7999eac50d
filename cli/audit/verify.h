// cli/audit/verify.h
//
// BundleVerifier checks an audit bundle offline (docs/PROTOCOL.md §10 "Verification"): every
// signature and id, every chain, the canonical order, the fold recomputed from the events with
// the protocol's own core (server/core: pure, the same rules every node applies), the state
// hash and every campaign total and fund balance the bundle's statement gives. Lines are fed
// one at a time, so a bundle is read as a stream; the events themselves are held in memory
// (the fold needs them: about what a node holding the group uses).
// What it proves (§10): the events are authentic and the statement is what they give. The
// statement is not signed, so it does not prove that the bundle holds every event of the
// group: compare its state hash with one a member's node shows.
//
// This is the one part of the CLI that uses server/core (docs/ARCHITECTURE.md "Layers": an
// auditor must not have to trust any node, the SDK's included, to recompute the group).
// Errors are NotVerifiedError (cli/exit_code.h), naming the line and what failed.
// Thread safety: not thread-safe; one per bundle.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <absl/status/status.h>
#include <absl/status/statusor.h>

#include "cli/audit/bundle.h"

namespace constellation::core {
class Group;
}

namespace constellation::cli {

// A campaign as the verifier recomputed it.
struct VerifiedCampaign {
  std::string campaign_id;  // hex
  std::string name;
  std::vector<CampaignTotals> totals;         // as BundleCampaign
  std::vector<CampaignTotals> member_totals;  // as BundleCampaign
};

struct VerifiedFund {
  std::string fund_id;  // hex
  std::string name;
  BundleFund balances;
};

// What a bundle that verifies holds.
struct VerifyReport {
  BundleHeader header;
  uint64_t event_count = 0;
  uint64_t author_count = 0;
  uint64_t rejected_count = 0;  // events the fold rejected: valid history without effect
  std::vector<std::string> frozen_authors;  // hex, with a verified fork proof
  std::string state_hash;                   // hex, recomputed (= the statement's)
  bool totals_stated = false;               // the statement had totals (and they matched)
  std::vector<VerifiedCampaign> campaigns;  // by id
  std::vector<VerifiedFund> funds;          // by id
};

class BundleVerifier {
 public:
  BundleVerifier();
  ~BundleVerifier();
  BundleVerifier(const BundleVerifier&) = delete;
  BundleVerifier& operator=(const BundleVerifier&) = delete;

  // Checks the next line (without its "\n"). After the first error every call returns it.
  absl::Status AddLine(std::string_view line);
  // Ends the bundle: the report, or NotVerifiedError when a line failed or the bundle has no
  // header, no event or no statement (truncated).
  absl::StatusOr<VerifyReport> Finish();

  uint64_t lines() const { return line_number_; }
  uint64_t events() const { return events_; }

 private:
  absl::Status Fail(std::string_view what);
  absl::Status AddEvent(const BundleEvent& e);
  absl::Status AddForkProof(const BundleForkProof& p);
  absl::Status Check(const BundleStatement& s);
  absl::Status CheckTotals(const BundleTotals& stated);

  uint64_t line_number_ = 0;
  uint64_t events_ = 0;
  absl::Status status_;
  std::optional<BundleHeader> header_;
  std::unique_ptr<core::Group> group_;
  std::string last_event_id_;
  // The order key (depth, id bytes) of the last event: keys must ascend (§4).
  std::optional<std::pair<uint64_t, std::string>> last_key_;
  bool fork_proofs_started_ = false;
  std::optional<VerifyReport> report_;  // set by the statement
};

}  // namespace constellation::cli
