// sdk/src/client.cc: what every domain's methods share: Client::Connect, the request ids and
// the SDK version. Each domain defines its own methods in sdk/src/<domain>/<domain>_client.cc.
#include <utility>

#include <absl/random/random.h>
#include <absl/strings/str_format.h>
#include <constellation/client.h>

#include "sdk/src/client_core.h"
#include "sdk/src/unary_call.h"

#ifndef CONSTELLATION_SDK_VERSION
#define CONSTELLATION_SDK_VERSION "0.0.0"
#endif

namespace constellation {
using internal::ClientCore;
using internal::IsPrintableAscii;

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
  return std::unique_ptr<Client>(new Client(std::make_shared<ClientCore>(options)));
}

Client::Client(std::shared_ptr<internal::ClientCore> core) : core_(std::move(core)) {}
Client::~Client() = default;

const ClientOptions& Client::options() const { return core_->options(); }

}  // namespace constellation
