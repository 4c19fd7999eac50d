#include "server/app/init.h"

#include <sys/stat.h>

#include <filesystem>

#include <absl/strings/str_format.h>

#include "server/app/config.h"
#include "server/app/keyfile.h"
#include "server/app/node.h"
#include "server/base/status_macros.h"
#include "server/storage/event_store.h"
#include "server/storage/rocks_store.h"

namespace constellation::app {

absl::StatusOr<InitResult> InitDataDir(const InitOptions& options) {
  const std::string& dir = options.data_dir;
  if (dir.empty()) return absl::InvalidArgumentError("init needs a data directory (--data-dir)");
  if (options.org_name.empty()) {
    return absl::InvalidArgumentError("init needs the organisation's name (--name)");
  }
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    return absl::UnavailableError(absl::StrFormat("cannot create %s: %s", dir, ec.message()));
  }
  ::chmod(dir.c_str(), 0700);
  if (std::filesystem::exists(dir + "/org.key") || std::filesystem::exists(dir + "/db")) {
    return absl::AlreadyExistsError(absl::StrFormat(
        "%s already holds a node; use 'constellationd run --data-dir %s' or choose another "
        "directory",
        dir, dir));
  }
  CONSTELLATION_ASSIGN_OR_RETURN(core::SigningKey key, CreateKeyFile(dir + "/org.key"));

  InitResult result;
  result.org_key = key.public_key();
  result.data_dir = std::filesystem::absolute(dir).lexically_normal().string();
  result.config_path = dir + "/" + kConfigFileName;
  Config config;
  config.data_dir = result.data_dir;
  config.org_name = options.org_name;
  config.listen = options.listen;
  config.advertise = options.advertise;
  CONSTELLATION_RETURN_IF_ERROR(WriteConfig(config, result.config_path));

  IssuedToken admin = IssueToken(rpc::Role::kAdmin, "created by init", {}, SystemNowMs());
  CONSTELLATION_ASSIGN_OR_RETURN(
      std::unique_ptr<storage::RocksStore> store,
      storage::RocksStore::Open(dir + "/db", storage::RocksStoreOptions{}));
  CONSTELLATION_RETURN_IF_ERROR(storage::InitSchema(*store));
  storage::WriteBatch batch;
  storage::StageToken(&batch, admin.secret_hash_hex, admin.info);
  CONSTELLATION_RETURN_IF_ERROR(store->Write(batch, storage::WriteOptions{.sync = true}));
  result.admin_token = admin.secret;
  return result;
}

}  // namespace constellation::app
