// tests/testing/test_certs.h
//
// TestCa: a certificate authority made for one test with Debian's `openssl` command (no
// hand-written crypto), in the test's temp directory. Issue() signs a certificate usable both
// as a TLS server certificate (SAN IP 127.0.0.1 and DNS localhost) and as a client
// certificate, as one node's certificate serves its server and its calls to peers
// (server/rpc/tls.h). Keys are ECDSA P-256, valid for two days.
// Thread safety: not thread-safe; use from the test's thread.
#pragma once

#include <cstdio>
#include <fstream>
#include <string>

#include <absl/status/status.h>
#include <absl/status/statusor.h>
#include <absl/strings/str_format.h>

namespace constellation::testing {

struct TestCert {
  std::string cert_file;  // PEM certificate
  std::string key_file;   // PEM private key
};

class TestCa {
 public:
  // A new CA named `name` (its files are `dir`/`name`-ca.pem and -ca.key).
  static absl::StatusOr<TestCa> Create(const std::string& dir, const std::string& name) {
    TestCa ca(dir, name);
    ca.ca_.cert_file = absl::StrFormat("%s/%s-ca.pem", dir, name);
    ca.ca_.key_file = absl::StrFormat("%s/%s-ca.key", dir, name);
    absl::Status s = Run(absl::StrFormat(
        "openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes "
        "-keyout '%s' -out '%s' -days 2 -subj '/CN=%s test CA'",
        ca.ca_.key_file, ca.ca_.cert_file, name));
    if (!s.ok()) return s;
    return ca;
  }

  // The CA certificate (what clients and servers are told to trust).
  const std::string& cert_file() const { return ca_.cert_file; }

  // A certificate for `name` signed by this CA, files `dir`/`name`.pem and .key.
  absl::StatusOr<TestCert> Issue(const std::string& name) const {
    TestCert cert{absl::StrFormat("%s/%s.pem", dir_, name), absl::StrFormat("%s/%s.key", dir_, name)};
    const std::string csr = absl::StrFormat("%s/%s.csr", dir_, name);
    const std::string extensions = absl::StrFormat("%s/%s.ext", dir_, name);
    {
      std::ofstream out(extensions, std::ios::trunc);
      out << "basicConstraints=CA:FALSE\n"
             "keyUsage=digitalSignature,keyEncipherment\n"
             "extendedKeyUsage=serverAuth,clientAuth\n"
             "subjectAltName=IP:127.0.0.1,DNS:localhost\n";
      if (!out) return absl::UnavailableError("cannot write " + extensions);
    }
    absl::Status s = Run(absl::StrFormat(
        "openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout '%s' "
        "-out '%s' -subj '/CN=%s'",
        cert.key_file, csr, name));
    if (!s.ok()) return s;
    s = Run(absl::StrFormat(
        "openssl x509 -req -in '%s' -CA '%s' -CAkey '%s' -CAcreateserial -CAserial '%s/%s-ca.srl' "
        "-out '%s' -days 2 -extfile '%s'",
        csr, ca_.cert_file, ca_.key_file, dir_, name_, cert.cert_file, extensions));
    if (!s.ok()) return s;
    return cert;
  }

 private:
  TestCa(std::string dir, std::string name) : dir_(std::move(dir)), name_(std::move(name)) {}

  // Runs a shell command; its output goes into the error when it fails.
  static absl::Status Run(const std::string& command) {
    FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
    if (pipe == nullptr) return absl::UnavailableError("cannot run: " + command);
    std::string output;
    char buffer[512];
    while (size_t n = std::fread(buffer, 1, sizeof(buffer), pipe)) output.append(buffer, n);
    const int status = ::pclose(pipe);
    if (status != 0) {
      return absl::UnavailableError(absl::StrFormat(
          "'%s' failed (is Debian's openssl installed? deploy/install-deps.sh): %s", command,
          output));
    }
    return absl::OkStatus();
  }

  std::string dir_;
  std::string name_;
  TestCert ca_;
};

}  // namespace constellation::testing
