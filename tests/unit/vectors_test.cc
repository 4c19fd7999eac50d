// tests/unit/vectors_test.cc
//
// The protocol test vectors (tests/vectors/*.json, docs/PROTOCOL.md §4.2): each document is
// re-derived from its own signed events by the reference fold (ids, receive outcomes, canonical
// order, fork freezes, derived state, fold hash, state hash, statuses, totals) and must equal
// the checked-in file exactly. A change of the fold or of the state-hash encoding therefore
// fails here; regenerate the files (tests/vectors/README.md) only for an intended protocol
// change. The generator's scenarios must still produce the checked-in events, so the files
// and the builders cannot drift apart either.
#include "tests/vectors/vectors.h"

#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include <gtest/gtest.h>

namespace constellation::vectors {
namespace {

nlohmann::json ReadDocument(const std::filesystem::path& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in) << "cannot read " << path;
  return nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
}

std::filesystem::path FileOf(const std::string& name) {
  return std::filesystem::path(CONSTELLATION_VECTORS_DIR) / (name + ".json");
}

TEST(VectorsTest, EveryFileReDerivesFromItsOwnEvents) {
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(CONSTELLATION_VECTORS_DIR)) {
    if (entry.path().extension() != ".json") continue;
    ++files;
    SCOPED_TRACE(entry.path().string());
    const nlohmann::json document = ReadDocument(entry.path());
    ASSERT_FALSE(document.is_discarded()) << "not JSON";
    absl::StatusOr<VectorScenario> scenario = ParseScenario(document);
    ASSERT_TRUE(scenario.ok()) << scenario.status();
    absl::StatusOr<nlohmann::json> derived = DeriveDocument(*scenario);
    ASSERT_TRUE(derived.ok()) << derived.status();
    // The first differences, as JSON patch operations on the file, say what drifted.
    const nlohmann::json patch = nlohmann::json::diff(document, *derived);
    EXPECT_TRUE(patch.empty()) << "the fold derives something else than the file states: "
                               << patch.dump().substr(0, 2000);
  }
  EXPECT_GE(files, 6);
}

TEST(VectorsTest, TheGeneratorWritesTheCheckedInEvents) {
  std::set<std::string> names;
  for (const VectorScenario& scenario : BuildScenarios()) {
    SCOPED_TRACE(scenario.name);
    names.insert(scenario.name);
    const nlohmann::json document = ReadDocument(FileOf(scenario.name));
    ASSERT_FALSE(document.is_discarded()) << "missing or not JSON: regenerate the vectors";
    absl::StatusOr<nlohmann::json> built = DeriveDocument(scenario);
    ASSERT_TRUE(built.ok()) << built.status();
    EXPECT_EQ((*built)["events"], document["events"]);
  }
  // One file per scenario, and no file without one.
  size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(CONSTELLATION_VECTORS_DIR)) {
    if (entry.path().extension() != ".json") continue;
    ++files;
    EXPECT_TRUE(names.contains(entry.path().stem().string())) << entry.path() << " has no scenario";
  }
  EXPECT_EQ(names.size(), files);
}

TEST(VectorsTest, ATamperedStateHashIsCaught) {
  nlohmann::json document = ReadDocument(FileOf("fork"));
  ASSERT_FALSE(document.is_discarded());
  std::string& hash = document["points"][1]["state_hash"].get_ref<std::string&>();
  hash[0] = hash[0] == '0' ? '1' : '0';
  absl::StatusOr<VectorScenario> scenario = ParseScenario(document);
  ASSERT_TRUE(scenario.ok()) << scenario.status();
  absl::StatusOr<nlohmann::json> derived = DeriveDocument(*scenario);
  ASSERT_TRUE(derived.ok()) << derived.status();
  EXPECT_FALSE(nlohmann::json::diff(document, *derived).empty());
}

}  // namespace
}  // namespace constellation::vectors
