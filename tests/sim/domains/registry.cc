// tests/sim/domains/registry.cc
//
// The registry of simulated domains (sim_domain.h): one line per domain. The order is the order
// in which reactions run and invariants are checked; the network domain comes first, since its
// invariants (no honest fork, no lost write, same events same state) are what the others
// stand on.
#include "tests/sim/domains/sim_domain.h"

namespace constellation::sim {

// Defined in domains/<domain>_domain.cc.
SimDomain NetworkDomain();
SimDomain MembershipDomain();
SimDomain GovernanceDomain();
SimDomain FundraisingDomain();
SimDomain PooledDomain();
SimDomain ConveningsDomain();
SimDomain HealthDomain();
SimDomain StrategyDomain();
SimDomain MeasurementDomain();
SimDomain TeamsDomain();

const std::vector<SimDomainFactory>& SimDomainRegistry() {
  // clang-format off: one line per domain
  static const auto* const kDomains = new std::vector<SimDomainFactory>{
      NetworkDomain,
      MembershipDomain,
      GovernanceDomain,
      FundraisingDomain,
      PooledDomain,
      ConveningsDomain,
      HealthDomain,
      StrategyDomain,
      MeasurementDomain,
      TeamsDomain,
  };
  // clang-format on
  return *kDomains;
}

}  // namespace constellation::sim
