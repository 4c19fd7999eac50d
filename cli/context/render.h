// cli/context/render.h
//
// How contexts print (conventions in cli/render.h). Tokens are never printed whole: tables show
// them masked, JSON only says whether one is set.
// Thread safety: pure functions and constant data.
#pragma once

#include <string>

#include "cli/config.h"
#include "cli/output.h"
#include "cli/render.h"

namespace constellation::cli {

// One context of the config file, as `context list` shows it.
struct ContextEntry {
  std::string name;
  Context context;
  bool current = false;
};

extern const RecordFormat<ContextEntry> kContextFormat;

// After `context set`: the context, masked token, whether it is current, the config file.
Output ContextSetOutput(const ContextEntry& entry, const std::string& config_path);
// `context show`: where commands connect now and where each value comes from.
Output ConnectionOutput(const Connection& connection, const std::string& config_path);

}  // namespace constellation::cli
