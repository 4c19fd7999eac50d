// tests/testing/convening_events.h
//
// Record bodies of the convenings domain for tests (docs/PROTOCOL.md §5.13): a convening, an
// attendance, minutes, an action item and its completion. Each is valid as built unless a test
// changes it.
// Pure; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "constellation/v1/event.pb.h"
#include "server/core/ids.h"

namespace constellation::testing {

// A convening at `scheduled_ms` with one free agenda item, the proposals and invitees given.
v1::Event ConveningBody(uint64_t scheduled_ms = 1'800'000'000'000,
                        const std::vector<core::EventId>& agenda_proposals = {},
                        const std::vector<core::OrgKey>& invitees = {},
                        const std::string& title = "Quarterly review");
v1::Event AttendanceBody(const core::EventId& convening);
v1::Event MinutesBody(const core::EventId& convening, const std::string& text = "We met.");
v1::Event ActionBody(const core::EventId& convening, const core::OrgKey& owner,
                     uint64_t due_ms = 1'800'000'000'000, const std::string& text = "Draft it");
v1::Event CompletionBody(const core::EventId& action, const std::string& note = "");

}  // namespace constellation::testing
