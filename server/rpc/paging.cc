// server/rpc/paging.cc
#include "server/rpc/paging.h"

#include <utility>

#include <absl/strings/str_format.h>

namespace constellation::rpc {
namespace {

// A token: kTokenMagic, the RPC's name, a zero byte, the key, then a 4-byte FNV-1a checksum of
// everything before it. The checksum is no secret (a token is not a capability: any key is a
// valid place to resume); it tells a token this RPC returned from garbage or another RPC's.
constexpr std::string_view kTokenMagic = "\xC5\x01";
constexpr size_t kChecksumSizeBytes = 4;

std::string Checksum(std::string_view bytes) {
  uint32_t hash = 2166136261u;
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 16777619u;
  }
  std::string out(kChecksumSizeBytes, '\0');
  for (size_t i = 0; i < kChecksumSizeBytes; ++i) {
    out[i] = static_cast<char>((hash >> (8 * (kChecksumSizeBytes - 1 - i))) & 0xFF);
  }
  return out;
}

std::string TokenPrefix(std::string_view rpc) {
  std::string prefix(kTokenMagic);
  prefix.append(rpc);
  prefix.push_back('\0');
  return prefix;
}

}  // namespace

std::string PageKey(uint64_t number, const core::EventId& id) {
  std::string out(8, '\0');
  for (size_t i = 0; i < 8; ++i) out[i] = static_cast<char>((number >> (8 * (7 - i))) & 0xFF);
  out += id.Bytes();
  return out;
}

std::string PageKey(const core::OrderKey& key) { return PageKey(key.depth, key.id); }

absl::StatusOr<ListPage> ListPage::Open(std::string_view rpc, size_t key_size_bytes,
                                        uint32_t page_size, const std::string& page_token) {
  size_t size = page_size == 0 ? limits::kListPageSizeDefault : page_size;
  size = std::min(size, limits::kListPageSizeMax);
  if (page_token.empty()) return ListPage(std::string(rpc), size, "");
  const std::string prefix = TokenPrefix(rpc);
  const std::string_view token = page_token;
  if (token.size() != prefix.size() + key_size_bytes + kChecksumSizeBytes ||
      token.substr(0, prefix.size()) != prefix ||
      token.substr(token.size() - kChecksumSizeBytes) !=
          Checksum(token.substr(0, token.size() - kChecksumSizeBytes))) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "page_token (%d bytes) is not one %s returned; start again with an empty token",
        token.size(), std::string(rpc)));
  }
  return ListPage(std::string(rpc), size, std::string(token.substr(prefix.size(), key_size_bytes)));
}

std::string ListPage::Token(const std::string& key) const {
  std::string token = TokenPrefix(rpc_) + key;
  token += Checksum(token);
  return token;
}

}  // namespace constellation::rpc
