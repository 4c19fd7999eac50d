// server/app/metrics_server.h
//
// The node's Prometheus endpoint: GET /metrics over plain HTTP (cpp-httplib), answering with
// the registry's text exposition. One listener thread; Start and Stop are called by the node's
// owner thread, the registry is read from the listener thread (it is thread-safe).
#pragma once

#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "server/metrics/registry.h"

namespace httplib {
class Server;
}

namespace constellation::app {

class MetricsServer {
 public:
  explicit MetricsServer(const metrics::Registry* registry);
  ~MetricsServer();  // stops

  // Binds "host:port" (port 0 = any free port) and serves in the background. Returns the bound
  // "host:port". kInvalidArgument for a malformed address, kUnavailable if it cannot be bound.
  absl::StatusOr<std::string> Start(const std::string& listen);
  void Stop();

 private:
  const metrics::Registry* registry_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
};

}  // namespace constellation::app
