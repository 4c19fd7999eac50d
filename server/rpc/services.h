// server/rpc/services.h
//
// The client API's gRPC services (client.proto) on the callback API. Each handler
// authenticates the bearer token, checks the role, validates the request, and posts one task
// to the apply loop (backend.h); the RPC finishes from the loop after the commit. Handlers
// never block.
// Thread safety: the services are stateless apart from the Backend pointer; gRPC may call
// them from any thread.
#pragma once

#include <memory>
#include <vector>

#include <grpcpp/grpcpp.h>
#include <grpcpp/impl/codegen/service_type.h>

#include "server/rpc/backend.h"

namespace constellation::rpc {

// Creates every client service, bound to `backend` (which must outlive them).
// Includes the governance and membership services (MakeGovernanceServices).
std::vector<std::unique_ptr<grpc::Service>> MakeClientServices(Backend* backend);

// GovernanceService and MembershipService (governance_services.cc).
std::vector<std::unique_ptr<grpc::Service>> MakeGovernanceServices(Backend* backend);

}  // namespace constellation::rpc
