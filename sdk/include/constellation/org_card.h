// sdk/include/constellation/org_card.h
//
// Org cards (DESIGN §4) and their text form: what an organisation exports with
// `constellation org card --out card.json` and another organisation's coordinator reads to
// propose admitting it (`constellation proposal admit --card card.json`). The form is one JSON
// object:
//
//   {
//     "key": "<64 lowercase hex characters: the org's Ed25519 public key>",
//     "name": "River Trust",
//     "endpoints": ["10.0.0.7:7400"]
//   }
//
// Reading accepts the key in either case, whitespace anywhere JSON allows it, and ignores keys
// it does not know (so that later versions may add some); "name" and "endpoints" may be absent.
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <absl/status/statusor.h>

namespace constellation {

// What an organisation exports so that a group's member can propose admitting it (DESIGN §4):
// Client::GetOrgCard returns this node's card, and an ADMIT proposal carries the invitee's.
struct OrgCard {
  std::string key;  // hex Ed25519 public key: the org's identity
  std::string name;
  std::vector<std::string> endpoints;  // host:port of its node
};

// Largest card text OrgCardFromJson reads.
inline constexpr size_t kOrgCardJsonSizeBytesMax = 64 * 1024;

// The card as JSON text (two-space indent, keys in the order above, ending without a newline).
// Strings are escaped as JSON requires; the text is valid UTF-8 when the card's strings are.
std::string OrgCardToJson(const OrgCard& card);

// Parses the text form. kInvalidArgument naming what is wrong: not JSON (with the position),
// not an object, a missing or malformed "key", a "name" that is not a string, "endpoints"
// that is not an array of strings, or text above kOrgCardJsonSizeBytesMax. The key comes back
// in lower case.
absl::StatusOr<OrgCard> OrgCardFromJson(std::string_view json);

}  // namespace constellation
