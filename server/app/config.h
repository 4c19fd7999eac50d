// server/app/config.h
//
// constellationd's configuration: a TOML file (written by `constellationd init` into the data
// directory as constellationd.toml) with command-line overrides. Every key (docs/OPERATIONS.md,
// "Configuration reference"):
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
//   [tls]                                 # rpc/tls.h; absent = plaintext
//   cert_file = "/etc/constellation/node.pem"    # this node's certificate chain (PEM)
//   key_file = "/etc/constellation/node.key"     # its private key (PEM)
//   client_ca_file = "/etc/constellation/ca.pem" # verify client certificates against this CA
//   require_client_cert = false                  # true: refuse clients without one (mTLS)
//   ca_file = "/etc/constellation/ca.pem"        # call peers over TLS, verifying against this
//   [log]
//   format = "text"                       # "text" (logfmt) or "json" (one object per line)
//
// The parser is strict: a key that is not in the table of known keys (config.cc, kKeys), or
// a value of the wrong type, is an error naming the key and its line in the file.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <absl/status/statusor.h>

#include "server/rpc/tls.h"

namespace constellation::app {

struct Config {
  std::string data_dir;
  std::string listen = "127.0.0.1:7400";
  std::vector<std::string> advertise;
  std::string org_name;
  uint64_t anti_entropy_interval_ms = 5'000;
  std::string metrics_listen = "127.0.0.1:0";  // "off" = no endpoint
  rpc::TlsOptions tls;
  std::string log_format = "text";  // "text" | "json" (checked by constellationd run)
};

inline constexpr char kConfigFileName[] = "constellationd.toml";

// Parses a config file. kNotFound if missing; kInvalidArgument for TOML syntax errors, unknown
// keys, wrong types and values out of range, naming the key and the line.
absl::StatusOr<Config> LoadConfig(const std::string& path);

// Parses config text; `origin` names the file in errors.
absl::StatusOr<Config> ParseConfig(std::string_view text, const std::string& origin);

// Writes `config` to `path` (mode 0600). Overwrites.
absl::Status WriteConfig(const Config& config, const std::string& path);

}  // namespace constellation::app
