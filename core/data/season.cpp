// SPDX-License-Identifier: GPL-3.0-or-later
// detectSeason: the lag of the largest autocorrelation peak of the differenced series.
#include "core/data/season.h"

#include <algorithm>
#include <cstddef>

namespace attn {

int detectSeason(const std::vector<double> &series)
{
    const std::size_t n = series.size();
    if (n < 8)
        return 0;
    std::vector<double> d(n - 1);
    for (std::size_t i = 1; i < n; ++i)
        d[i - 1] = series[i] - series[i - 1];
    double mean = 0.0;
    for (double v : d)
        mean += v;
    mean /= double(d.size());
    double c0 = 0.0;
    for (double &v : d) {
        v -= mean;
        c0 += v * v;
    }
    if (!(c0 > 0.0))
        return 0; // a straight line has no season
    const int maxLag = std::min<int>(kMaxSeason, int(n / 3));
    std::vector<double> acf(std::size_t(maxLag) + 2, 0.0);
    for (int k = 1; k <= maxLag + 1 && std::size_t(k) < d.size(); ++k) {
        double c = 0.0;
        for (std::size_t i = std::size_t(k); i < d.size(); ++i)
            c += d[i] * d[i - std::size_t(k)];
        acf[std::size_t(k)] = c / c0; // the standard biased estimator (divides by the lag-0 sum)
    }
    int best = 0;
    for (int k = 2; k <= maxLag; ++k) {
        const double a = acf[std::size_t(k)];
        const bool peak = a >= acf[std::size_t(k - 1)] && a >= acf[std::size_t(k + 1)];
        if (peak && a >= kMinSeasonAutocorrelation && (best == 0 || a > acf[std::size_t(best)]))
            best = k;
    }
    return best;
}

} // namespace attn
