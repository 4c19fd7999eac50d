// tests/unit/node_config_test.cc
//
// constellationd's config file is strict (issue 12): an unknown or misspelt key, in any
// section or at the top level, and a value of the wrong type are errors that name the key and
// the line of the file. The [tls] section parses into rpc::TlsOptions and round-trips through
// WriteConfig; rpc/tls.h checks that its keys fit together.
#include <fstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "server/app/config.h"
#include "server/rpc/tls.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace constellation::app {
namespace {

using ::constellation::testing::StatusIs;
using ::constellation::testing::TempDir;
using ::testing::AllOf;
using ::testing::HasSubstr;

constexpr char kOrigin[] = "/etc/constellation/constellationd.toml";

absl::StatusOr<Config> Parse(const std::string& text) { return ParseConfig(text, kOrigin); }

TEST(NodeConfigTest, EveryKnownKeyParses) {
  ASSERT_OK_AND_ASSIGN(Config c, Parse(R"([node]
data_dir = "/var/lib/constellation"
listen = "0.0.0.0:7400"
advertise = ["a.example:7400", "b.example:7400"]
[org]
name = "Riverside Food Bank"
[replication]
anti_entropy_interval_ms = 250
[tls]
cert_file = "node.pem"
key_file = "node.key"
client_ca_file = "clients-ca.pem"
require_client_cert = true
ca_file = "peers-ca.pem"
)"));
  EXPECT_EQ(c.data_dir, "/var/lib/constellation");
  EXPECT_EQ(c.listen, "0.0.0.0:7400");
  EXPECT_EQ(c.advertise, (std::vector<std::string>{"a.example:7400", "b.example:7400"}));
  EXPECT_EQ(c.org_name, "Riverside Food Bank");
  EXPECT_EQ(c.anti_entropy_interval_ms, 250u);
  EXPECT_EQ(c.tls.cert_file, "node.pem");
  EXPECT_EQ(c.tls.key_file, "node.key");
  EXPECT_EQ(c.tls.client_ca_file, "clients-ca.pem");
  EXPECT_TRUE(c.tls.require_client_cert);
  EXPECT_EQ(c.tls.ca_file, "peers-ca.pem");
}

TEST(NodeConfigTest, UnknownKeyIsNamedWithItsLine) {
  EXPECT_THAT(Parse("[node]\nlisten = \"127.0.0.1:7400\"\n\n[tls]\ncert_fle = \"node.pem\"\n"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr(kOrigin), HasSubstr("line 5"),
                             HasSubstr("unknown key 'tls.cert_fle'"),
                             HasSubstr("known keys in [tls]: cert_file, key_file"))));
}

TEST(NodeConfigTest, UnknownKeyInEverySectionIsRefused) {
  for (const std::string section : {"node", "org", "replication", "tls"}) {
    SCOPED_TRACE(section);
    EXPECT_THAT(Parse("[" + section + "]\nbogus = 1\n"),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         AllOf(HasSubstr("line 2"), HasSubstr("'" + section + ".bogus'"))));
  }
}

TEST(NodeConfigTest, KeyInTheWrongPlaceSuggestsWhereItBelongs) {
  EXPECT_THAT(Parse("# comment\nlisten = \"127.0.0.1:7400\"\n"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("line 2"), HasSubstr("unknown key 'listen'"),
                             HasSubstr("did you mean 'node.listen'?"))));
  EXPECT_THAT(Parse("[org]\nname = \"R\"\nlisten = \"127.0.0.1:7400\"\n"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("line 3"), HasSubstr("'org.listen'"),
                             HasSubstr("'node.listen'"))));
}

TEST(NodeConfigTest, UnknownSectionIsNamedWithItsLine) {
  EXPECT_THAT(Parse("[org]\nname = \"R\"\n[replicaton]\nanti_entropy_interval_ms = 500\n"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("line 3"), HasSubstr("unknown section [replicaton]"),
                             HasSubstr("known sections: node, org, replication, tls"))));
}

TEST(NodeConfigTest, WrongTypeNamesKeyLineAndExpectedType) {
  struct Case {
    std::string text;
    std::string message;
  };
  for (const Case& c : {
           Case{"[node]\n\nlisten = 7400\n", "line 3: node.listen must be a string, not an integer"},
           Case{"[node]\nadvertise = \"a:1\"\n",
                "line 2: node.advertise must be a list of strings, not a string"},
           Case{"[node]\nadvertise = [\"a:1\",\n  2]\n",
                "line 3: node.advertise must be a list of strings, not an integer"},
           Case{"[tls]\nrequire_client_cert = \"yes\"\n",
                "line 2: tls.require_client_cert must be a boolean (true or false), not a string"},
           Case{"[replication]\nanti_entropy_interval_ms = 2.5\n",
                "line 2: replication.anti_entropy_interval_ms must be an integer from 100 to "
                "3600000 (ms), not a number with a fraction"},
           Case{"[replication]\nanti_entropy_interval_ms = 99\n",
                "line 2: replication.anti_entropy_interval_ms must be an integer from 100 to "
                "3600000 (ms), not 99"},
           Case{"[org]\nname = { first = \"R\" }\n", "line 2: org.name must be a string"},
       }) {
    SCOPED_TRACE(c.text);
    EXPECT_THAT(Parse(c.text), StatusIs(absl::StatusCode::kInvalidArgument,
                                        AllOf(HasSubstr(kOrigin), HasSubstr(c.message))));
  }
}

