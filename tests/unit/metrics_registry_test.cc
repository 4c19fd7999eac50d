// Unit test of server/metrics/registry: the text exposition, byte for byte.
#include "server/metrics/registry.h"

#include <cmath>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace constellation::metrics {
namespace {

TEST(MetricsRegistryTest, ExposesFamiliesInNameOrderWithHelpTypeAndLabels) {
  Registry registry;
  auto& appended = registry.AddCounter("constellation_b_total", "Events appended.", {"group"});
  auto& peers = registry.AddGauge("constellation_a", "Peers\\reachable\nnow.");
  auto& latency = registry.AddHistogram("constellation_c_seconds", "Latency.", {0.1, 1},
                                        {"method", "code"});
  appended.WithLabels({"g2"}).Increment(3);
  appended.WithLabels({"g1"}).Increment();
  peers.WithLabels({}).Set(2);
  auto& ok = latency.WithLabels({"Write", "OK"});
  ok.Observe(0.05);
  ok.Observe(0.1);  // a bound is inclusive: le="0.1"
  ok.Observe(5);
  latency.WithLabels({"Read", "say \"hi\""}).Observe(0.5);

  EXPECT_EQ(registry.Expose(),
            "# HELP constellation_a Peers\\\\reachable\\nnow.\n"
            "# TYPE constellation_a gauge\n"
            "constellation_a 2\n"
            "# HELP constellation_b_total Events appended.\n"
            "# TYPE constellation_b_total counter\n"
            "constellation_b_total{group=\"g1\"} 1\n"
            "constellation_b_total{group=\"g2\"} 3\n"
            "# HELP constellation_c_seconds Latency.\n"
            "# TYPE constellation_c_seconds histogram\n"
            "constellation_c_seconds_bucket{method=\"Read\",code=\"say \\\"hi\\\"\",le=\"0.1\"} 0\n"
            "constellation_c_seconds_bucket{method=\"Read\",code=\"say \\\"hi\\\"\",le=\"1\"} 1\n"
            "constellation_c_seconds_bucket{method=\"Read\",code=\"say \\\"hi\\\"\",le=\"+Inf\"} 1\n"
            "constellation_c_seconds_sum{method=\"Read\",code=\"say \\\"hi\\\"\"} 0.5\n"
            "constellation_c_seconds_count{method=\"Read\",code=\"say \\\"hi\\\"\"} 1\n"
            "constellation_c_seconds_bucket{method=\"Write\",code=\"OK\",le=\"0.1\"} 2\n"
            "constellation_c_seconds_bucket{method=\"Write\",code=\"OK\",le=\"1\"} 2\n"
            "constellation_c_seconds_bucket{method=\"Write\",code=\"OK\",le=\"+Inf\"} 3\n"
            "constellation_c_seconds_sum{method=\"Write\",code=\"OK\"} 5.15\n"
            "constellation_c_seconds_count{method=\"Write\",code=\"OK\"} 3\n");
}

TEST(MetricsRegistryTest, FamilyWithoutSeriesStillHasHelpAndType) {
  Registry registry;
  registry.AddCounter("constellation_x_total", "X.", {"peer"});
  EXPECT_EQ(registry.Expose(),
            "# HELP constellation_x_total X.\n# TYPE constellation_x_total counter\n");
}

TEST(MetricsRegistryTest, CollectorsRunBeforeEachExposition) {
  Registry registry;
  auto& size = registry.AddGauge("constellation_size_bytes", "Size.");
  int calls = 0;
  registry.AddCollector([&] { size.WithLabels({}).Set(++calls * 1024.0); });
  EXPECT_NE(registry.Expose().find("constellation_size_bytes 1024\n"), std::string::npos);
  EXPECT_NE(registry.Expose().find("constellation_size_bytes 2048\n"), std::string::npos);
}

TEST(MetricsRegistryTest, FormatsSpecialValues) {
  EXPECT_EQ(FormatValue(INFINITY), "+Inf");
  EXPECT_EQ(FormatValue(-INFINITY), "-Inf");
  EXPECT_EQ(FormatValue(NAN), "NaN");
  EXPECT_EQ(FormatValue(-3), "-3");
  EXPECT_EQ(FormatValue(0.25), "0.25");
  EXPECT_EQ(EscapeLabelValue("a\\b\"c\nd"), "a\\\\b\\\"c\\nd");
}

TEST(MetricsRegistryTest, ConcurrentIncrementsAllCount) {
  Registry registry;
  auto& family = registry.AddCounter("constellation_n_total", "N.", {"t"});
  auto& histogram = registry.AddHistogram("constellation_h", "H.", ExponentialBuckets(1, 2, 4));
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) {
        family.WithLabels({"same"}).Increment();
        histogram.WithLabels({}).Observe(3);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(family.WithLabels({"same"}).Value(), 4000);
  const auto snap = histogram.WithLabels({}).Snap();
  EXPECT_EQ(snap.upper_bounds, (std::vector<double>{1, 2, 4, 8}));
  EXPECT_EQ(snap.cumulative_counts, (std::vector<uint64_t>{0, 0, 4000, 4000, 4000}));
}

}  // namespace
}  // namespace constellation::metrics
