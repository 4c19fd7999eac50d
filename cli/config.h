// cli/config.h
//
// The CLI's config file (TOML) of named contexts, and the resolution of which node and token a
// command uses. Precedence, per value: flag > environment > the selected context > default.
//   context:  --context, $CONSTELLATION_CONTEXT, `current` in the file
//   endpoint: --endpoint, $CONSTELLATION_ENDPOINT, the context's endpoint, 127.0.0.1:7400
//   token:    --token, $CONSTELLATION_TOKEN, the context's token, none
//   ca_file:  --ca-file, $CONSTELLATION_CA_FILE, the context's ca_file, none (plaintext); with
//             a CA file the CLI connects over TLS and verifies the node's certificate
//   cert_file, key_file: --cert-file/--key-file, $CONSTELLATION_CERT_FILE/_KEY_FILE, the
//             context's, none; a client certificate for a node that asks for one (mutual
//             TLS): both or neither, and only with a CA file (ValidateTls)
// File: $CONSTELLATION_CONFIG, else $XDG_CONFIG_HOME/constellation/config.toml, else
// $HOME/.config/constellation/config.toml. Format:
//   current = "local"
//   [contexts.local]
//   endpoint = "127.0.0.1:7400"
//   token = "..."
//   ca_file = "/etc/constellation/ca.pem"   # optional
//   cert_file = "/etc/constellation/client.pem"   # optional, with key_file
//   key_file = "/etc/constellation/client.key"
// The file holds tokens, so it is written with mode 0600 (directory 0700), atomically.
// Thread safety: functions are thread-safe; concurrent writers of one file: last one wins.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>

#include <absl/status/status.h>
#include <absl/status/statusor.h>

#include "cli/args.h"

namespace constellation::cli {

inline constexpr char kDefaultEndpoint[] = "127.0.0.1:7400";

// Reads an environment variable; nullopt when unset or empty.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

struct Context {
  std::string endpoint;
  std::string token;
  std::string ca_file;    // "" = plaintext
  std::string cert_file;  // "" = no client certificate
  std::string key_file;
};

struct Config {
  std::string current;                      // "" = none
  std::map<std::string, Context> contexts;  // by name
};

// The config file path (see the header comment). kFailedPrecondition when neither
// CONSTELLATION_CONFIG, XDG_CONFIG_HOME nor HOME is set.
absl::StatusOr<std::string> ConfigPath(const EnvLookup& env);

// Reads the file; a missing file is an empty Config. kInvalidArgument for a file that is not
// valid TOML or has values of the wrong type (the message names the file and line).
absl::StatusOr<Config> LoadConfig(const std::string& path);

// Parses config text; `origin` names it in errors.
absl::StatusOr<Config> ParseConfig(std::string_view text, const std::string& origin);

// Writes the file atomically with mode 0600, creating its directory (0700) if needed.
absl::Status SaveConfig(const std::string& path, const Config& config);

// A context name: 1..64 of letters, digits, '-', '_', '.'. kInvalidArgument otherwise.
absl::Status ValidateContextName(std::string_view name);

// Where a command connects, and where each value came from ("flag", "env", "context",
// "default"), for `context show` and error hints.
struct Connection {
  std::string context;  // "" = none
  std::string endpoint;
  std::string token;
  std::string ca_file;
  std::string cert_file;
  std::string key_file;
  std::string context_source;
  std::string endpoint_source;
  std::string token_source;
  std::string ca_file_source;
  std::string cert_file_source;
  std::string key_file_source;
};

// Applies the precedence rules. kNotFound when the context named by --context or
// $CONSTELLATION_CONTEXT is not in `config`; a dangling `current` in the file is also
// kNotFound.
absl::StatusOr<Connection> ResolveConnection(const GlobalFlags& flags, const EnvLookup& env,
                                             const Config& config);

// Checks that the TLS values fit together before connecting: a client certificate and its key
// both or neither, and a client certificate only with a CA file. kInvalidArgument naming the
// flags (and where each value came from) otherwise.
absl::Status ValidateTls(const Connection& connection);

}  // namespace constellation::cli
