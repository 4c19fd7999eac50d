// cli/input_file.cc
#include "cli/input_file.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>

#include <absl/status/status.h>
#include <absl/strings/str_format.h>

namespace constellation::cli {

absl::StatusOr<std::string> ReadInputFile(const std::string& path, std::string_view flag,
                                          size_t size_bytes_max) {
  std::ifstream file;
  std::istream* in = &std::cin;
  if (path != "-") {
    file.open(path, std::ios::binary);
    if (!file) {
      const std::string reason = std::strerror(errno);
      if (errno == ENOENT) {
        return absl::NotFoundError(absl::StrFormat("%s '%s' does not exist", flag, path));
      }
      return absl::InvalidArgumentError(
          absl::StrFormat("%s '%s' cannot be read: %s", flag, path, reason));
    }
    in = &file;
  }
  std::string text;
  char buffer[64 * 1024];
  while (text.size() < size_bytes_max && in->read(buffer, sizeof buffer).gcount() > 0) {
    text.append(buffer, std::min(static_cast<size_t>(in->gcount()), size_bytes_max - text.size()));
  }
  if (in->bad()) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s '%s' cannot be read: %s", flag, path, std::strerror(errno)));
  }
  return text;
}

}  // namespace constellation::cli
