// server/rpc/tls.h
//
// TLS for the node's gRPC server and its calls to peers, from PEM files named in the config
// ([tls], docs/OPERATIONS.md "TLS"). gRPC's own SSL credentials do the cryptography; this
// module only reads the files and picks the options.
//
// Server: with cert_file and key_file the node serves TLS only. With client_ca_file it asks
// clients for a certificate and verifies one that is presented against that CA; with
// require_client_cert as well, a client without a certificate signed by that CA is refused
// during the handshake (mutual TLS, intended for peers).
// Peers: with ca_file the node calls every peer over TLS, verifying the peer's certificate
// against ca_file and presenting its own cert_file/key_file as client certificate (so one
// certificate per node serves both directions). Without ca_file peer calls are plaintext.
// Either way every peer call stays signed by the org key (DESIGN §4).
// Thread safety: stateless functions, thread-safe.
#pragma once

#include <memory>
#include <string>

#include <absl/status/statusor.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/security/server_credentials.h>

namespace constellation::rpc {

struct TlsOptions {
  std::string cert_file;        // PEM certificate chain of this node
  std::string key_file;         // PEM private key of cert_file
  std::string client_ca_file;   // PEM CA(s) that client certificates are verified against
  bool require_client_cert = false;  // refuse clients without a valid certificate (mTLS)
  std::string ca_file;          // PEM CA(s) that peers' server certificates are verified against

  bool serves_tls() const { return !cert_file.empty(); }
  bool calls_peers_over_tls() const { return !ca_file.empty(); }
};

// Checks that the options fit together (cert_file and key_file both or neither; client CA
// settings need a certificate; require_client_cert needs client_ca_file). kInvalidArgument
// naming the [tls] keys.
absl::Status ValidateTlsOptions(const TlsOptions& options);

// The server credentials: insecure when no cert_file is set, else SSL as described above.
// Errors: kInvalidArgument from ValidateTlsOptions; kNotFound / kPermissionDenied naming a
// file that cannot be read.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> MakeServerCredentials(
    const TlsOptions& options);

// The credentials of calls to peers: insecure without ca_file, else SSL verifying against
// ca_file and presenting cert_file/key_file when set. Errors as MakeServerCredentials.
absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> MakePeerCredentials(
    const TlsOptions& options);

// Reads a whole PEM file. kNotFound when it does not exist, kPermissionDenied when it cannot
// be read, kInvalidArgument when it holds no PEM block; `what` names it in the message.
absl::StatusOr<std::string> ReadPemFile(const std::string& path, const std::string& what);

// True for an address that only this host can reach: 127.0.0.0/8, ::1, localhost.
bool IsLoopbackAddress(const std::string& host_port);

}  // namespace constellation::rpc
