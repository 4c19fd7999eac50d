// cli/context/render.cc
#include "cli/context/render.h"

#include <absl/strings/str_format.h>

namespace constellation::cli {
namespace {

std::string MaskToken(const std::string& token) {
  if (token.empty()) return "";
  if (token.size() <= 8) return "****";
  return token.substr(0, 4) + "..." + token.substr(token.size() - 4);
}

// "VALUE (from SOURCE)", or `none` when the value is empty.
std::string Sourced(const std::string& value, const std::string& source, const std::string& none) {
  return value.empty() ? none : absl::StrFormat("%s (from %s)", value, source);
}

Json ContextJson(const ContextEntry& entry) {
  return JsonObject({{"name", entry.name},
                     {"endpoint", entry.context.endpoint},
                     {"token_set", !entry.context.token.empty()},
                     {"ca_file", entry.context.ca_file},
                     {"cert_file", entry.context.cert_file},
                     {"key_file", entry.context.key_file},
                     {"current", entry.current}});
}

// "plaintext", "TLS" or "mutual TLS", as a context's files make it.
std::string TlsMode(const std::string& ca_file, const std::string& cert_file) {
  if (ca_file.empty()) return "plaintext";
  return cert_file.empty() ? "TLS" : "mutual TLS";
}

constexpr Field<ContextEntry> kContextColumns[] = {
    {"current", [](const ContextEntry& entry) { return std::string(entry.current ? "*" : ""); }},
    {"name", [](const ContextEntry& entry) { return entry.name; }},
    {"endpoint", [](const ContextEntry& entry) { return entry.context.endpoint; }},
    {"token", [](const ContextEntry& entry) { return MaskToken(entry.context.token); }},
    {"tls",
     [](const ContextEntry& entry) {
       return TlsMode(entry.context.ca_file, entry.context.cert_file);
     }},
};

}  // namespace

const RecordFormat<ContextEntry> kContextFormat = {.json = ContextJson, .columns = kContextColumns};

Output ContextSetOutput(const ContextEntry& entry, const std::string& config_path) {
  return Output::Object(JsonObject({{"context", entry.name},
                                    {"endpoint", entry.context.endpoint},
                                    {"token_set", !entry.context.token.empty()},
                                    {"ca_file", entry.context.ca_file},
                                    {"cert_file", entry.context.cert_file},
                                    {"key_file", entry.context.key_file},
                                    {"current", entry.current},
                                    {"config_path", config_path}}),
                        {{"context", entry.name},
                         {"endpoint", entry.context.endpoint},
                         {"token", MaskToken(entry.context.token)},
                         {"tls", TlsMode(entry.context.ca_file, entry.context.cert_file)},
                         {"current", YesNo(entry.current)},
                         {"config", config_path}});
}

Output ConnectionOutput(const Connection& connection, const std::string& config_path) {
  return Output::Object(
      JsonObject({{"context", connection.context},
                  {"context_source", connection.context_source},
                  {"endpoint", connection.endpoint},
                  {"endpoint_source", connection.endpoint_source},
                  {"token_set", !connection.token.empty()},
                  {"token_source", connection.token_source},
                  {"ca_file", connection.ca_file},
                  {"ca_file_source", connection.ca_file_source},
                  {"cert_file", connection.cert_file},
                  {"cert_file_source", connection.cert_file_source},
                  {"key_file", connection.key_file},
                  {"key_file_source", connection.key_file_source},
                  {"config_path", config_path}}),
      {{"context", Sourced(connection.context, connection.context_source, "(none)")},
       {"endpoint",
        absl::StrFormat("%s (from %s)", connection.endpoint, connection.endpoint_source)},
       {"token", Sourced(MaskToken(connection.token), connection.token_source, "(none)")},
       {"ca file", Sourced(connection.ca_file, connection.ca_file_source, "(none: plaintext)")},
       {"cert file", Sourced(connection.cert_file, connection.cert_file_source, "(none)")},
       {"key file", Sourced(connection.key_file, connection.key_file_source, "(none)")},
       {"config", config_path}});
}

}  // namespace constellation::cli
