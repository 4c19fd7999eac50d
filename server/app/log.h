// server/app/log.h
//
// Structured logs: one line per record on stderr, `ts=... level=... msg="..." key=value ...`
// (logfmt), so operators can grep and ship them. Thread-safe.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace constellation::app {

using LogField = std::pair<std::string_view, std::string>;

void LogInfo(std::string_view message, std::initializer_list<LogField> fields = {});
void LogWarning(std::string_view message, std::initializer_list<LogField> fields = {});
void LogError(std::string_view message, std::initializer_list<LogField> fields = {});

}  // namespace constellation::app
