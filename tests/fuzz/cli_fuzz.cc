// tests/fuzz/cli_fuzz.cc
//
// Fuzz target: what the CLI parses from people and files (cli/args.h, cli/config.h,
// cli/values.h). The first byte chooses the parser; the rest is its input:
//   0: the command line, arguments separated by NUL bytes, against the real command table;
//   1: a config file (TOML; contexts, tokens, endpoints);
//   2: a money amount "AMOUNT CURRENCY" (ParseMoney), 3: a date or instant, 4: an installment
//      "DATE=AMOUNT", 5: a restriction, 6: -o and --timeout values.
// Property: no input crashes or hangs a parser; errors are statuses.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <absl/strings/str_split.h>
#include <absl/time/time.h>

#include "cli/args.h"
#include "cli/commands.h"
#include "cli/config.h"
#include "cli/values.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace constellation::cli;
  if (size == 0) return 0;
  const std::string rest(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (data[0] % 7) {
    case 0: {
      std::vector<std::string> args = absl::StrSplit(rest, '\0');
      (void)ParseArgs(args, AllCommandSpecs());
      break;
    }
    case 1:
      (void)ParseConfig(rest, "fuzz.toml");
      break;
    case 2: {
      std::vector<std::string> parts = absl::StrSplit(rest, absl::MaxSplits(' ', 1));
      parts.resize(2);
      (void)ParseMoney(parts[0], parts[1], "--amount");
      break;
    }
    case 3:
      (void)ParseDateMs(rest, "--date");
      (void)ParseInstantMs(rest, "--deadline", absl::FromUnixSeconds(1'800'000'000));
      break;
    case 4:
      (void)ParseInstallment(rest, "EUR");
      break;
    case 5:
      (void)ParseRestriction(rest);
      break;
    case 6:
      (void)ParseOutputFormat(rest);
      (void)ParseTimeout(rest);
      break;
  }
  return 0;
}
