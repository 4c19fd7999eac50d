// server/rpc/health/health_views.h
//
// Partnership health's views (client.proto PulseView, HealthView) from the core's HealthLedger
// and HealthAt (docs/PROTOCOL.md §5.14). Pulse comments are read from the events the ledger
// names (core::Group::Find); member names from the roster. Pure functions of their arguments.
#pragma once

#include <cstdint>
#include <string>

#include <absl/status/statusor.h>

#include "constellation/v1/client.pb.h"
#include "server/core/group.h"
#include "server/core/health/health_ledger.h"

namespace constellation::rpc {

v1::PulseView ToPulseView(const core::Group& g, const core::PulseState& p);
v1::HealthView ToHealthView(const core::Group& g, const core::GroupHealth& health);

// write.h RecordView: the pulse check `event_id`. kInvalidArgument for a malformed id,
// kNotFound when the group has no such pulse check.
absl::StatusOr<v1::PulseView> PulseViewOf(const core::Group& group, const std::string& event_id,
                                          uint64_t as_of_ms);

}  // namespace constellation::rpc
