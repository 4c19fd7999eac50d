// server/storage/store.cc
//
// The implementation-independent parts of the storage port (store.h).
#include "server/storage/store.h"

#include <string>
#include <string_view>

#include <absl/status/status.h>
#include <absl/strings/escaping.h>
#include <absl/strings/match.h>
#include <absl/strings/str_format.h>

#include "server/base/check.h"

namespace constellation::storage {

std::string_view ColumnName(Column column) {
  static constexpr std::string_view kNames[] = {"events", "by_id",   "frontier", "pending",
                                                "forks",  "order",   "state",    "history",
                                                "checkpoints", "meta"};
  static_assert(std::size(kNames) == kColumnCount);
  const auto i = static_cast<size_t>(column);
  // Only reachable with a value cast from an out-of-range integer: a programmer error.
  CONSTELLATION_CHECK(i < std::size(kNames));
  return kNames[i];
}

namespace {
constexpr char kDiskFullPrefix[] = "disk full: ";
}  // namespace

absl::Status DiskFullError(std::string_view detail) {
  return absl::UnavailableError(absl::StrFormat("%s%s", kDiskFullPrefix, detail));
}

bool IsDiskFull(const absl::Status& status) {
  return status.code() == absl::StatusCode::kUnavailable &&
         absl::StartsWith(status.message(), kDiskFullPrefix);
}

void WriteBatch::Put(Column column, std::string_view key, std::string_view value) {
  ops_.push_back(Op{OpKind::kPut, column, std::string(key), std::string(value)});
  byte_size_ += key.size() + value.size();
}

void WriteBatch::Delete(Column column, std::string_view key) {
  ops_.push_back(Op{OpKind::kDelete, column, std::string(key), std::string()});
  byte_size_ += key.size();
}

void WriteBatch::Clear() {
  ops_.clear();
  byte_size_ = 0;
}

absl::Status Store::ScanPrefix(Column column, std::string_view prefix, const ScanFn& fn) const {
  // An all-0xff (or empty) prefix has no upper bound: "" means "to the end of the column".
  return Scan(column, prefix, PrefixUpperBound(prefix), fn);
}

absl::Status KeyNotFoundError(Column column, std::string_view key) {
  return absl::NotFoundError(
      absl::StrFormat("column %s has no key \"%s\"", ColumnName(column),
                      absl::CHexEscape(absl::string_view(key.data(), key.size()))));
}

std::string PrefixUpperBound(std::string_view prefix) {
  // Drop trailing 0xff bytes (they cannot be incremented), then increment the last byte left.
  std::string bound(prefix);
  while (!bound.empty() && static_cast<unsigned char>(bound.back()) == 0xff) {
    bound.pop_back();
  }
  if (!bound.empty()) {
    bound.back() = static_cast<char>(static_cast<unsigned char>(bound.back()) + 1);
  }
  return bound;
}

}  // namespace constellation::storage
