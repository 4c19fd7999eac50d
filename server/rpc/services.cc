#include "server/rpc/services.h"

#include <vector>

#include "server/rpc/unparsed_request.h"

namespace constellation::rpc {
namespace {

// Every domain's services, in registration order. Adding a domain is one line here.
constexpr Services (*kServiceFactories[])(Backend*) = {
    MakeNodeServices,        MakeGroupServices,      MakeGovernanceServices,
    MakeFundraisingServices, MakeFederationServices, MakePooledServices,
    MakeConveningsServices,  MakeHealthServices,     MakeStrategyServices,
    MakeMeasurementServices, MakeTeamsServices,
};

}  // namespace

Services RegisterServices(
    Backend* backend, grpc::ServerBuilder& builder,
    std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
        observers) {
  Services services;
  for (auto make : kServiceFactories) {
    for (std::unique_ptr<grpc::Service>& service : make(backend)) {
      builder.RegisterService(service.get());
      services.push_back(std::move(service));
    }
  }
  // Requests that do not parse get INVALID_ARGUMENT with a message (unparsed_request.h).
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> creators;
  creators.push_back(MakeUnparsedRequestInterceptorFactory());
  for (auto& observer : observers) creators.push_back(std::move(observer));
  builder.experimental().SetInterceptorCreators(std::move(creators));
  return services;
}

}  // namespace constellation::rpc
