// server/rpc/group/group_watch.h
//
// The reactor of GroupService.WatchEvents (client.proto): a stream that never ends by itself.
// It keeps, per author, the highest seq it has sent (starting from the request's revision),
// reads from the apply loop one page at a time the events that revision does not cover, in
// canonical order, and when nothing is left parks on the node's WatchHub until the group's next
// commit. So it never blocks a reaction or the loop, holds at most one page
// (kStreamPageSizeMax items, kStreamPageSizeBytesMax bytes) and one place of the stream caps.
// Thread safety: gRPC calls the reactions from any thread; pages are read on the loop; the
// state that the loop, the hub and gRPC share is behind one mutex (WatchControl).
#pragma once

#include <grpcpp/grpcpp.h>

#include "constellation/v1/client.pb.h"
#include "server/rpc/backend.h"

namespace constellation::rpc {

// Starts a watch of `request` for `caller` (or finishes at once with caller's error, a bad
// request, or over the stream caps).
grpc::ServerWriteReactor<v1::WatchEventsResponse>* RunWatch(Backend* backend,
                                                            const v1::WatchEventsRequest* request,
                                                            absl::StatusOr<Principal> caller);

}  // namespace constellation::rpc
