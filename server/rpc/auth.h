// server/rpc/auth.h
//
// Who is calling, at the edge: a client's bearer token and the kind of call its role allows
// (DESIGN §5), or a peer node's signed federation call (DESIGN §4, core/federation_auth.h).
// Role names come from one table (auth.cc).
// Thread safety: thread-safe and non-blocking; they read the call's metadata and call the
// Backend's authentication (an in-memory lookup).
#pragma once

#include <string_view>

#include <absl/status/status.h>
#include <absl/status/statusor.h>
#include <google/protobuf/message.h>
#include <grpcpp/grpcpp.h>

#include "server/core/ids.h"
#include "server/rpc/backend.h"

namespace constellation::rpc {

// The kind of a client call: reads need any token, writes a member or admin token, token and
// group administration an admin token.
enum class Access { kRead, kWrite, kAdmin };

// kPermissionDenied when `p` may not make a call of kind `access`; the message is `denied`
// when it is not empty, else one that names the role needed.
absl::Status CheckAccess(const Principal& p, Access access, std::string_view denied = {});

// The caller of a client RPC, from its `authorization: Bearer <token>` metadata, if its role
// allows a call of kind `access` (CheckAccess with `denied`). kUnauthenticated when the token
// is missing, malformed, unknown or revoked; kPermissionDenied.
absl::StatusOr<Principal> AuthenticateClient(const grpc::CallbackServerContext* ctx,
                                             const Backend& backend, Access access,
                                             std::string_view denied = {});

// The org of the peer calling FederationService method `method` ("PushEvents"), once its
// signature over the method, timestamp, nonce and `request` checks out. kUnauthenticated
// (missing or bad credentials, a replayed nonce, a timestamp out of the window).
absl::StatusOr<core::OrgKey> AuthenticatePeer(const grpc::CallbackServerContext* ctx,
                                              Backend& backend, std::string_view method,
                                              const google::protobuf::Message& request);

}  // namespace constellation::rpc
