// server/app/init.h
//
// Creates a node's data directory (what `constellationd init` does): the org key (mode 0600),
// the database with its schema, the config file and the first admin token.
#pragma once

#include <string>
#include <vector>

#include <absl/status/statusor.h>

#include "server/core/ids.h"

namespace constellation::app {

struct InitOptions {
  std::string data_dir;
  std::string org_name;
  std::string listen = "127.0.0.1:7400";
  std::vector<std::string> advertise;
};

struct InitResult {
  core::OrgKey org_key;
  std::string data_dir;  // absolute
  std::string config_path;
  std::string admin_token;  // the secret; shown once
};

// Errors: kInvalidArgument (missing dir or name), kAlreadyExists (the directory already holds
// a node: nothing is touched), kUnavailable (I/O).
absl::StatusOr<InitResult> InitDataDir(const InitOptions& options);

}  // namespace constellation::app
