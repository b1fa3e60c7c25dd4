// SPDX-License-Identifier: GPL-3.0-or-later
// Tests of AlignmentSums: argmax match and ground-truth mass over a small fixed validation set
// added in two batches, computed by hand; feature rows whose true column is 0 do not count.
#include "core/data/alignmentsums.h"

#include <QTest>

using namespace attn;

class TestAlignmentSums : public QObject {
    Q_OBJECT
private slots:
    void argmaxMatchByHand();
    void groundTruthMassByHand();
    void featureSkipsZeroTrueColumn();
    void noneAndEmpty();
    void rejectsBadShapes();
};

namespace {

/// Four rows of T = 3 steps, ground truth one-hot at steps 0, 1, 2, 1.
Dataset fourRows()
{
    Dataset d;
    d.steps = 3;
    d.features = 1;
    d.x = Mat::Ones(4, 3);
    d.y = Mat::Zero(4, 1);
    d.groundTruth = Mat::Zero(4, 3);
    d.groundTruth(0, 0) = 1;
    d.groundTruth(1, 1) = 1;
    d.groundTruth(2, 2) = 1;
    d.groundTruth(3, 1) = 1;
    return d;
}

/// Attention of the four rows: argmax at 0 (right), 2 (wrong), 2 (right), 0 (wrong).
Mat fourWeights()
{
    Mat a(4, 3);
    a << 0.5, 0.3, 0.2,  //
        0.1, 0.4, 0.5,   //
        0.2, 0.2, 0.6,   //
        0.7, 0.2, 0.1;
    return a;
}

} // namespace

void TestAlignmentSums::argmaxMatchByHand()
{
    const Dataset d = fourRows();
    const Mat a = fourWeights();
    AlignmentSums sums(AlignmentKind::ArgmaxMatch, false);
    sums.add(a.topRows(3), d, 0); // a batch of 3 rows, then one of 1
    sums.add(a.bottomRows(1), d, 3);
    QCOMPARE(sums.rows(), 4LL);
    // Rows 0 and 2 match: 2 of 4.
    QCOMPARE(*sums.alignment(), 0.5);
    // Weights on the true step: 0.5, 0.4, 0.6, 0.2 -> mean 0.425.
    QVERIFY(std::abs(*sums.groundTruthMass() - 0.425) < 1e-12);
}

void TestAlignmentSums::groundTruthMassByHand()
{
    Dataset d = fourRows();
    d.groundTruth(0, 2) = 1; // row 0: two true steps, mass 0.5 + 0.2
    AlignmentSums sums(AlignmentKind::GroundTruthMass, false);
    sums.add(fourWeights(), d, 0);
    // (0.7 + 0.4 + 0.6 + 0.2) / 4 = 0.475
    QVERIFY(std::abs(*sums.alignment() - 0.475) < 1e-12);
    QVERIFY(std::abs(*sums.groundTruthMass() - 0.475) < 1e-12);
}

void TestAlignmentSums::featureSkipsZeroTrueColumn()
{
    // The feature task: T = 1, F = 3, true column 1 holds the label (docs/tasks.md, feature).
    Dataset d;
    d.steps = 1;
    d.features = 3;
    d.x.resize(4, 3);
    d.x << 0.3, 1.0, -1.2,  // label 1: counts
        0.5, 0.0, 0.7,      // label 0: true column is 0, skipped
        -0.4, 1.0, 0.1,     // label 1: counts
        1.1, 0.0, 0.2;      // label 0: skipped
    d.y = d.x.col(1);
    d.groundTruth = Mat::Zero(4, 3);
    d.groundTruth.col(1).setOnes();
    Mat a(4, 3);
    a << 0.2, 0.7, 0.1,  // argmax on the true column, weight 0.7
        0.8, 0.1, 0.1,   // skipped (would not match)
        0.5, 0.3, 0.2,   // argmax elsewhere, weight 0.3
        0.9, 0.05, 0.05; // skipped
    AlignmentSums sums(AlignmentKind::ArgmaxMatch, true);
    sums.add(a, d, 0);
    QCOMPARE(sums.rows(), 2LL);
    QCOMPARE(*sums.alignment(), 0.5);                                 // 1 of 2 counted rows
    QVERIFY(std::abs(*sums.groundTruthMass() - 0.5) < 1e-12);         // (0.7 + 0.3) / 2
    AlignmentSums all(AlignmentKind::ArgmaxMatch, false);             // without the rule
    all.add(a, d, 0);
    QCOMPARE(*all.alignment(), 0.25);
}

void TestAlignmentSums::noneAndEmpty()
{
    const Dataset d = fourRows();
    AlignmentSums none(AlignmentKind::None, false);
    none.add(fourWeights(), d, 0);
    QVERIFY(!none.alignment());
    AlignmentSums baseline(AlignmentKind::ArgmaxMatch, false);
    baseline.add(Mat(), d, 0); // the no-attention model
    QVERIFY(!baseline.alignment());
    QVERIFY(!baseline.groundTruthMass());
    QCOMPARE(baseline.rows(), 0LL);
}

void TestAlignmentSums::rejectsBadShapes()
{
    const Dataset d = fourRows();
    AlignmentSums sums(AlignmentKind::ArgmaxMatch, false);
    QVERIFY_THROWS_EXCEPTION(ShapeError, sums.add(Mat::Zero(2, 4), d, 0)); // 4 columns, T = 3
    QVERIFY_THROWS_EXCEPTION(ShapeError, sums.add(Mat::Zero(2, 3), d, 3)); // rows 3..4 of 4
}

QTEST_APPLESS_MAIN(TestAlignmentSums)
#include "tst_alignmentsums.moc"
