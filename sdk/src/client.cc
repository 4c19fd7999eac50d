// sdk/src/client.cc: what every domain's methods share: Client::Connect, the request ids and
// the SDK version. Each domain defines its own methods in sdk/src/<domain>/<domain>_client.cc.
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <utility>

#include <absl/random/random.h>
#include <absl/strings/str_format.h>
#include <constellation/client.h>
#include <grpcpp/security/credentials.h>

#include "sdk/src/client_core.h"
#include "sdk/src/unary_call.h"

#ifndef CONSTELLATION_SDK_VERSION
#define CONSTELLATION_SDK_VERSION "0.0.0"
#endif

namespace constellation {
using internal::ClientCore;
using internal::IsPrintableAscii;

namespace {

// Reads a PEM file named by ClientOptions field `option`. kNotFound when it cannot be opened,
// kInvalidArgument when it holds no PEM block.
absl::StatusOr<std::string> ReadPem(const std::string& path, std::string_view option) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(absl::StrFormat("%s %s cannot be read: %s", std::string(option),
                                               path, std::strerror(errno)));
  }
  std::stringstream text;
  text << in.rdbuf();
  if (text.str().find("-----BEGIN ") == std::string::npos) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s %s holds no PEM block (-----BEGIN ...): give a PEM file", std::string(option), path));
  }
  return text.str();
}

// Plaintext without a CA; else SSL verifying the node against the CA, with the client
// certificate if one is given.
absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> ChannelCredentialsFor(
    const ClientOptions& options) {
  const bool client_cert = !options.tls_cert_file.empty() || !options.tls_key_file.empty();
  if (options.tls_ca_file.empty() && options.tls_ca_pem.empty()) {
    if (client_cert) {
      return absl::InvalidArgumentError(
          "tls_cert_file and tls_key_file need a CA to verify the node: set tls_ca_file");
    }
    return grpc::InsecureChannelCredentials();
  }
  if (!options.tls_ca_file.empty() && !options.tls_ca_pem.empty()) {
    return absl::InvalidArgumentError("set tls_ca_file or tls_ca_pem, not both");
  }
  if (client_cert && (options.tls_cert_file.empty() || options.tls_key_file.empty())) {
    return absl::InvalidArgumentError(
        "tls_cert_file and tls_key_file go together: set both for a client certificate");
  }
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = options.tls_ca_pem;
  if (!options.tls_ca_file.empty()) {
    absl::StatusOr<std::string> ca = ReadPem(options.tls_ca_file, "tls_ca_file");
    if (!ca.ok()) return ca.status();
    ssl.pem_root_certs = *std::move(ca);
  } else if (ssl.pem_root_certs.find("-----BEGIN ") == std::string::npos) {
    return absl::InvalidArgumentError("tls_ca_pem holds no PEM block (-----BEGIN ...)");
  }
  if (client_cert) {
    absl::StatusOr<std::string> cert = ReadPem(options.tls_cert_file, "tls_cert_file");
    if (!cert.ok()) return cert.status();
    absl::StatusOr<std::string> key = ReadPem(options.tls_key_file, "tls_key_file");
    if (!key.ok()) return key.status();
    ssl.pem_cert_chain = *std::move(cert);
    ssl.pem_private_key = *std::move(key);
  }
  return grpc::SslCredentials(ssl);
}

}  // namespace

std::string NewRequestId() {
  thread_local absl::BitGen bits;
  const uint64_t high = absl::Uniform<uint64_t>(bits);
  const uint64_t low = absl::Uniform<uint64_t>(bits);
  return absl::StrFormat("%016x%016x", high, low);
}

const char* SdkVersion() { return CONSTELLATION_SDK_VERSION; }

absl::StatusOr<std::unique_ptr<Client>> Client::Connect(const ClientOptions& options) {
  if (options.endpoint.empty()) {
    return absl::InvalidArgumentError("endpoint is empty: give host:port, e.g. 127.0.0.1:7400");
  }
  if (!IsPrintableAscii(options.token) || options.token.find(' ') != std::string::npos) {
    return absl::InvalidArgumentError(
        "token contains spaces or non-printable characters: check how it was copied");
  }
  if (options.max_attempts < 1) {
    return absl::InvalidArgumentError(
        absl::StrFormat("max_attempts must be >= 1, got %d", options.max_attempts));
  }
  if (options.deadline <= absl::ZeroDuration() || options.stream_deadline <= absl::ZeroDuration() ||
      options.initial_backoff <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("deadline, stream_deadline and initial_backoff must be > 0");
  }
  absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> credentials =
      ChannelCredentialsFor(options);
  if (!credentials.ok()) return credentials.status();
  return std::unique_ptr<Client>(new Client(std::make_shared<ClientCore>(options, *credentials)));
}

Client::Client(std::shared_ptr<internal::ClientCore> core) : core_(std::move(core)) {}
Client::~Client() = default;

const ClientOptions& Client::options() const { return core_->options(); }

}  // namespace constellation
