// sdk/src/group/watch_revision.cc: WatchRevision's text form (group.h).
#include <charconv>
#include <string_view>
#include <string>
#include <vector>

#include <absl/status/status.h>
#include <absl/strings/str_format.h>
#include <absl/strings/str_join.h>
#include <constellation/group.h>

#include "sdk/src/hex.h"

namespace constellation {

std::string WatchRevision::ToString() const {
  std::vector<std::string> entries;
  for (const auto& [author, seq] : seqs) entries.push_back(absl::StrFormat("%s:%d", author, seq));
  return absl::StrJoin(entries, ",");
}

absl::StatusOr<WatchRevision> WatchRevision::Parse(std::string_view text) {
  WatchRevision out;
  if (text.empty()) return out;
  // Debian's abseil has its own string_view: split by hand.
  std::vector<std::string_view> entries;
  for (size_t start = 0;;) {
    const size_t comma = text.find(',', start);
    entries.push_back(text.substr(start, comma == std::string_view::npos ? comma : comma - start));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  for (std::string_view entry : entries) {
    const size_t colon = entry.find(':');
    auto bad = [&](std::string_view why) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "revision entry \"%s\" %s; a revision is \"<author hex>:<seq>\" entries joined by "
          "\",\", as a watch prints it",
          std::string(entry), std::string(why)));
    };
    if (colon == std::string_view::npos) return bad("has no ':'");
    const std::string_view author = entry.substr(0, colon);
    const std::string_view seq_text = entry.substr(colon + 1);
    std::string raw;
    if (!internal::DecodeId(author, "author", &raw).ok()) {
      return bad("does not start with an org key (64 hex characters)");
    }
    uint64_t seq = 0;
    auto [end, error] = std::from_chars(seq_text.data(), seq_text.data() + seq_text.size(), seq);
    if (error != std::errc() || end != seq_text.data() + seq_text.size() || seq == 0) {
      return bad("does not end with a positive seq");
    }
    if (!out.seqs.emplace(internal::HexEncode(raw), seq).second) {
      return bad("names its author twice");
    }
  }
  return out;
}

}  // namespace constellation
