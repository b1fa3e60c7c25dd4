// SPDX-License-Identifier: GPL-3.0-or-later
// The engine's one random source: a seeded 64-bit Mersenne Twister with distributions written
// out here (not std::*_distribution, whose output differs between standard libraries), so the
// same seed gives the same run, bit for bit, on every platform.
#pragma once

#include <cmath>
#include <cstdint>
#include <random>

namespace attn {

class Rng {
public:
    explicit Rng(std::uint64_t seed) : m_engine(seed) {}

    /// Uniform in [0, 1) with 53 random bits.
    double uniform() { return double(m_engine() >> 11) * (1.0 / 9007199254740992.0); }
    /// Uniform in [lo, hi).
    double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
    /// Uniform integer in [0, n), n > 0 (rejection sampling, no modulo bias).
    std::uint64_t below(std::uint64_t n)
    {
        const std::uint64_t limit = UINT64_MAX - UINT64_MAX % n;
        std::uint64_t r;
        do {
            r = m_engine();
        } while (r >= limit);
        return r % n;
    }
    /// Standard normal N(0, 1) by Box-Muller (one value per call; the second is discarded).
    double normal()
    {
        // 1 - uniform() lies in (0, 1], so the logarithm is finite.
        const double u1 = 1.0 - uniform();
        const double u2 = uniform();
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
    }
    /// 64 raw random bits.
    std::uint64_t next() { return m_engine(); }
    /// A fresh generator whose seed is drawn from this one (for independent sub-streams).
    Rng split() { return Rng(m_engine()); }

private:
    std::mt19937_64 m_engine;
};

} // namespace attn
