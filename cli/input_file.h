// cli/input_file.h
//
// Reading a file a command was given (minutes, a strategy draft, a pledge book), or standard
// input for "-", with the same errors everywhere.
// Thread safety: reads std::cin for "-"; otherwise reentrant.
#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <string_view>

#include <absl/status/statusor.h>

namespace constellation::cli {

// The bytes of the file `path` ("-": standard input), at most `size_bytes_max` of them (a
// caller that refuses longer input reads one byte more than it accepts, so that it can say so).
// `flag` names where the path came from in messages ("--file", "FILE"). kNotFound when the file
// does not exist, kInvalidArgument when it cannot be read (with the reason).
absl::StatusOr<std::string> ReadInputFile(
    const std::string& path, std::string_view flag,
    size_t size_bytes_max = std::numeric_limits<size_t>::max());

}  // namespace constellation::cli
