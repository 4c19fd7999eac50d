// server/rpc/federation_service.h
//
// Node-to-node services (DESIGN §4, federation.proto): FederationService answers peers' signed
// calls (frontier, pull, push); PeerService lets this node's admin pull a group from a peer.
// Calls are authenticated by the caller's org signature (federation_auth.h); a group's events
// are served only to its members and observers.
// Thread safety: as services.h.
#pragma once

#include <memory>
#include <vector>

#include <grpcpp/grpcpp.h>
#include <grpcpp/impl/codegen/service_type.h>

#include "server/rpc/backend.h"

namespace constellation::rpc {

std::vector<std::unique_ptr<grpc::Service>> MakePeerServices(Backend* backend);

}  // namespace constellation::rpc
