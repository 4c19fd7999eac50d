// sdk/src/paging.h
//
// The paged list calls of the client API (client.proto "Paged lists"), the same for every
// domain: PageCall reads one page (the List*Page methods), DrainPages reads every page and
// returns the whole list (the List* methods, so that their callers keep working however long
// the list grows). Page tokens are opaque bytes on the wire and lowercase hex in the SDK.
// Thread safety: reentrant, as UnaryCall.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <absl/status/status.h>
#include <absl/status/statusor.h>
#include <absl/strings/escaping.h>
#include <absl/strings/str_format.h>
#include <constellation/common.h>

#include "sdk/src/hex.h"
#include "sdk/src/unary_call.h"

namespace constellation::internal {

// The bytes of a page token given in hex. kInvalidArgument when it is not hex.
inline absl::StatusOr<std::string> DecodePageToken(std::string_view hex) {
  const bool valid = hex.size() % 2 == 0 &&
                     hex.find_first_not_of("0123456789abcdefABCDEF") == std::string_view::npos;
  if (!valid) {
    return absl::InvalidArgumentError(
        "page_token is not one a list call returned; start again with an empty token");
  }
  return absl::HexStringToBytes(absl::string_view(hex.data(), hex.size()));
}

// Reads the page `page` names of the list `method` answers to `request` (its paging fields
// set here), decoding the items with `decode` (the domain's FromProto of the response).
// Errors: kInvalidArgument for a bad token, else the call's.
template <typename Item, typename Stub, typename Request, typename Response>
absl::StatusOr<Page<Item>> PageCall(ClientCore& core, std::string_view name,
                                    UnaryMethod<Stub, Request, Response> method, Request request,
                                    const PageOptions& page,
                                    std::vector<Item> (*decode)(const Response&)) {
  absl::StatusOr<std::string> token = DecodePageToken(page.page_token);
  if (!token.ok()) return token.status();
  request.set_page_size(page.page_size);
  request.set_page_token(*std::move(token));
  absl::StatusOr<Response> response = UnaryCall(core, name, method, request);
  if (!response.ok()) return response.status();
  return Page<Item>{decode(*response), HexEncode(response->next_page_token())};
}

// Every item of the list, page after page (each page one call, with the call policy of
// UnaryCall). kInternal if the node answers a token with itself (no progress).
template <typename Item, typename Stub, typename Request, typename Response>
absl::StatusOr<std::vector<Item>> DrainPages(ClientCore& core, std::string_view name,
                                             UnaryMethod<Stub, Request, Response> method,
                                             Request request,
                                             std::vector<Item> (*decode)(const Response&)) {
  std::vector<Item> items;
  PageOptions page;
  do {
    absl::StatusOr<Page<Item>> next = PageCall<Item>(core, name, method, request, page, decode);
    if (!next.ok()) return next.status();
    if (!next->next_page_token.empty() && next->next_page_token == page.page_token) {
      return absl::InternalError(absl::StrFormat(
          "%s returned the page token it was given; the node does not advance", name));
    }
    for (Item& item : next->items) items.push_back(std::move(item));
    page.page_token = std::move(next->next_page_token);
  } while (!page.page_token.empty());
  return items;
}

}  // namespace constellation::internal
