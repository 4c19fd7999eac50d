#include "server/rpc/services.h"

namespace constellation::rpc {
namespace {

// Every domain's services, in registration order. Adding a domain is one line here.
constexpr Services (*kServiceFactories[])(Backend*) = {
    MakeNodeServices,        MakeGroupServices,      MakeGovernanceServices,
    MakeFundraisingServices, MakeFederationServices,
    MakePooledServices,
};

}  // namespace

Services RegisterServices(Backend* backend, grpc::ServerBuilder& builder) {
  Services services;
  for (auto make : kServiceFactories) {
    for (std::unique_ptr<grpc::Service>& service : make(backend)) {
      builder.RegisterService(service.get());
      services.push_back(std::move(service));
    }
  }
  return services;
}

}  // namespace constellation::rpc
