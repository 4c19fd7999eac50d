// server/metrics/registry.cc
#include "server/metrics/registry.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <utility>

#include "absl/strings/str_cat.h"
#include "server/base/check.h"

namespace constellation::metrics {
namespace {

bool IsMetricName(std::string_view name) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
                    (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

bool IsLabelName(std::string_view name) {
  return IsMetricName(name) && name.find(':') == std::string_view::npos && name != "le" &&
         !name.starts_with("__");
}

std::string EscapeHelp(std::string_view help) {
  std::string out;
  for (char c : help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

// `{a="x",b="y"}` (with an optional extra label last), or "" when there are no labels.
std::string LabelText(const std::vector<std::string>& names, const std::vector<std::string>& values,
                      std::string_view extra_name = {}, std::string_view extra_value = {}) {
  std::vector<std::string> parts;
  for (size_t i = 0; i < names.size(); ++i) {
    parts.push_back(absl::StrCat(names[i], "=\"", EscapeLabelValue(values[i]), "\""));
  }
  if (!extra_name.empty()) {
    parts.push_back(absl::StrCat(std::string(extra_name), "=\"", EscapeLabelValue(extra_value), "\""));
  }
  if (parts.empty()) return "";
  std::string out = "{";
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += ",";
    out += parts[i];
  }
  return out + "}";
}

}  // namespace

std::string FormatValue(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  if (value == std::floor(value) && std::fabs(value) < 1e15) {
    return absl::StrCat(static_cast<int64_t>(value));
  }
  char buffer[32];  // shortest text that reads back as the same double
  const auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
  CONSTELLATION_CHECK(result.ec == std::errc());
  return std::string(buffer, result.ptr);
}

std::string EscapeLabelValue(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

void Counter::Increment(double by) {
  CONSTELLATION_CHECK(by >= 0.0);
  value_.fetch_add(by, std::memory_order_relaxed);
}

void Gauge::Add(double by) { value_.fetch_add(by, std::memory_order_relaxed); }

Histogram::Histogram(std::vector<double> upper_bounds)
    : upper_bounds_(std::move(upper_bounds)), counts_(upper_bounds_.size() + 1, 0) {
  CONSTELLATION_CHECK(std::is_sorted(upper_bounds_.begin(), upper_bounds_.end()));
  CONSTELLATION_CHECK(std::adjacent_find(upper_bounds_.begin(), upper_bounds_.end()) ==
                      upper_bounds_.end());
}

void Histogram::Observe(double value) {
  const size_t bucket = static_cast<size_t>(
      std::lower_bound(upper_bounds_.begin(), upper_bounds_.end(), value) - upper_bounds_.begin());
  absl::MutexLock lock(&mu_);
  ++counts_[bucket];
  sum_ += value;
}

Histogram::Snapshot Histogram::Snap() const {
  Snapshot snap;
  snap.upper_bounds = upper_bounds_;
  absl::MutexLock lock(&mu_);
  uint64_t running = 0;
  for (uint64_t count : counts_) {
    running += count;
    snap.cumulative_counts.push_back(running);
  }
  snap.sum = sum_;
  return snap;
}

std::vector<double> LatencySecondsBuckets() {
  return {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

std::vector<double> ExponentialBuckets(double start, double factor, int count) {
  CONSTELLATION_CHECK(start > 0 && factor > 1 && count > 0);
  std::vector<double> bounds;
  double bound = start;
  for (int i = 0; i < count; ++i, bound *= factor) bounds.push_back(bound);
  return bounds;
}

template <typename Series>
Series& Family<Series>::WithLabels(const std::vector<std::string>& values) {
  CONSTELLATION_CHECK(values.size() == label_names_.size());
  absl::MutexLock lock(&mu_);
  auto& slot = series_[values];
  if (slot == nullptr) slot = make_();
  return *slot;
}

template <typename Series>
void Family<Series>::ForEach(
    const std::function<void(const std::vector<std::string>&, const Series&)>& fn) const {
  absl::MutexLock lock(&mu_);
  for (const auto& [values, series] : series_) fn(values, *series);
}

template class Family<Counter>;
template class Family<Gauge>;
template class Family<Histogram>;

Registry::Entry& Registry::Add(std::string name, std::string help, std::string type,
                               const std::vector<std::string>& label_names) {
  CONSTELLATION_CHECK(IsMetricName(name));
  for (const auto& label : label_names) CONSTELLATION_CHECK(IsLabelName(label));
  mu_.AssertHeld();
  auto [it, inserted] = entries_.try_emplace(std::move(name));
  CONSTELLATION_CHECK(inserted);
  it->second.help = std::move(help);
  it->second.type = std::move(type);
  return it->second;
}

CounterFamily& Registry::AddCounter(std::string name, std::string help,
                                    std::vector<std::string> label_names) {
  absl::MutexLock lock(&mu_);
  Entry& entry = Add(std::move(name), std::move(help), "counter", label_names);
  entry.counter = std::make_unique<CounterFamily>(std::move(label_names),
                                                  [] { return std::make_unique<Counter>(); });
  return *entry.counter;
}

GaugeFamily& Registry::AddGauge(std::string name, std::string help,
                                std::vector<std::string> label_names) {
  absl::MutexLock lock(&mu_);
  Entry& entry = Add(std::move(name), std::move(help), "gauge", label_names);
  entry.gauge = std::make_unique<GaugeFamily>(std::move(label_names),
                                              [] { return std::make_unique<Gauge>(); });
  return *entry.gauge;
}

HistogramFamily& Registry::AddHistogram(std::string name, std::string help,
                                        std::vector<double> upper_bounds,
                                        std::vector<std::string> label_names) {
  absl::MutexLock lock(&mu_);
  Entry& entry = Add(std::move(name), std::move(help), "histogram", label_names);
  entry.histogram = std::make_unique<HistogramFamily>(
      std::move(label_names),
      [bounds = std::move(upper_bounds)] { return std::make_unique<Histogram>(bounds); });
  return *entry.histogram;
}

void Registry::AddCollector(std::function<void()> collect) {
  absl::MutexLock lock(&mu_);
  collectors_.push_back(std::move(collect));
}

std::string Registry::Expose() const {
  std::vector<std::function<void()>> collectors;
  {
    absl::MutexLock lock(&mu_);
    collectors = collectors_;
  }
  for (const auto& collect : collectors) collect();

  std::string out;
  absl::MutexLock lock(&mu_);
  for (const auto& [name, entry] : entries_) {
    absl::StrAppend(&out, "# HELP ", name, " ", EscapeHelp(entry.help), "\n");
    absl::StrAppend(&out, "# TYPE ", name, " ", entry.type, "\n");
    if (entry.counter != nullptr) {
      const auto& labels = entry.counter->label_names();
      entry.counter->ForEach([&](const std::vector<std::string>& values, const Counter& c) {
        absl::StrAppend(&out, name, LabelText(labels, values), " ", FormatValue(c.Value()), "\n");
      });
    } else if (entry.gauge != nullptr) {
      const auto& labels = entry.gauge->label_names();
      entry.gauge->ForEach([&](const std::vector<std::string>& values, const Gauge& g) {
        absl::StrAppend(&out, name, LabelText(labels, values), " ", FormatValue(g.Value()), "\n");
      });
    } else {
      const auto& labels = entry.histogram->label_names();
      entry.histogram->ForEach([&](const std::vector<std::string>& values, const Histogram& h) {
        const Histogram::Snapshot snap = h.Snap();
        for (size_t i = 0; i <= snap.upper_bounds.size(); ++i) {
          const double le = i < snap.upper_bounds.size() ? snap.upper_bounds[i] : INFINITY;
          absl::StrAppend(&out, name, "_bucket", LabelText(labels, values, "le", FormatValue(le)),
                          " ", FormatValue(static_cast<double>(snap.cumulative_counts[i])), "\n");
        }
        absl::StrAppend(&out, name, "_sum", LabelText(labels, values), " ", FormatValue(snap.sum),
                        "\n");
        absl::StrAppend(&out, name, "_count", LabelText(labels, values), " ",
                        FormatValue(static_cast<double>(snap.cumulative_counts.back())), "\n");
      });
    }
  }
  return out;
}

}  // namespace constellation::metrics
