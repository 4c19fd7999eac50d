// cli/audit/bundle.h
//
// The audit bundle file format (docs/PROTOCOL.md §10, `constellation-audit-bundle/1`): one
// group exported for an auditor who checks it offline. JSON Lines: a header, the events in
// canonical order exactly as signed, the fork proofs, and the exporting node's statement
// (state hash, campaign totals, fund balances). This module only writes and parses lines; what
// a bundle must satisfy is checked by cli/audit/verify.h.
// Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <absl/status/statusor.h>
#include <constellation/fundraising.h>

namespace constellation::cli {

inline constexpr std::string_view kBundleFormat = "constellation-audit-bundle/1";
// The longest line a reader accepts: an event line is at most ~88 KiB (base64 of
// limits::kSignedEventSizeBytesMax); the statement grows with the campaigns and funds of the
// group (~400 bytes per campaign and currency). A longer line is refused, not read.
inline constexpr size_t kBundleLineSizeBytesMax = 64 * 1024 * 1024;

struct BundleHeader {
  std::string group_id;  // hex
  std::string group_name;
  std::string exported_by;  // hex org key of the exporting node
  uint64_t exported_at_ms = 0;
};

// One event exactly as signed (raw bytes here; base64 in the file).
struct BundleEvent {
  uint64_t position = 0;  // 1-based, canonical order
  std::string event_id;   // hex, as stated by the line (the verifier recomputes it)
  std::string event_bytes;
  std::string signature;
};

struct BundleForkProof {
  BundleEvent first;  // position and event_id unused
  BundleEvent second;
};

struct BundleCampaign {
  std::string campaign_id;                    // hex
  std::vector<CampaignTotals> totals;         // goal currency first, then by code
  std::vector<CampaignTotals> member_totals;  // by (member, currency)
};

struct BundleFund {
  std::string fund_id;  // hex
  std::string currency;
  int64_t received_minor = 0;
  int64_t disbursed_minor = 0;
  int64_t balance_minor = 0;
};

struct BundleTotals {
  std::vector<BundleCampaign> campaigns;  // by id
  std::vector<BundleFund> funds;          // by id
};

// What the exporting node stated of the events of the bundle.
struct BundleStatement {
  uint64_t event_count = 0;
  std::string last_event_id;           // hex
  std::string state_hash;              // hex
  std::optional<BundleTotals> totals;  // nullopt: the node did not state them
};

// One line of a bundle, parsed.
using BundleLine = std::variant<BundleHeader, BundleEvent, BundleForkProof, BundleStatement>;

// The text of each kind of line, without its "\n".
std::string HeaderLine(const BundleHeader& header);
std::string EventLine(const BundleEvent& event);
std::string ForkProofLine(const BundleForkProof& proof);
std::string StatementLine(const BundleStatement& statement);

// Parses one line (without its "\n"). kInvalidArgument saying what is wrong: not a JSON
// object, none of the four kinds, a member missing or of the wrong type, base64 that does not
// decode, a header of another format, a line over kBundleLineSizeBytesMax.
absl::StatusOr<BundleLine> ParseBundleLine(std::string_view line);

}  // namespace constellation::cli
