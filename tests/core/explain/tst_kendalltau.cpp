// SPDX-License-Identifier: GPL-3.0-or-later
// Tests of Kendall's tau-b (core/explain/kendalltau.h): known rankings counted by hand, with
// ties in one and in both samples, undefined cases, and the masked mean over rows.
#include "core/explain/kendalltau.h"

#include <QTest>
#include <cmath>
#include <vector>

using namespace attn;

namespace {

std::optional<double> tau(const std::vector<Scalar> &a, const std::vector<Scalar> &b)
{
    return kendallTauB(a.data(), b.data(), int(a.size()));
}

bool near(std::optional<double> value, double expected)
{
    return value && std::abs(*value - expected) < 1e-12;
}

} // namespace

class TestKendallTau : public QObject {
    Q_OBJECT
private slots:
    void knownRankings();
    void ties();
    void undefined();
    void meanOverMaskedRows();
};

void TestKendallTau::knownRankings()
{
    QVERIFY(near(tau({1, 2, 3, 4}, {10, 20, 30, 40}), 1.0));  // same order
    QVERIFY(near(tau({1, 2, 3, 4}, {4, 3, 2, 1}), -1.0));     // reversed
    // One swapped pair of the 6: 5 concordant, 1 discordant, (5 - 1) / 6.
    QVERIFY(near(tau({1, 2, 3, 4}, {1, 3, 2, 4}), 4.0 / 6.0));
    // Only the ranks matter: a monotone transform of either sample changes nothing.
    QVERIFY(near(tau({0.1, 0.5, 0.2}, {std::exp(1.0), std::exp(3.0), std::exp(2.0)}), 1.0));
    // a = (3, 1, 2), b = (1, 2, 3): pairs (0,1) d, (0,2) d, (1,2) c -> (1 - 2) / 3.
    QVERIFY(near(tau({3, 1, 2}, {1, 2, 3}), -1.0 / 3.0));
}

void TestKendallTau::ties()
{
    // A tie in a: pairs (0,1) c, (0,2) c, (0,3) c, (1,2) tied in a, (1,3) c, (2,3) c.
    // n_c = 5, n_d = 0, n_0 = 6, n_1 = 1, n_2 = 0: 5 / sqrt(5 * 6).
    QVERIFY(near(tau({1, 2, 2, 3}, {1, 2, 3, 4}), 5.0 / std::sqrt(30.0)));
    // Symmetric in its arguments.
    QVERIFY(near(tau({1, 2, 3, 4}, {1, 2, 2, 3}), 5.0 / std::sqrt(30.0)));
    // Ties in both: a = (1, 1, 2, 3), b = (1, 1, 2, 2). Pair (0,1) is tied in both (in n_1 and
    // n_2), (2,3) is tied in b only; the other 4 are concordant. n_1 = 1, n_2 = 2:
    // 4 / sqrt((6 - 1)(6 - 2)) = 4 / sqrt(20).
    QVERIFY(near(tau({1, 1, 2, 3}, {1, 1, 2, 2}), 4.0 / std::sqrt(20.0)));
    // A tie in a against a discordant rest: a = (2, 2, 1), b = (1, 2, 3):
    // (0,1) tied in a, (0,2) d, (1,2) d -> -2 / sqrt((3 - 1) * 3).
    QVERIFY(near(tau({2, 2, 1}, {1, 2, 3}), -2.0 / std::sqrt(6.0)));
}

void TestKendallTau::undefined()
{
    QVERIFY(!tau({}, {}));
    QVERIFY(!tau({1}, {2}));
    QVERIFY(!tau({1, 1, 1}, {1, 2, 3})); // a constant sample has no ranking
    QVERIFY(!tau({1, 2, 3}, {5, 5, 5}));
}

void TestKendallTau::meanOverMaskedRows()
{
    Mat a(3, 4), b(3, 4), mask(3, 4);
    a << 1, 2, 3, 4, /**/ 1, 2, 3, 4, /**/ 1, 2, 3, 4;
    b << 1, 2, 3, 4, /**/ 9, 3, 2, 1, /**/ 7, 7, 7, 7;
    mask << 1, 1, 1, 1, /**/ 0, 1, 1, 1, /**/ 1, 1, 1, 1;
    // Row 0: 1. Row 1 over its last three steps: (2, 3, 4) against (3, 2, 1): -1 (the masked
    // 9 would otherwise change it). Row 2: b is constant, undefined, left out.
    QVERIFY(near(meanKendallTauB(a, b, mask), 0.0));
    // Without a mask row 1 is (1, 2, 3, 4) against (9, 3, 2, 1): -1 as well, the mean again 0.
    QVERIFY(near(meanKendallTauB(a, b, Mat()), 0.0));
    mask.row(1) << 1, 1, 0, 0; // row 1 over (1, 2) against (9, 3): -1
    QVERIFY(near(meanKendallTauB(a, b, mask), 0.0));
    b.row(1) << 1, 2, 0, 0;
    QVERIFY(near(meanKendallTauB(a, b, mask), 1.0));
    QVERIFY(!meanKendallTauB(a.bottomRows(1), b.bottomRows(1), Mat())); // only undefined rows
    QVERIFY_THROWS_EXCEPTION(ShapeError, meanKendallTauB(a, b.leftCols(3), Mat()));
    QVERIFY_THROWS_EXCEPTION(ShapeError, meanKendallTauB(a, b, mask.leftCols(2)));
}

QTEST_APPLESS_MAIN(TestKendallTau)
#include "tst_kendalltau.moc"
