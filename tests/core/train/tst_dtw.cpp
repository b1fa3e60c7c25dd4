// SPDX-License-Identifier: GPL-3.0-or-later
// dtwDistance and dtwNearestNeighbourClasses (core/train/dtw.h): hand-computed tables, window 0
// equals the squared Euclidean distance, the band limits how far a step may warp, early
// abandoning gives up only above the cutoff, multivariate steps, and the nearest class.
#include "core/train/dtw.h"

#include "core/tensor/errors.h"

#include <QTest>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

using namespace attn;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

double dtw(const std::vector<Scalar> &a, const std::vector<Scalar> &b, int window,
           int features = 1, double cutoff = kInf)
{
    DtwWorkspace work;
    return dtwDistance(a.data(), b.data(), int(a.size()) / features, features, window, cutoff, work);
}

} // namespace

class TestDtw : public QObject {
    Q_OBJECT
private slots:
    void handComputedTable();
    void windowZeroIsSquaredEuclidean();
    void theBandLimitsTheWarp();
    void earlyAbandoningOnlyAboveTheCutoff();
    void multivariateStepsUseTheirSquaredDistance();
    void nearestClassAndTies();
    void badArgumentsThrow();
};

void TestDtw::handComputedTable()
{
    // a = (0, 1, 2), b = (0, 2, 2): the table of squared costs
    //   c = [[0 4 4], [1 1 1], [4 0 0]]
    //   D row 1: 0 4 8; row 2: 1 1 2; row 3: 5 1 1  -> D(3, 3) = 1
    QCOMPARE(dtw({0, 1, 2}, {0, 2, 2}, 2), 1.0);
    // Symmetric, and 0 for a sequence against itself.
    QCOMPARE(dtw({0, 2, 2}, {0, 1, 2}, 2), 1.0);
    QCOMPARE(dtw({3, 1, 4, 1, 5}, {3, 1, 4, 1, 5}, 4), 0.0);
    // A repeated value warps for free: (1, 2, 3) against (1, 2, 2, 3) is 0 at full window.
    QCOMPARE(dtw({1, 2, 3, 3}, {1, 2, 2, 3}, 3), 0.0);
}

void TestDtw::windowZeroIsSquaredEuclidean()
{
    std::mt19937 gen(5);
    std::normal_distribution<double> normal;
    std::vector<Scalar> a(40), b(40);
    double euclidean = 0.0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        a[i] = Scalar(normal(gen));
        b[i] = Scalar(normal(gen));
        euclidean += (double(a[i]) - double(b[i])) * (double(a[i]) - double(b[i]));
    }
    QCOMPARE(dtw(a, b, 0), euclidean);
    // Warping never costs more than the diagonal path.
    QVERIFY(dtw(a, b, 4) <= euclidean);
    QVERIFY(dtw(a, b, 39) <= dtw(a, b, 4));
}

void TestDtw::theBandLimitsTheWarp()
{
    // b is a shifted two steps to the right: only a band of >= 2 steps aligns the pulse.
    const std::vector<Scalar> a{0, 0, 5, 0, 0, 0, 0, 0};
    const std::vector<Scalar> b{0, 0, 0, 0, 5, 0, 0, 0};
    QCOMPARE(dtw(a, b, 0), 50.0);
    QCOMPARE(dtw(a, b, 1), 50.0); // one step of warp cannot reach: 25 + 25 at best
    QCOMPARE(dtw(a, b, 2), 0.0);
    QCOMPARE(dtw(a, b, 7), 0.0);
}

void TestDtw::earlyAbandoningOnlyAboveTheCutoff()
{
    const std::vector<Scalar> a{0, 1, 2, 3}, b{1, 2, 3, 4};
    // By hand: (1, 1) costs 1, then a_2..a_4 = 1, 2, 3 meet b_1..b_3 for free, then (4, 4) costs 1.
    const double d = dtw(a, b, 1);
    QCOMPARE(d, 2.0);
    QCOMPARE(dtw(a, b, 1, 1, d), d);          // equal to the cutoff: still computed
    QCOMPARE(dtw(a, b, 1, 1, 1.999), kInf);   // below the distance: given up
    QCOMPARE(dtw(a, b, 1, 1, 0.5), kInf);     // every cell of row 1 is >= 1: abandoned there
    QCOMPARE(dtw(a, b, 1, 1, 100.0), d);
}

void TestDtw::multivariateStepsUseTheirSquaredDistance()
{
    // Two steps of F = 2, time-major: a = ((0, 0), (1, 1)), b = ((0, 1), (1, 1)).
    QCOMPARE(dtw({0, 0, 1, 1}, {0, 1, 1, 1}, 0, 2), 1.0);
    // With F = 2 the same four numbers read as steps are not warped one value at a time:
    // (0, 0) -> (3, 4) costs 25 at window 0.
    QCOMPARE(dtw({0, 0, 0, 0}, {3, 4, 0, 0}, 1, 2), 25.0);
}

void TestDtw::nearestClassAndTies()
{
    // Reference: a pulse early (class 0), a pulse late (class 1), a copy of the early one
    // (class 2, a tie with row 0: the first wins).
    Mat reference(3, 6);
    reference << 0, 5, 0, 0, 0, 0,
                 0, 0, 0, 0, 5, 0,
                 0, 5, 0, 0, 0, 0;
    Mat query(2, 6);
    query << 0, 0, 5, 0, 0, 0,  // one step from the early pulse, two from the late one
             0, 0, 0, 0, 0, 5;  // one step from the late pulse
    QCOMPARE(dtwNearestNeighbourClasses(reference, {0, 1, 2}, query, 6, 1, 1), (std::vector<int>{0, 1}));
    // Without warping both queries are 50 from every pulse: the first row wins the ties.
    QCOMPARE(dtwNearestNeighbourClasses(reference, {0, 1, 2}, query, 6, 1, 0), (std::vector<int>{0, 0}));
}

void TestDtw::badArgumentsThrow()
{
    DtwWorkspace work;
    const std::vector<Scalar> a{1, 2};
    QVERIFY_THROWS_EXCEPTION(ShapeError, dtwDistance(a.data(), a.data(), 0, 1, 0, kInf, work));
    QVERIFY_THROWS_EXCEPTION(ShapeError, dtwDistance(a.data(), a.data(), 2, 1, -1, kInf, work));
    const Mat reference = Mat::Zero(2, 4);
    QVERIFY_THROWS_EXCEPTION(ShapeError, dtwNearestNeighbourClasses(reference, {0, 1}, Mat::Zero(1, 3), 4, 1, 1));
    QVERIFY_THROWS_EXCEPTION(ShapeError, dtwNearestNeighbourClasses(reference, {0}, Mat::Zero(1, 4), 4, 1, 1));
}

QTEST_MAIN(TestDtw)
#include "tst_dtw.moc"
