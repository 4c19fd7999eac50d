// tests/testing/team_events.h
//
// Record bodies of the action teams domain for tests (docs/PROTOCOL.md §5.17): a first version
// of a team and a later version of one. Each is valid as built unless a test changes it.
// Pure; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "constellation/v1/event.pb.h"
#include "server/core/ids.h"

namespace constellation::testing {

// A team named `name` led by `leads` with `participants`, of `status` (a first version).
v1::Event TeamBody(const std::vector<core::OrgKey>& leads,
                   const std::vector<core::OrgKey>& participants = {},
                   v1::TeamStatus status = v1::TEAM_STATUS_PROPOSED,
                   const std::string& name = "Youth jobs pilot");
// `version` (a body TeamBody made) as a later version of the team `team`.
v1::Event TeamVersionBody(const core::EventId& team, v1::Event version);
// A TEAM_LEADS proposal (docs/PROTOCOL.md §5.17.1): `leads` to lead the team `team`, whose
// orgs (leads and participants) the proposer names as `team_orgs`.
v1::Event TeamLeadsBody(const core::EventId& team, const std::vector<core::OrgKey>& leads,
                        const std::vector<core::OrgKey>& team_orgs);

}  // namespace constellation::testing