TEST(NodeConfigTest, SyntaxErrorNamesTheLine) {
  EXPECT_THAT(Parse("[node]\nlisten = \"127.0.0.1:7400\n"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("line 2")));
}

TEST(NodeConfigTest, LoadConfigNamesTheFile) {
  TempDir dir;
  const std::string path = dir.Sub(kConfigFileName);
  EXPECT_THAT(LoadConfig(path), StatusIs(absl::StatusCode::kNotFound, HasSubstr(path)));
  Config written;
  written.org_name = "Riverside";
  ASSERT_OK(WriteConfig(written, path));
  {
    std::ofstream out(path, std::ios::app);
    out << "[telemetry]\nendpoint = \"127.0.0.1:9400\"\n";
  }
  EXPECT_THAT(LoadConfig(path), StatusIs(absl::StatusCode::kInvalidArgument,
                                         AllOf(HasSubstr(path), HasSubstr("[telemetry]"))));
}

TEST(NodeConfigTest, TlsRoundTripsAndIsOmittedWhenEmpty) {
  TempDir dir;
  const std::string path = dir.Sub(kConfigFileName);
  Config plain;
  ASSERT_OK(WriteConfig(plain, path));
  ASSERT_OK_AND_ASSIGN(Config plain_back, LoadConfig(path));
  EXPECT_FALSE(plain_back.tls.serves_tls());
  EXPECT_FALSE(plain_back.tls.calls_peers_over_tls());

  Config c;
  c.tls.cert_file = "/etc/constellation/node.pem";
  c.tls.key_file = "/etc/constellation/node.key";
  c.tls.client_ca_file = "/etc/constellation/ca.pem";
  c.tls.require_client_cert = true;
  c.tls.ca_file = "/etc/constellation/ca.pem";
  ASSERT_OK(WriteConfig(c, path));
  ASSERT_OK_AND_ASSIGN(Config back, LoadConfig(path));
  EXPECT_EQ(back.tls.cert_file, c.tls.cert_file);
  EXPECT_EQ(back.tls.key_file, c.tls.key_file);
  EXPECT_EQ(back.tls.client_ca_file, c.tls.client_ca_file);
  EXPECT_TRUE(back.tls.require_client_cert);
  EXPECT_EQ(back.tls.ca_file, c.tls.ca_file);
}

TEST(TlsOptionsTest, KeysMustFitTogether) {
  rpc::TlsOptions cert_only;
  cert_only.cert_file = "node.pem";
  EXPECT_THAT(rpc::ValidateTlsOptions(cert_only),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("tls.key_file")));
  rpc::TlsOptions client_ca_without_cert;
  client_ca_without_cert.client_ca_file = "ca.pem";
  EXPECT_THAT(rpc::ValidateTlsOptions(client_ca_without_cert),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("tls.cert_file")));
  rpc::TlsOptions require_without_ca;
  require_without_ca.cert_file = "node.pem";
  require_without_ca.key_file = "node.key";
  require_without_ca.require_client_cert = true;
  EXPECT_THAT(rpc::ValidateTlsOptions(require_without_ca),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("tls.client_ca_file")));
  EXPECT_OK(rpc::ValidateTlsOptions(rpc::TlsOptions{}));
}

TEST(TlsOptionsTest, UnreadableFilesAreNamed) {
  TempDir dir;
  rpc::TlsOptions options;
  options.cert_file = dir.Sub("missing.pem");
  options.key_file = dir.Sub("missing.key");
  EXPECT_THAT(rpc::MakeServerCredentials(options),
              StatusIs(absl::StatusCode::kNotFound,
                       AllOf(HasSubstr("tls.cert_file"), HasSubstr(options.cert_file))));
  {
    std::ofstream out(dir.Sub("not.pem"));
    out << "not a certificate\n";
  }
  rpc::TlsOptions peers;
  peers.ca_file = dir.Sub("not.pem");
  EXPECT_THAT(rpc::MakePeerCredentials(peers),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("tls.ca_file"), HasSubstr("no PEM block"))));
}

TEST(TlsOptionsTest, LoopbackAddresses) {
  EXPECT_TRUE(rpc::IsLoopbackAddress("127.0.0.1:7400"));
  EXPECT_TRUE(rpc::IsLoopbackAddress("127.0.0.2:0"));
  EXPECT_TRUE(rpc::IsLoopbackAddress("localhost:7400"));
  EXPECT_TRUE(rpc::IsLoopbackAddress("[::1]:7400"));
  EXPECT_FALSE(rpc::IsLoopbackAddress("0.0.0.0:7400"));
  EXPECT_FALSE(rpc::IsLoopbackAddress("[::]:7400"));
  EXPECT_FALSE(rpc::IsLoopbackAddress("10.0.0.5:7400"));
  EXPECT_FALSE(rpc::IsLoopbackAddress("node.example.org:7400"));
}

}  // namespace
}  // namespace constellation::app
