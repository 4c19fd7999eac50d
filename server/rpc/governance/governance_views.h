// server/rpc/governance/governance_views.h
//
// Governance's views (client.proto ProposalView, MemberView of a membership write) from the
// core's GovernanceLedger, and its lookups: a proposal by id, proposals in canonical order.
// Pure functions of their arguments.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <absl/status/statusor.h>

#include "constellation/v1/client.pb.h"
#include "server/core/governance/governance_ledger.h"
#include "server/core/group.h"

namespace constellation::rpc {

// The proposal `id_bytes` names; kInvalidArgument for a malformed id, kNotFound.
absl::StatusOr<const core::ProposalState*> FindProposal(const core::Group& g,
                                                        const std::string& id_bytes);

// The group's proposals in canonical order (DESIGN §3), so that lists read the same on every
// node.
std::vector<const core::ProposalState*> ProposalsInOrder(const core::Group& g);

// A proposal as of `as_of_ms` (past_deadline is a query-time notion, GovernanceLedger::Outcome).
v1::ProposalView ToProposalView(const core::Group& group, const core::ProposalState& p,
                                uint64_t as_of_ms);

// The proposal `proposal_id` as of `as_of_ms` (write.h RecordView).
absl::StatusOr<v1::ProposalView> ProposalViewOf(const core::Group& group,
                                                const std::string& proposal_id, uint64_t as_of_ms);

}  // namespace constellation::rpc
