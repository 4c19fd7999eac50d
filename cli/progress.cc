// cli/progress.cc
#include "cli/progress.h"

#include <algorithm>

#include <absl/strings/str_format.h>
#include <absl/time/clock.h>

namespace constellation::cli {
namespace {

constexpr int kBarWidth = 30;
constexpr absl::Duration kRedrawInterval = absl::Milliseconds(100);

}  // namespace

Progress::Progress(std::ostream& err, bool enabled, std::string unit, uint64_t total)
    : err_(err), enabled_(enabled), unit_(std::move(unit)), total_(total) {}

Progress::~Progress() { Finish(); }

std::string Progress::Line(uint64_t done, uint64_t total, const std::string& unit) {
  if (total == 0) return absl::StrFormat("%d %s", done, unit);
  const uint64_t shown = std::min(done, total);
  const int filled = static_cast<int>(shown * kBarWidth / total);
  return absl::StrFormat("[%s%s] %d/%d %s", std::string(filled, '#'),
                         std::string(kBarWidth - filled, '.'), done, total, unit);
}

void Progress::Update(uint64_t done) {
  if (!enabled_) return;
  const absl::Time now = absl::Now();
  if (now - last_draw_ < kRedrawInterval) return;
  last_draw_ = now;
  // Carriage return, the line, then erase to the end of the line (ANSI EL).
  err_ << '\r' << Line(done, total_, unit_) << "\033[K" << std::flush;
  drawn_ = true;
}

void Progress::Finish() {
  if (!drawn_) return;
  err_ << "\r\033[K" << std::flush;
  drawn_ = false;
}

}  // namespace constellation::cli
