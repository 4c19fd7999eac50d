// cli/config.cc
#include "cli/config.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <tuple>
#include <utility>

#include <absl/strings/str_format.h>
#include <toml++/toml.h>

namespace constellation::cli {
namespace {

constexpr size_t kContextNameSizeMax = 64;

absl::Status ErrnoError(const std::string& what) {
  return absl::FailedPreconditionError(absl::StrFormat("%s: %s", what, std::strerror(errno)));
}

// Reads an optional string value at `table[key]`; kInvalidArgument if present but not a string.
absl::Status ReadString(const toml::table& table, const char* key, const std::string& where,
                        std::string* out) {
  const toml::node* node = table.get(key);
  if (node == nullptr) return absl::OkStatus();
  const std::optional<std::string> value = node->value<std::string>();
  if (!value.has_value()) {
    return absl::InvalidArgumentError(absl::StrFormat("%s: '%s' must be a string (line %d)", where,
                                                      key, node->source().begin.line));
  }
  *out = *value;
  return absl::OkStatus();
}

// One value of a Connection and where it came from, by precedence: the flag, the environment,
// the context's (or config's) value when not empty, else `fallback`.
std::pair<std::string, std::string> Pick(const std::optional<std::string>& flag,
                                         const std::optional<std::string>& environment,
                                         const std::string& configured,
                                         const std::string& configured_source,
                                         std::pair<std::string, std::string> fallback) {
  if (flag.has_value()) return {*flag, "flag"};
  if (environment.has_value()) return {*environment, "env"};
  if (!configured.empty()) return {configured, configured_source};
  return fallback;
}

}  // namespace

absl::StatusOr<std::string> ConfigPath(const EnvLookup& env) {
  if (std::optional<std::string> path = env("CONSTELLATION_CONFIG")) return *path;
  if (std::optional<std::string> xdg = env("XDG_CONFIG_HOME")) {
    return *xdg + "/constellation/config.toml";
  }
  if (std::optional<std::string> home = env("HOME")) {
    return *home + "/.config/constellation/config.toml";
  }
  return absl::FailedPreconditionError(
      "cannot place the config file: set CONSTELLATION_CONFIG, XDG_CONFIG_HOME or HOME");
}

absl::StatusOr<Config> ParseConfig(std::string_view text, const std::string& origin) {
  toml::table root;
  try {
    root = toml::parse(text, origin);
  } catch (const toml::parse_error& error) {
    return absl::InvalidArgumentError(absl::StrFormat("config file %s line %d: %s", origin,
                                                      error.source().begin.line,
                                                      std::string(error.description())));
  }
  Config config;
  absl::Status status = ReadString(root, "current", "config file " + origin, &config.current);
  if (!status.ok()) return status;
  const toml::node* contexts = root.get("contexts");
  if (contexts == nullptr) return config;
  if (!contexts->is_table()) {
    return absl::InvalidArgumentError(
        absl::StrFormat("config file %s: 'contexts' must be a table", origin));
  }
  for (const auto& [name, node] : *contexts->as_table()) {
    const std::string context_name(name.str());
    const std::string where = absl::StrFormat("config file %s, context '%s'", origin, context_name);
    if (!node.is_table()) {
      return absl::InvalidArgumentError(absl::StrFormat("%s: must be a table", where));
    }
    Context context;
    status = ReadString(*node.as_table(), "endpoint", where, &context.endpoint);
    if (!status.ok()) return status;
    status = ReadString(*node.as_table(), "token", where, &context.token);
    if (!status.ok()) return status;
    status = ReadString(*node.as_table(), "ca_file", where, &context.ca_file);
    if (!status.ok()) return status;
    status = ReadString(*node.as_table(), "cert_file", where, &context.cert_file);
    if (!status.ok()) return status;
    status = ReadString(*node.as_table(), "key_file", where, &context.key_file);
    if (!status.ok()) return status;
    config.contexts[context_name] = context;
  }
  return config;
}

absl::StatusOr<Config> LoadConfig(const std::string& path) {
  std::error_code error;
  if (!std::filesystem::exists(path, error)) return Config{};
  std::ifstream in(path);
  if (!in) return ErrnoError("cannot read config file " + path);
  std::stringstream text;
  text << in.rdbuf();
  return ParseConfig(text.str(), path);
}

absl::Status SaveConfig(const std::string& path, const Config& config) {
  toml::table root;
  if (!config.current.empty()) root.insert("current", config.current);
  toml::table contexts;
  for (const auto& [name, context] : config.contexts) {
    toml::table entry;
    entry.insert("endpoint", context.endpoint);
    if (!context.token.empty()) entry.insert("token", context.token);
    if (!context.ca_file.empty()) entry.insert("ca_file", context.ca_file);
    if (!context.cert_file.empty()) entry.insert("cert_file", context.cert_file);
    if (!context.key_file.empty()) entry.insert("key_file", context.key_file);
    contexts.insert(name, std::move(entry));
  }
  root.insert("contexts", std::move(contexts));
  std::stringstream text;
  text << "# constellation CLI contexts; holds tokens: keep it private (mode 0600).\n"
       << root << "\n";

  const std::filesystem::path file(path);
  if (file.has_parent_path()) {
    std::error_code error;
    std::filesystem::create_directories(file.parent_path(), error);
    if (error) {
      return absl::FailedPreconditionError(absl::StrFormat(
          "cannot create directory %s: %s", file.parent_path().string(), error.message()));
    }
    // Only a directory we just made is tightened; an existing one stays as its owner set it.
    ::chmod(file.parent_path().c_str(), 0700);
  }
  // Write a sibling, then rename over the file: a crash leaves the old or the new file.
  const std::string temp = path + ".tmp";
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return ErrnoError("cannot write config file " + temp);
  ::fchmod(fd, 0600);  // O_CREAT's mode does not apply to an existing file
  const std::string bytes = text.str();
  size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      absl::Status status = ErrnoError("cannot write config file " + temp);
      ::close(fd);
      return status;
    }
    written += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    return ErrnoError("cannot write config file " + temp);
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    return ErrnoError("cannot replace config file " + path);
  }
  return absl::OkStatus();
}

