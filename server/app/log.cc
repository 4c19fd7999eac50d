#include "server/app/log.h"

#include <atomic>
#include <cstdio>

#include <absl/strings/str_format.h>
#include <absl/time/clock.h>
#include <absl/time/time.h>
#include <nlohmann/json.hpp>

namespace constellation::app {
namespace {

std::atomic<LogFormat> log_format{LogFormat::kText};

// The RPC this thread serves (ScopedLogContext); empty outside one.
thread_local std::string_view context_request_id;
thread_local std::string_view context_method;

std::string Quote(std::string_view v) {
  bool plain = !v.empty();
  for (char c : v) {
    if (c == ' ' || c == '"' || c == '=' || c < 0x21) plain = false;
  }
  if (plain) return std::string(v);
  std::string out = "\"";
  for (char c : v) {
    if (c == '"' || c == '\\') out += '\\';
    out += (c == '\n' ? ' ' : c);
  }
  return out + "\"";
}

std::string TextLine(std::string_view ts, std::string_view level, std::string_view message,
                     std::initializer_list<LogField> fields) {
  std::string line =
      absl::StrFormat("ts=%s level=%s msg=%s", std::string(ts), std::string(level), Quote(message));
  auto add = [&line](std::string_view key, std::string_view value) {
    line += absl::StrFormat(" %s=%s", std::string(key), Quote(value));
  };
  if (!context_request_id.empty()) {
    add("request_id", context_request_id);
    add("method", context_method);
  }
  for (const auto& [key, value] : fields) add(key, value);
  return line;
}

std::string JsonLine(std::string_view ts, std::string_view level, std::string_view message,
                     std::initializer_list<LogField> fields) {
  // ordered_json: the keys in the order they were added (ts, level, msg first), as in text.
  nlohmann::ordered_json line;
  line["ts"] = ts;
  line["level"] = level;
  line["msg"] = message;
  if (!context_request_id.empty()) {
    line["request_id"] = context_request_id;
    line["method"] = context_method;
  }
  for (const auto& [key, value] : fields) line[std::string(key)] = value;
  // A field with invalid UTF-8 (a peer's error text) is written with U+FFFD, never dropped.
  return line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

void Log(std::string_view level, std::string_view message, std::initializer_list<LogField> fields) {
  const std::string ts = absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(), absl::UTCTimeZone());
  std::string line = log_format.load(std::memory_order_relaxed) == LogFormat::kJson
                         ? JsonLine(ts, level, message, fields)
                         : TextLine(ts, level, message, fields);
  line += '\n';
  std::fputs(line.c_str(), stderr);  // one call per line: lines do not interleave
}

}  // namespace

absl::StatusOr<LogFormat> ParseLogFormat(std::string_view name) {
  if (name == "text") return LogFormat::kText;
  if (name == "json") return LogFormat::kJson;
  return absl::InvalidArgumentError(
      absl::StrFormat("log format '%s' is not known; use text or json", std::string(name)));
}

void SetLogFormat(LogFormat format) { log_format.store(format, std::memory_order_relaxed); }

void LogInfo(std::string_view message, std::initializer_list<LogField> fields) {
  Log("info", message, fields);
}
void LogWarning(std::string_view message, std::initializer_list<LogField> fields) {
  Log("warning", message, fields);
}

void LogError(std::string_view message, std::initializer_list<LogField> fields) {
  Log("error", message, fields);
}

ScopedLogContext::ScopedLogContext(std::string_view request_id, std::string_view method)
    : previous_request_id_(context_request_id), previous_method_(context_method) {
  context_request_id = request_id;
  context_method = method;
}

ScopedLogContext::~ScopedLogContext() {
  context_request_id = previous_request_id_;
  context_method = previous_method_;
}

}  // namespace constellation::app
