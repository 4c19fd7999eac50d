// server/metrics/registry.h
//
// A small Prometheus metric registry: counters, gauges and histograms with fixed buckets, each
// a family with named labels, rendered in the Prometheus text exposition format (version
// 0.0.4) with HELP and TYPE lines. Output order is deterministic: families by name, series by
// label values, buckets ascending.
//
// Thread-safety: every method of Registry, the families and the series is safe to call from
// any thread. A series reference returned by WithLabels stays valid as long as the Registry
// lives (series are never removed), so hot paths may look it up once and keep it.
//
// Names follow the house convention: `constellation_*`, units last (`_seconds`, `_bytes`,
// `_total` for counters). The registry checks names and label names (CONSTELLATION_CHECK), not
// the convention.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/synchronization/mutex.h"

namespace constellation::metrics {

// A value that only goes up (resets only when the process restarts).
class Counter {
 public:
  void Increment(double by = 1.0);  // by >= 0
  double Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

// A value that goes up and down.
class Gauge {
 public:
  void Set(double value) { value_.store(value, std::memory_order_relaxed); }
  void Add(double by);
  double Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

// Observations counted into fixed upper bounds (plus +Inf), with their sum and count.
class Histogram {
 public:
  explicit Histogram(std::vector<double> upper_bounds);
  void Observe(double value);

  struct Snapshot {
    std::vector<double> upper_bounds;         // ascending, without +Inf
    std::vector<uint64_t> cumulative_counts;  // one per bound, then one for +Inf
    double sum = 0.0;
  };
  Snapshot Snap() const;

 private:
  const std::vector<double> upper_bounds_;
  mutable absl::Mutex mu_;
  std::vector<uint64_t> counts_ ABSL_GUARDED_BY(mu_);  // per bucket, not cumulative; last = +Inf
  double sum_ ABSL_GUARDED_BY(mu_) = 0.0;
};

// Ascending bucket bounds for latencies in seconds: 0.5 ms .. 10 s.
std::vector<double> LatencySecondsBuckets();
// Ascending bucket bounds for counts: 1, 2, 4, ... max (powers of two up to max).
std::vector<double> ExponentialBuckets(double start, double factor, int count);

// One named metric and its series, one per combination of label values.
template <typename Series>
class Family {
 public:
  Family(std::vector<std::string> label_names, std::function<std::unique_ptr<Series>()> make)
      : label_names_(std::move(label_names)), make_(std::move(make)) {}

  // The series for these label values (one per label name, in order); created on first use.
  Series& WithLabels(const std::vector<std::string>& values);

  const std::vector<std::string>& label_names() const { return label_names_; }

  // Calls fn(label values, series) for every series in label-value order.
  void ForEach(const std::function<void(const std::vector<std::string>&, const Series&)>& fn) const;

 private:
  const std::vector<std::string> label_names_;
  const std::function<std::unique_ptr<Series>()> make_;
  mutable absl::Mutex mu_;
  std::map<std::vector<std::string>, std::unique_ptr<Series>> series_ ABSL_GUARDED_BY(mu_);
};

using CounterFamily = Family<Counter>;
using GaugeFamily = Family<Gauge>;
using HistogramFamily = Family<Histogram>;

class Registry {
 public:
  Registry() = default;
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // Each name may be added once (a second add of the same name is a CHECK failure).
  CounterFamily& AddCounter(std::string name, std::string help,
                            std::vector<std::string> label_names = {});
  GaugeFamily& AddGauge(std::string name, std::string help,
                        std::vector<std::string> label_names = {});
  HistogramFamily& AddHistogram(std::string name, std::string help,
                                std::vector<double> upper_bounds,
                                std::vector<std::string> label_names = {});

  // A function run at the start of every Expose, to refresh gauges read from elsewhere
  // (store sizes, queue lengths). It runs on the scraping thread and must not call Expose.
  void AddCollector(std::function<void()> collect);

  // The whole registry in the Prometheus text format.
  std::string Expose() const;

 private:
  struct Entry {
    std::string help;
    std::string type;  // "counter", "gauge", "histogram"
    std::unique_ptr<CounterFamily> counter;
    std::unique_ptr<GaugeFamily> gauge;
    std::unique_ptr<HistogramFamily> histogram;
  };
  Entry& Add(std::string name, std::string help, std::string type,
             const std::vector<std::string>& label_names) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  mutable absl::Mutex mu_;
  std::map<std::string, Entry> entries_ ABSL_GUARDED_BY(mu_);
  std::vector<std::function<void()>> collectors_ ABSL_GUARDED_BY(mu_);
};

// Exposed for the unit test: a sample value as Prometheus writes it (integers without a
// fraction, "+Inf", "-Inf", "NaN").
std::string FormatValue(double value);
// A label value escaped for the text format (backslash, double quote, newline).
std::string EscapeLabelValue(std::string_view value);

}  // namespace constellation::metrics