absl::Status ValidateContextName(std::string_view name) {
  bool ok = !name.empty() && name.size() <= kContextNameSizeMax;
  for (char c : name) {
    ok = ok && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '-' || c == '_' || c == '.');
  }
  if (ok) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrFormat("context name '%s' must be 1..%d letters, digits, '-', '_' or '.'",
                      std::string(name), kContextNameSizeMax));
}

absl::StatusOr<Connection> ResolveConnection(const GlobalFlags& flags, const EnvLookup& env,
                                             const Config& config) {
  Connection out;
  std::tie(out.context, out.context_source) =
      Pick(flags.context, env("CONSTELLATION_CONTEXT"), config.current, "config", {"", ""});
  const Context* context = nullptr;
  if (!out.context.empty()) {
    auto it = config.contexts.find(out.context);
    if (it == config.contexts.end()) {
      return absl::NotFoundError(absl::StrFormat(
          "context '%s' (from %s) is not in the config file: run 'constellation context list'",
          out.context, out.context_source));
    }
    context = &it->second;
  }
  std::tie(out.endpoint, out.endpoint_source) =
      Pick(flags.endpoint, env("CONSTELLATION_ENDPOINT"), context ? context->endpoint : "",
           "context", {kDefaultEndpoint, "default"});
  std::tie(out.token, out.token_source) =
      Pick(flags.token, env("CONSTELLATION_TOKEN"), context ? context->token : "", "context",
           {"", "none"});
  std::tie(out.ca_file, out.ca_file_source) =
      Pick(flags.ca_file, env("CONSTELLATION_CA_FILE"), context ? context->ca_file : "",
           "context", {"", "none"});
  std::tie(out.cert_file, out.cert_file_source) =
      Pick(flags.cert_file, env("CONSTELLATION_CERT_FILE"), context ? context->cert_file : "",
           "context", {"", "none"});
  std::tie(out.key_file, out.key_file_source) =
      Pick(flags.key_file, env("CONSTELLATION_KEY_FILE"), context ? context->key_file : "",
           "context", {"", "none"});
  return out;
}

absl::Status ValidateTls(const Connection& connection) {
  if (connection.cert_file.empty() && connection.key_file.empty()) return absl::OkStatus();
  if (connection.cert_file.empty() || connection.key_file.empty()) {
    const bool has_cert = !connection.cert_file.empty();
    return absl::InvalidArgumentError(absl::StrFormat(
        "a client certificate and its key go together: %s is set (from %s) but %s is not; give "
        "both, or neither",
        has_cert ? "--cert-file" : "--key-file",
        has_cert ? connection.cert_file_source : connection.key_file_source,
        has_cert ? "--key-file" : "--cert-file"));
  }
  if (connection.ca_file.empty()) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "a client certificate (--cert-file, from %s) is only sent over TLS: give --ca-file with "
        "the CA that signed the node's certificate",
        connection.cert_file_source));
  }
  return absl::OkStatus();
}

}  // namespace constellation::cli
