// server/rpc/convenings/convenings_views.h
//
// Convenings' views (client.proto ConveningView, ActionItemView) from the core's
// ConveningsLedger (docs/PROTOCOL.md §5.13). The ledger keeps ids, keys and times; what the views
// show of a record's text (title, agenda, minutes, item text, notes) they read from the event the
// ledger names (core::Group::Find). Whether an open item is overdue is judged as of `as_of_ms`.
// Pure functions of their arguments.
#pragma once

#include <cstdint>
#include <string>

#include <absl/status/statusor.h>

#include "constellation/v1/client.pb.h"
#include "server/core/convenings/convenings_ledger.h"
#include "server/core/group.h"

namespace constellation::rpc {

// A convening or action item of `g` by id; kInvalidArgument for a malformed id, kNotFound.
absl::StatusOr<const core::ConveningState*> FindConvening(const core::Group& g,
                                                          const std::string& id_bytes);
absl::StatusOr<const core::ActionItemState*> FindActionItem(const core::Group& g,
                                                            const std::string& id_bytes);

// open, overdue (as_of_ms past due_ms) or done.
v1::ActionItemStatus ActionItemStatusAt(const core::ActionItemState& a, uint64_t as_of_ms);

v1::ActionItemView ToActionItemView(const core::Group& g, const core::ActionItemState& a,
                                    uint64_t as_of_ms);
v1::ConveningView ToConveningView(const core::Group& g, const core::ConveningState& c,
                                  uint64_t as_of_ms);

// write.h RecordViews: the convening, the action item.
absl::StatusOr<v1::ConveningView> ConveningViewOf(const core::Group& group,
                                                  const std::string& convening_id,
                                                  uint64_t as_of_ms);
absl::StatusOr<v1::ActionItemView> ActionItemViewOf(const core::Group& group,
                                                    const std::string& action_id,
                                                    uint64_t as_of_ms);

}  // namespace constellation::rpc
