#include "server/rpc/auth.h"

#include <algorithm>
#include <string>
#include <utility>

#include <absl/strings/str_format.h>
#include <absl/strings/str_join.h>

#include "constellation/v1/federation.grpc.pb.h"
#include "server/base/status_macros.h"
#include "server/rpc/peer_client.h"

namespace constellation::rpc {
namespace {

// Every role and its name on the wire (tokens, GetNodeInfo.caller_role, the CLI).
constexpr std::pair<Role, std::string_view> kRoleNames[] = {
    {Role::kAdmin, "admin"}, {Role::kMember, "member"}, {Role::kAuditor, "auditor"}};

std::string_view Metadata(const grpc::CallbackServerContext* ctx, std::string_view key) {
  auto it = ctx->client_metadata().find(grpc::string_ref(key.data(), key.size()));
  if (it == ctx->client_metadata().end()) return {};
  return std::string_view(it->second.data(), it->second.size());
}

absl::StatusOr<Principal> AuthenticateBearer(const grpc::CallbackServerContext* ctx,
                                             const Backend& backend) {
  const auto& md = ctx->client_metadata();
  if (md.find("authorization") == md.end()) {
    return absl::UnauthenticatedError(
        "missing bearer token: send 'authorization: Bearer <token>' (CLI: --token or "
        "CONSTELLATION_TOKEN)");
  }
  std::string_view value = Metadata(ctx, "authorization");
  constexpr std::string_view kBearer = "Bearer ";
  if (value.substr(0, kBearer.size()) != kBearer) {
    return absl::UnauthenticatedError("authorization metadata must be 'Bearer <token>'");
  }
  return backend.Authenticate(value.substr(kBearer.size()));
}

}  // namespace

std::string_view RoleName(Role role) {
  for (const auto& [value, name] : kRoleNames) {
    if (value == role) return name;
  }
  return "unknown";
}

absl::StatusOr<Role> ParseRole(std::string_view name) {
  for (const auto& [value, known] : kRoleNames) {
    if (known == name) return value;
  }
  return absl::InvalidArgumentError(absl::StrFormat(
      "role '%s' is not one of %s", std::string(name),
      absl::StrJoin(kRoleNames, ", ",
                    [](std::string* out, const auto& role) { out->append(role.second); })));
}

bool Principal::CanRead(const core::GroupId& group) const {
  if (role != Role::kAuditor || groups.empty()) return true;
  return std::find(groups.begin(), groups.end(), group) != groups.end();
}

absl::Status CheckAccess(const Principal& p, Access access, std::string_view denied) {
  const bool allowed = access == Access::kRead || (access == Access::kWrite && p.CanWrite()) ||
                       p.role == Role::kAdmin;
  if (allowed) return absl::OkStatus();
  if (!denied.empty()) return absl::PermissionDeniedError(std::string(denied));
  if (access == Access::kAdmin) {
    return absl::PermissionDeniedError(
        absl::StrFormat("this call needs an admin token; the token used has role %s",
                        std::string(RoleName(p.role))));
  }
  return absl::PermissionDeniedError(
      "an auditor token is read-only; use a member or admin token to write");
}

absl::StatusOr<Principal> AuthenticateClient(const grpc::CallbackServerContext* ctx,
                                             const Backend& backend, Access access,
                                             std::string_view denied) {
  CONSTELLATION_ASSIGN_OR_RETURN(Principal p, AuthenticateBearer(ctx, backend));
  CONSTELLATION_RETURN_IF_ERROR(CheckAccess(p, access, denied));
  return p;
}

absl::StatusOr<core::OrgKey> AuthenticatePeer(const grpc::CallbackServerContext* ctx,
                                              Backend& backend, std::string_view method,
                                              const google::protobuf::Message& request) {
  CONSTELLATION_ASSIGN_OR_RETURN(
      core::CallCredentials credentials,
      core::ParseCallCredentials(Metadata(ctx, core::kFederationOrgHeader),
                                 Metadata(ctx, core::kFederationTimestampHeader),
                                 Metadata(ctx, core::kFederationNonceHeader),
                                 Metadata(ctx, core::kFederationSignatureHeader)));
  const std::string path =
      absl::StrFormat("/%s/%s", v1::FederationService::service_full_name(), std::string(method));
  CONSTELLATION_RETURN_IF_ERROR(
      backend.AuthenticatePeer(credentials, path, CanonicalBytes(request)));
  return credentials.caller;
}

}  // namespace constellation::rpc
