// SPDX-License-Identifier: GPL-3.0-or-later
// Kendall's tau-b by counting pairs, and its mean over the rows of two matrices.
#include "core/explain/kendalltau.h"

#include <cmath>
#include <vector>

namespace attn {

std::optional<double> kendallTauB(const Scalar *a, const Scalar *b, int n)
{
    long long concordant = 0, discordant = 0, tiedA = 0, tiedB = 0; // tiedA: in a only
    for (int i = 0; i < n; ++i)
        for (int j = i + 1; j < n; ++j) {
            const int da = (a[i] > a[j]) - (a[i] < a[j]);
            const int db = (b[i] > b[j]) - (b[i] < b[j]);
            if (da == 0 && db == 0)
                continue; // tied in both: in n_1 and n_2, never in the numerator
            if (da == 0)
                ++tiedA;
            else if (db == 0)
                ++tiedB;
            else if (da == db)
                ++concordant;
            else
                ++discordant;
        }
    // n_0 - n_1: the pairs not tied in a; n_0 - n_2: the pairs not tied in b.
    const double untiedA = double(concordant + discordant + tiedB);
    const double untiedB = double(concordant + discordant + tiedA);
    if (untiedA == 0.0 || untiedB == 0.0)
        return std::nullopt;
    return double(concordant - discordant) / std::sqrt(untiedA * untiedB);
}

std::optional<double> meanKendallTauB(const ConstMatRef &a, const ConstMatRef &b,
                                      const ConstMatRef &mask)
{
    requireShape(b, a.rows(), a.cols(), "meanKendallTauB b");
    if (mask.size() > 0)
        requireShape(mask, a.rows(), a.cols(), "meanKendallTauB mask");
    std::vector<Scalar> ra(std::size_t(a.cols())), rb(std::size_t(a.cols()));
    double sum = 0.0;
    long long rows = 0;
    for (Eigen::Index r = 0; r < a.rows(); ++r) {
        int n = 0;
        for (Eigen::Index c = 0; c < a.cols(); ++c) {
            if (mask.size() > 0 && !(mask(r, c) > Scalar(0)))
                continue;
            ra[std::size_t(n)] = a(r, c);
            rb[std::size_t(n)] = b(r, c);
            ++n;
        }
        if (const auto tau = kendallTauB(ra.data(), rb.data(), n)) {
            sum += *tau;
            ++rows;
        }
    }
    if (rows == 0)
        return std::nullopt;
    return sum / double(rows);
}

} // namespace attn
