// tests/sim/sim_random.h
//
// SimRandom: the simulator's only source of randomness (DESIGN §5). xoshiro256** seeded through
// splitmix64, so that one 64-bit seed fixes every choice of a run: the same seed replays the
// same run on every machine and standard library (std::uniform_int_distribution is not
// portable across libraries, so the helpers below do their own arithmetic).
// Thread safety: not thread-safe; one per simulation.
#pragma once

#include <cstdint>
#include <vector>

#include "server/base/check.h"

namespace constellation::sim {

class SimRandom {
 public:
  explicit SimRandom(uint64_t seed) {
    uint64_t x = seed;
    for (uint64_t& word : state_) word = SplitMix64(&x);
  }

  // The next 64 random bits (xoshiro256**).
  uint64_t Next() {
    const uint64_t result = RotateLeft(state_[1] * 5, 7) * 9;
    const uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = RotateLeft(state_[3], 45);
    return result;
  }

  // Uniform in [0, n); n must be > 0. The modulo bias is below 2^-40 for the small n used here.
  uint64_t Below(uint64_t n) {
    CONSTELLATION_CHECK(n > 0);
    return Next() % n;
  }

  // Uniform in [low, high]; low <= high.
  uint64_t Between(uint64_t low, uint64_t high) {
    CONSTELLATION_CHECK(low <= high);
    return low + Below(high - low + 1);
  }

  // True with probability per_mille / 1000.
  bool Chance(uint32_t per_mille) { return Below(1000) < per_mille; }

  // A uniformly chosen element of a non-empty vector.
  template <typename T>
  const T& Pick(const std::vector<T>& items) {
    CONSTELLATION_CHECK(!items.empty());
    return items[Below(items.size())];
  }

 private:
  static uint64_t RotateLeft(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  static uint64_t SplitMix64(uint64_t* x) {
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

  uint64_t state_[4];
};

}  // namespace constellation::sim
