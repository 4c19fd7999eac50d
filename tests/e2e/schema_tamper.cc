// tests/e2e/schema_tamper.cc: a test-only tool for backup_restore_test.sh. It overwrites the
// schema version a stopped node's database records (meta "schema_version", a big-endian u32:
// server/storage/event_store.h), so that the test can show how constellationd refuses a data
// directory or backup of another schema. Never installed.
//   usage: schema_tamper DB_DIR VERSION
#include <cstdio>
#include <memory>
#include <string>

#include <absl/strings/numbers.h>

#include "server/storage/key_codec.h"
#include "server/storage/rocks_store.h"

int main(int argc, char** argv) {
  using namespace constellation::storage;
  uint32_t version = 0;
  if (argc != 3 || !absl::SimpleAtoi(argv[2], &version)) {
    std::fprintf(stderr, "usage: schema_tamper DB_DIR VERSION\n");
    return 2;
  }
  absl::StatusOr<std::unique_ptr<RocksStore>> store = RocksStore::Open(argv[1], {});
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", store.status().ToString().c_str());
    return 1;
  }
  WriteBatch batch;
  std::string value;
  AppendU32(&value, version);
  batch.Put(Column::kMeta, "schema_version", value);
  const absl::Status written = (*store)->Write(batch, WriteOptions{.sync = true});
  if (!written.ok()) {
    std::fprintf(stderr, "%s\n", written.ToString().c_str());
    return 1;
  }
  return 0;
}
