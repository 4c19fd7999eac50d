// server/app/log.h
//
// Structured logs: one line per record on stderr, so operators can grep and ship them
// (docs/OPERATIONS.md, Logs). Two formats, chosen once at start (`--log-format`, config
// [log] format):
//   text (default): logfmt, `ts=... level=... msg="..." key=value ...`
//   json: one JSON object per line, {"ts":...,"level":...,"msg":...,"key":"value",...}
// A line logged on a thread that serves an RPC (inside a ScopedLogContext) carries that RPC's
// `request_id` and `method` too. Never pass a secret (org key, token secret) as a field.
// Thread-safe: SetLogFormat is called once, before other threads log; each line is written
// with one call, so lines of different threads do not interleave.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

#include <absl/status/statusor.h>

namespace constellation::app {

using LogField = std::pair<std::string_view, std::string>;

enum class LogFormat { kText, kJson };

// "text" or "json"; kInvalidArgument naming the accepted values otherwise.
absl::StatusOr<LogFormat> ParseLogFormat(std::string_view name);
// Call before any other thread logs (constellationd run does it first thing).
void SetLogFormat(LogFormat format);

void LogInfo(std::string_view message, std::initializer_list<LogField> fields = {});
void LogWarning(std::string_view message, std::initializer_list<LogField> fields = {});
void LogError(std::string_view message, std::initializer_list<LogField> fields = {});

// While it lives, every line logged on this thread carries request_id and method (the RPC the
// thread serves). Nests: the previous context returns at destruction.
class ScopedLogContext {
 public:
  ScopedLogContext(std::string_view request_id, std::string_view method);
  ~ScopedLogContext();
  ScopedLogContext(const ScopedLogContext&) = delete;
  ScopedLogContext& operator=(const ScopedLogContext&) = delete;

 private:
  std::string_view previous_request_id_;
  std::string_view previous_method_;
};

}  // namespace constellation::app
