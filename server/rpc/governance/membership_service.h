// server/rpc/governance/membership_service.h
//
// MembershipService (client.proto): joining a group across nodes (DESIGN §4: fetch the group
// from a member's node, then accept the final admission), giving notice and withdrawing.
// Registered with the governance services (services.h MakeGovernanceServices).
// Thread safety: as services.h.
#pragma once

#include <memory>

#include <grpcpp/impl/codegen/service_type.h>

#include "server/rpc/backend.h"

namespace constellation::rpc {

std::unique_ptr<grpc::Service> MakeMembershipService(Backend* backend);

}  // namespace constellation::rpc
