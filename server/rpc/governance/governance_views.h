// server/rpc/governance/governance_views.h
//
// Governance's views (client.proto ProposalView, MemberView of a membership write) from the
// core's GovernanceLedger, and its lookups: a proposal by id, proposals in canonical order.
// Pure functions of their arguments; the answers run on the apply loop (write.h WriteView).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <absl/status/statusor.h>

#include "constellation/v1/client.pb.h"
#include "server/core/governance/governance_ledger.h"
#include "server/core/group.h"
#include "server/rpc/backend.h"

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

// Answers a decision write with the proposal `proposal_id` as of now (kNotFound).
absl::Status ProposalAnswer(const ApplyContext& apply, const core::Group& group,
                            const std::string& proposal_id, v1::ProposalWriteResponse* out);

// Answers a membership write with the member view of `org_key` as of now.
absl::Status MemberAnswer(const ApplyContext& apply, const core::Group& group,
                          const std::string& org_key, v1::MembershipWriteResponse* out);

}  // namespace constellation::rpc
