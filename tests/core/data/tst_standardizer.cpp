// SPDX-License-Identifier: GPL-3.0-or-later
// Standardisation of CSV sequences (core/data/sequencecsv.h, Standardizer and Scaling): per-feature
// statistics by hand, constant features and shape errors, and statistics fitted on the training
// split only.
#include "core/data/sequencecsv.h"
#include "tests/csvtesthelpers.h"

#include <QTest>
#include <cmath>

using namespace attn;
using namespace csvtest;

class TestStandardizer : public QObject {
    Q_OBJECT
private slots:
    void standardizerByHand();
    void standardizerConstantAndErrors();
    void scalingFitsTrainOnly();
};

void TestStandardizer::standardizerByHand()
{
    // T = 2, F = 2: feature 0 in columns 0, 2; feature 1 in columns 1, 3.
    const Mat train = rows({{1, 10, 3, 30}, {5, 50, 7, 70}});
    Mat validation = rows({{9, 90, 11, 110}});
    Standardizer s;
    s.fit(train, 2);
    // Feature 0: {1, 3, 5, 7}: mean 4, population std sqrt(5). Feature 1: ten times that.
    QCOMPARE(s.mean(), (std::vector<double>{4, 40}));
    QVERIFY(std::abs(s.scale()[0] - std::sqrt(5.0)) < 1e-12);
    QVERIFY(std::abs(s.scale()[1] - 10 * std::sqrt(5.0)) < 1e-12);
    Mat z = train;
    s.transform(z);
    for (int f = 0; f < 2; ++f) {
        const double m = (z(0, f) + z(0, f + 2) + z(1, f) + z(1, f + 2)) / 4;
        const double v = (z(0, f) * z(0, f) + z(0, f + 2) * z(0, f + 2) + z(1, f) * z(1, f) +
                          z(1, f + 2) * z(1, f + 2)) / 4;
        QVERIFY(std::abs(m) < 1e-12);
        QVERIFY(std::abs(v - 1) < 1e-12);
    }
    // Validation uses the training statistics: (9 - 4) / sqrt(5), (110 - 40) / (10 sqrt(5)).
    s.transform(validation);
    QVERIFY(std::abs(validation(0, 0) - 5 / std::sqrt(5.0)) < 1e-12);
    QVERIFY(std::abs(validation(0, 3) - 70 / (10 * std::sqrt(5.0))) < 1e-12);
    s.inverseTransform(validation);
    QVERIFY((validation - rows({{9, 90, 11, 110}})).cwiseAbs().maxCoeff() < 1e-12);
}

void TestStandardizer::standardizerConstantAndErrors()
{
    // A constant feature keeps scale 1 and becomes exactly 0.
    Standardizer s;
    s.fit(rows({{3, 1}, {3, 2}}), 2);
    QCOMPARE(s.scale()[0], 1.0);
    Mat x = rows({{3, 1}});
    s.transform(x);
    QCOMPARE(x(0, 0), 0.0);
    Standardizer unfitted;
    QVERIFY_THROWS_EXCEPTION(ShapeError, unfitted.transform(x));
    Mat three = rows({{1, 2, 3}});
    QVERIFY_THROWS_EXCEPTION(ShapeError, s.transform(three));
    QVERIFY_THROWS_EXCEPTION(ShapeError, s.fit(three, 2));
    QVERIFY_THROWS_EXCEPTION(ShapeError, s.fit(three, 0));
}

void TestStandardizer::scalingFitsTrainOnly()
{
    // Airline windows: the first 100 train, the last 32 validate. The series rises, so
    // validation stays far above the training mean after scaling: its own statistics are unused.
    CsvOptions o;
    o.layout = CsvLayout::Series;
    o.window = 12;
    const SequenceData all = loadSequences(resource("ts_airline_passengers/Airline.csv"), o);
    Dataset train = all.data, validation = all.data;
    train.x = all.data.x.topRows(100);
    train.y = all.data.y.topRows(100);
    validation.x = all.data.x.bottomRows(32);
    validation.y = all.data.y.bottomRows(32);
    const Mat rawValidationY = validation.y;

    const Scaling s = fitScaling(train, all.taskType);
    QVERIFY(s.target.isFitted()); // regression: the target is scaled too
    const double trainMean = train.x.mean();
    applyScaling(s, train);
    applyScaling(s, validation);
    QVERIFY(std::abs(train.x.mean()) < 1e-9);
    QVERIFY(std::abs(train.y.mean()) < 1e-9);
    QVERIFY(validation.x.mean() > 1.0);
    QCOMPARE(s.input.mean().front(), trainMean);
    for (Eigen::Index i = 0; i < 32; ++i)
        QVERIFY(std::abs(validation.y(i, 0) - (rawValidationY(i, 0) - s.target.mean()[0]) /
                                                    s.target.scale()[0]) < 1e-12);

    // Classification: inputs scaled, labels untouched.
    CsvOptions wide;
    SequenceData gp = loadSequences(fixture("wide_header.csv"), wide);
    const Scaling c = fitScaling(gp.data, gp.taskType);
    QVERIFY(!c.target.isFitted());
    const Mat labels = gp.data.y;
    applyScaling(c, gp.data);
    QCOMPARE_MAT(gp.data.y, labels);
}

QTEST_APPLESS_MAIN(TestStandardizer)
#include "tst_standardizer.moc"
