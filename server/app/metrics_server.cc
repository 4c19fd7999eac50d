// server/app/metrics_server.cc
#include "server/app/metrics_server.h"

#include <httplib.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"

namespace constellation::app {

MetricsServer::MetricsServer(const metrics::Registry* registry) : registry_(registry) {}

MetricsServer::~MetricsServer() { Stop(); }

absl::StatusOr<std::string> MetricsServer::Start(const std::string& listen) {
  const size_t colon = listen.rfind(':');
  int port = -1;
  if (colon == std::string::npos || colon == 0 ||
      !absl::SimpleAtoi(listen.substr(colon + 1), &port) || port < 0 || port > 65535) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "metrics address '%s' is not host:port (e.g. 127.0.0.1:9400, port 0 = any free port)",
        listen));
  }
  const std::string host = listen.substr(0, colon);
  server_ = std::make_unique<httplib::Server>();
  server_->Get("/metrics", [this](const httplib::Request&, httplib::Response& response) {
    response.set_content(registry_->Expose(), "text/plain; version=0.0.4; charset=utf-8");
  });
  const int bound = port == 0 ? server_->bind_to_any_port(host)
                              : (server_->bind_to_port(host, port) ? port : -1);
  if (bound <= 0) {
    server_.reset();
    return absl::UnavailableError(absl::StrFormat(
        "cannot serve metrics on %s (in use, or not an address of this host); choose another "
        "with --metrics-listen or [metrics] listen",
        listen));
  }
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  return absl::StrFormat("%s:%d", host, bound);
}

void MetricsServer::Stop() {
  if (server_ == nullptr) return;
  server_->stop();
  if (thread_.joinable()) thread_.join();
  server_.reset();
}

}  // namespace constellation::app
