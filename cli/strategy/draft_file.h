// cli/strategy/draft_file.h
//
// The TOML file `constellation strategy draft --from FILE` reads: one strategy version with its
// goals and indicators (docs/USER_GUIDE.md, "Shared strategy", shows an example):
//
//   document = "strategic_plan"          # common_agenda | guiding_principles |
//                                        # terms_of_reference | strategic_plan
//   title = "Plan 2027"
//   based_on = "<version id>"            # optional: the full id of the version it changes
//   content = """..."""                  # the text (markdown is fine)
//   [[indicators]]
//   key = "households-reached"           # unique in the version
//   name = "Households reached"
//   definition = "..."                   # optional
//   unit = "households"
//   level = "early"                      # early | intermediate | long_term
//   baseline = 0
//   target = 500
//   frequency = "quarterly"              # monthly | quarterly | semiannual | annual
//   owner = "<org key>"                  # optional: the member that owns it
//   [[goals]]
//   key = "reach"
//   text = "Reach every household in the valley"
//   indicators = ["households-reached"]  # keys of indicators above
//
// Unknown keys and wrong types are errors (kInvalidArgument naming the file, line and key), so a
// typo never silently drops a field. Values are checked by the node (sizes, enums, ids).
// Thread safety: pure functions.
#pragma once

#include <string>

#include <absl/status/statusor.h>
#include <constellation/strategy.h>

namespace constellation::cli {

// Parses `text` (the contents of `origin`, a path for messages).
absl::StatusOr<StrategyDraft> ParseDraftToml(const std::string& text, const std::string& origin);

// Reads and parses the file at `path` ("-": standard input). kNotFound when it does not exist.
absl::StatusOr<StrategyDraft> ReadDraftFile(const std::string& path);

}  // namespace constellation::cli
