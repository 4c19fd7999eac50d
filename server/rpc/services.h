// server/rpc/services.h
//
// The registry of the node's gRPC services: every record domain's client services
// (server/rpc/<domain>/) and the federation service between nodes. The app wires them with one
// call (RegisterServices). Adding a domain: its folder with a Make<Domain>Services defined in
// it, a declaration below, a line in kServiceFactories (services.cc), and a line in
// server/rpc/CMakeLists.txt.
// Each service authenticates the call, validates the request and posts one task to the apply
// loop (backend.h, reactors.h); the RPC finishes from the loop after the commit. Handlers never
// block.
// Thread safety: the services are stateless apart from the Backend pointer; gRPC may call
// them from any thread.
#pragma once

#include <memory>
#include <vector>

#include <grpcpp/grpcpp.h>
#include <grpcpp/impl/codegen/service_type.h>

#include "server/rpc/backend.h"

namespace constellation::rpc {

using Services = std::vector<std::unique_ptr<grpc::Service>>;

// Creates every service, bound to `backend`, and registers it with `builder`, with the
// interceptor that answers unparseable requests (unparsed_request.h), then `observers`: gRPC
// runs send hooks in list order, so observers see the status as it is sent (the app's
// logging and RPC metrics). The services must outlive the server built from `builder`, and
// `backend` the services.
Services RegisterServices(
    Backend* backend, grpc::ServerBuilder& builder,
    std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
        observers = {});

// One domain's services each (server/rpc/<domain>/).
Services MakeNodeServices(Backend* backend);         // NodeService, TokenService, PeerService
Services MakeGroupServices(Backend* backend);        // GroupService
Services MakeGovernanceServices(Backend* backend);   // GovernanceService, MembershipService
Services MakeFundraisingServices(Backend* backend);  // FundraisingService
Services MakePooledServices(Backend* backend);       // PooledService
Services MakeConveningsServices(Backend* backend);   // ConveningService
Services MakeHealthServices(Backend* backend);       // HealthService
Services MakeStrategyServices(Backend* backend);     // StrategyService
Services MakeMeasurementServices(Backend* backend);  // MeasurementService
Services MakeTeamsServices(Backend* backend);        // TeamService
Services MakeFederationServices(Backend* backend);   // FederationService (node to node)

}  // namespace constellation::rpc
