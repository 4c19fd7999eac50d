// server/rpc/paging.h
//
// The paging of list RPCs (client.proto "Paged lists", docs/PROTOCOL.md): one place for the
// mechanics every paged list shares, so that a domain's handler says only its ordering key.
//   - A page holds at most the request's page_size items (0: limits::kListPageSizeDefault,
//     lowered to limits::kListPageSizeMax) and ends early once its views reach
//     limits::kListPageBytesMax; the item that crosses it is the page's last, so an answer is
//     at most that plus one view (limits.h asserts it fits a message).
//   - Resume is by key, not by offset: a token holds the RPC's name, the sort key of the last
//     item returned and a checksum; the next page starts after that key. Items that exist
//     throughout a listing therefore appear exactly once whatever is added or removed between
//     pages.
//   - Views are built only for the items of the page (Fill calls `add` for those alone).
// Thread safety: ListPage is a value used by one handler on the apply loop; the functions are
// pure.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include <absl/status/status.h>
#include <absl/status/statusor.h>

#include "server/base/limits.h"
#include "server/base/status_macros.h"
#include "server/core/dag.h"
#include "server/core/ids.h"

namespace constellation::rpc {

// The sort key of an item of a paged list, encoded so that the bytewise order of keys is the
// list's order: an id as its 32 bytes, a canonical order key (DESIGN §3) as the depth in 8
// big-endian bytes followed by the id.
inline constexpr size_t kIdPageKeySizeBytes = limits::kIdSizeBytes;
inline constexpr size_t kOrderPageKeySizeBytes = 8 + limits::kIdSizeBytes;
std::string PageKey(const core::OrderKey& key);
// A number (a time, a due date) in 8 big-endian bytes followed by an id: lists ordered by
// (number, id), e.g. convenings by scheduled time. kOrderPageKeySizeBytes long.
std::string PageKey(uint64_t number, const core::EventId& id);
template <typename Tag>
std::string PageKey(const core::Id32<Tag>& id) {
  return id.Bytes();
}

// Sets `*slot` (a view just added to an answer's list) to `view`; returns its size in bytes,
// what ListPage::Fill's `add` returns.
template <typename View>
size_t Appended(View* slot, View view) {
  *slot = std::move(view);
  return slot->ByteSizeLong();
}

// One page of a list RPC, filled on the apply loop.
class ListPage {
 public:
  // The page a request asks for: `page_size` items (see the file comment) after the key that
  // `page_token` holds (empty: from the first item). `rpc` names the RPC, whose sort keys are
  // `key_size_bytes` long. kInvalidArgument "page_token ... is not one <rpc> returned; start
  // again with an empty token" for any other token (another RPC's, or altered).
  static absl::StatusOr<ListPage> Open(std::string_view rpc, size_t key_size_bytes,
                                       uint32_t page_size, const std::string& page_token);

  // Fills the page from [first, last), a range in ascending order of `key(item)` (PageKey):
  // skips the items whose key is at or before the token's, then, while the page has room,
  // calls `add(item)`, which appends the item's view to the answer and returns the view's
  // size in bytes (or an error, returned as is). Returns the answer's next_page_token: empty
  // when no item follows the page's last.
  template <typename It, typename Key, typename Add>
  absl::StatusOr<std::string> Fill(It first, It last, Key key, Add add) const {
    if (!after_key_.empty()) {
      first = std::partition_point(first, last,
                                   [&](const auto& item) { return key(item) <= after_key_; });
    }
    size_t count = 0;
    size_t bytes = 0;
    std::string last_key;
    for (; first != last; ++first) {
      if (count == size_ || bytes >= limits::kListPageBytesMax) return Token(last_key);
      CONSTELLATION_ASSIGN_OR_RETURN(const size_t view_bytes, absl::StatusOr<size_t>(add(*first)));
      ++count;
      bytes += view_bytes + kItemFramingBytes;
      last_key = key(*first);
    }
    return std::string();
  }

  size_t size() const { return size_; }

 private:
  // A repeated message field's tag and length prefix, at most.
  static constexpr size_t kItemFramingBytes = 8;

  ListPage(std::string rpc, size_t size, std::string after_key)
      : rpc_(std::move(rpc)), size_(size), after_key_(std::move(after_key)) {}

  // The token that resumes after `key`.
  std::string Token(const std::string& key) const;

  std::string rpc_;
  size_t size_;
  std::string after_key_;  // empty: the first page
};

}  // namespace constellation::rpc
