// cli/audit/render.h
//
// How the audit commands print: what an export wrote, and what a verified bundle holds (the
// totals recomputed from its events).
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <string>

#include "cli/audit/bundle.h"
#include "cli/audit/verify.h"
#include "cli/output.h"

namespace constellation::cli {

// `audit export`: the file, what it holds and whether the node stated its totals.
Output ExportOutput(const std::string& path, const BundleStatement& statement,
                    uint64_t fork_proof_count, uint64_t size_bytes);

// `audit verify`: the bundle's group and exporter, the checks passed, and the recomputed
// campaign totals and fund balances (tables "Campaigns" and "Funds").
Output VerifyOutput(const std::string& path, const VerifyReport& report);

}  // namespace constellation::cli
