#include "server/app/keyfile.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <absl/strings/str_format.h>

#include "server/base/status_macros.h"

namespace constellation::app {

absl::StatusOr<core::SigningKey> CreateKeyFile(const std::string& path) {
  if (sodium_init() < 0) return absl::InternalError("libsodium failed to initialise");
  std::string seed(core::kSeedSizeBytes, '\0');
  randombytes_buf(seed.data(), seed.size());
  CONSTELLATION_ASSIGN_OR_RETURN(core::SigningKey key, core::SigningKey::FromSeed(seed));
  std::string hex(2 * seed.size() + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), reinterpret_cast<const unsigned char*>(seed.data()),
                 seed.size());
  hex.back() = '\n';
  sodium_memzero(seed.data(), seed.size());

  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) {
      return absl::AlreadyExistsError(
          absl::StrFormat("%s already exists; refusing to overwrite an org key", path));
    }
    return absl::UnavailableError(
        absl::StrFormat("cannot create %s: %s", path, std::strerror(errno)));
  }
  bool ok =
      ::write(fd, hex.data(), hex.size()) == static_cast<ssize_t>(hex.size()) && ::fsync(fd) == 0;
  ::close(fd);
  sodium_memzero(hex.data(), hex.size());
  if (!ok) return absl::UnavailableError(absl::StrFormat("cannot write %s", path));
  return key;
}

absl::StatusOr<core::SigningKey> ReadKeyFile(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    return absl::NotFoundError(absl::StrFormat(
        "org key %s not found; run 'constellationd init' to create the node", path));
  }
  if ((st.st_mode & 077) != 0) {
    return absl::FailedPreconditionError(
        absl::StrFormat("org key %s is readable by other users (mode %o); run 'chmod 600 %s'", path,
                        st.st_mode & 0777, path));
  }
  std::ifstream in(path);
  std::string hex;
  std::getline(in, hex);
  std::string seed(core::kSeedSizeBytes, '\0');
  size_t len = 0;
  if (hex.size() != 2 * core::kSeedSizeBytes ||
      sodium_hex2bin(reinterpret_cast<unsigned char*>(seed.data()), seed.size(), hex.data(),
                     hex.size(), nullptr, &len, nullptr) != 0 ||
      len != core::kSeedSizeBytes) {
    return absl::DataLossError(
        absl::StrFormat("org key %s is malformed: expected 64 hex characters", path));
  }
  absl::StatusOr<core::SigningKey> key = core::SigningKey::FromSeed(seed);
  sodium_memzero(seed.data(), seed.size());
  return key;
}

}  // namespace constellation::app
