#include "server/rpc/tls.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <absl/strings/str_format.h>

#include "server/base/status_macros.h"

namespace constellation::rpc {

absl::Status ValidateTlsOptions(const TlsOptions& options) {
  if (options.cert_file.empty() != options.key_file.empty()) {
    return absl::InvalidArgumentError(
        "tls.cert_file and tls.key_file go together: set both (TLS) or neither (plaintext)");
  }
  if (!options.client_ca_file.empty() && options.cert_file.empty()) {
    return absl::InvalidArgumentError(
        "tls.client_ca_file needs tls.cert_file and tls.key_file: client certificates are "
        "only asked for over TLS");
  }
  if (options.require_client_cert && options.client_ca_file.empty()) {
    return absl::InvalidArgumentError(
        "tls.require_client_cert needs tls.client_ca_file, the CA that signs the certificates "
        "of accepted clients");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> ReadPemFile(const std::string& path, const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int error = errno;
    if (error == ENOENT) {
      return absl::NotFoundError(absl::StrFormat("%s %s does not exist", what, path));
    }
    return absl::PermissionDeniedError(
        absl::StrFormat("cannot read %s %s: %s", what, path, std::strerror(error)));
  }
  std::stringstream text;
  text << in.rdbuf();
  std::string pem = text.str();
  if (pem.find("-----BEGIN ") == std::string::npos) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s %s holds no PEM block (-----BEGIN ...): give a PEM file", what, path));
  }
  return pem;
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> MakeServerCredentials(
    const TlsOptions& options) {
  CONSTELLATION_RETURN_IF_ERROR(ValidateTlsOptions(options));
  if (!options.serves_tls()) return grpc::InsecureServerCredentials();
  grpc::SslServerCredentialsOptions ssl;
  grpc::SslServerCredentialsOptions::PemKeyCertPair pair;
  CONSTELLATION_ASSIGN_OR_RETURN(pair.cert_chain,
                                 ReadPemFile(options.cert_file, "tls.cert_file"));
  CONSTELLATION_ASSIGN_OR_RETURN(pair.private_key, ReadPemFile(options.key_file, "tls.key_file"));
  ssl.pem_key_cert_pairs.push_back(std::move(pair));
  if (options.client_ca_file.empty()) {
    ssl.client_certificate_request = GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE;
  } else {
    CONSTELLATION_ASSIGN_OR_RETURN(ssl.pem_root_certs,
                                   ReadPemFile(options.client_ca_file, "tls.client_ca_file"));
    ssl.client_certificate_request =
        options.require_client_cert ? GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY
                                    : GRPC_SSL_REQUEST_CLIENT_CERTIFICATE_AND_VERIFY;
  }
  return grpc::SslServerCredentials(ssl);
}

absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> MakePeerCredentials(
    const TlsOptions& options) {
  CONSTELLATION_RETURN_IF_ERROR(ValidateTlsOptions(options));
  if (!options.calls_peers_over_tls()) return grpc::InsecureChannelCredentials();
  grpc::SslCredentialsOptions ssl;
  CONSTELLATION_ASSIGN_OR_RETURN(ssl.pem_root_certs, ReadPemFile(options.ca_file, "tls.ca_file"));
  if (options.serves_tls()) {
    CONSTELLATION_ASSIGN_OR_RETURN(ssl.pem_cert_chain,
                                   ReadPemFile(options.cert_file, "tls.cert_file"));
    CONSTELLATION_ASSIGN_OR_RETURN(ssl.pem_private_key,
                                   ReadPemFile(options.key_file, "tls.key_file"));
  }
  return grpc::SslCredentials(ssl);
}

bool IsLoopbackAddress(const std::string& host_port) {
  std::string host = host_port.substr(0, host_port.rfind(':'));
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

}  // namespace constellation::rpc
