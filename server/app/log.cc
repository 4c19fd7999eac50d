#include "server/app/log.h"

#include <cstdio>

#include <absl/strings/str_format.h>
#include <absl/time/clock.h>
#include <absl/time/time.h>

namespace constellation::app {
namespace {

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

void Log(std::string_view level, std::string_view message, std::initializer_list<LogField> fields) {
  std::string line =
      absl::StrFormat("ts=%s level=%s msg=%s",
                      absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(), absl::UTCTimeZone()),
                      std::string(level), Quote(message));
  for (const auto& [key, value] : fields) {
    line += absl::StrFormat(" %s=%s", std::string(key), Quote(value));
  }
  line += '\n';
  std::fputs(line.c_str(), stderr);  // one call per line: lines do not interleave
}

}  // namespace

void LogInfo(std::string_view message, std::initializer_list<LogField> fields) {
  Log("info", message, fields);
}
void LogWarning(std::string_view message, std::initializer_list<LogField> fields) {
  Log("warning", message, fields);
}

void LogError(std::string_view message, std::initializer_list<LogField> fields) {
  Log("error", message, fields);
}

}  // namespace constellation::app
