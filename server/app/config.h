// server/app/config.h
//
// constellationd's configuration: a TOML file (written by `constellationd init` into the data
// directory as constellationd.toml) with command-line overrides.
//
//   [node]
//   data_dir = "/var/lib/constellation"   # org.key and db/ live here
//   listen = "127.0.0.1:7400"             # host:port of the gRPC server (port 0 = any free)
//   advertise = ["node.example.org:7400"] # endpoints peers use; default: the listen address
//   [org]
//   name = "Riverside Food Bank"
//   [replication]
//   anti_entropy_interval_ms = 5000       # a sync round with every member node this often
//   [metrics]
//   listen = "127.0.0.1:0"                # host:port of GET /metrics (port 0 = any free,
//                                         # logged at start); "off" = no metrics endpoint
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <absl/status/statusor.h>

namespace constellation::app {

struct Config {
  std::string data_dir;
  std::string listen = "127.0.0.1:7400";
  std::vector<std::string> advertise;
  std::string org_name;
  uint64_t anti_entropy_interval_ms = 5'000;
  std::string metrics_listen = "127.0.0.1:0";  // "off" = no endpoint
};

inline constexpr char kConfigFileName[] = "constellationd.toml";

// Parses a config file. kNotFound if missing; kInvalidArgument naming the key for bad values.
absl::StatusOr<Config> LoadConfig(const std::string& path);

// Writes `config` to `path` (mode 0600). Overwrites.
absl::Status WriteConfig(const Config& config, const std::string& path);

}  // namespace constellation::app
