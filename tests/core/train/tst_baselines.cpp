// SPDX-License-Identifier: GPL-3.0-or-later
// computeBaselines (core/train/baselines.h): the 1-nearest-neighbour (Euclidean) accuracy on the
// UCR archive's own splits matches the archive's published figures; the majority class and the
// training mean, the naive and seasonal naive forecasts and MASE's scale match hand
// computations; with a test set the reference rows are training + validation.
#include "core/train/baselines.h"

#include "core/data/csvtask.h"
#include "core/train/dtw.h"

#include <QTest>

#include <array>
#include <cmath>

using namespace attn;

namespace {

TaskData ucrTask(const std::string &folder, const std::string &name)
{
    CsvTaskSpec s;
    s.file = std::string(ATTN_RESOURCE_DATA) + "/" + folder + "/" + name + "_TRAIN.txt";
    s.testFile = std::string(ATTN_RESOURCE_DATA) + "/" + folder + "/" + name + "_TEST.txt";
    s.options = ucrOptions();
    Rng rng(1);
    return makeCsvTask(s, rng);
}

} // namespace

class TestBaselines : public QObject {
    Q_OBJECT
private slots:
    void nearestNeighbourMatchesTheUcrArchive();
    void dtwMatchesTheUcrArchive();
    void majorityAndMeanByHand();
    void forecastsByHand();
    void testSetUsesEveryTrainingRow();
};

void TestBaselines::nearestNeighbourMatchesTheUcrArchive()
{
    // UCR archive, 1-NN Euclidean test error: GunPoint 0.0867 (137 of 150 right), ECG200 0.12
    // (88 of 100). The standardisation fitted on the training split is one affine map for F = 1,
    // so it leaves every nearest neighbour as it is.
    const Baselines gunPoint = computeBaselines(ucrTask("ucr_gunpoint", "GunPoint"));
    QVERIFY(gunPoint.nearestNeighbourAccuracy);
    QCOMPARE(*gunPoint.nearestNeighbourAccuracy, 137.0 / 150.0);
    QVERIFY(!gunPoint.meanMae);
    const Baselines ecg = computeBaselines(ucrTask("ucr_ecg200", "ECG200"));
    QCOMPARE(*ecg.nearestNeighbourAccuracy, 88.0 / 100.0);
}

void TestBaselines::dtwMatchesTheUcrArchive()
{
    // UCR archive, 1-NN DTW test error with a full window ("DTW (w = 100)"): GunPoint 0.093
    // (136 of 150 right), ECG200 0.23 (77 of 100); the reference rows are the training file.
    for (const auto &[folder, name, right, rows] :
         {std::tuple{"ucr_gunpoint", "GunPoint", 136, 150}, std::tuple{"ucr_ecg200", "ECG200", 77, 100}}) {
        const TaskData task = ucrTask(folder, name);
        const Mat reference = [&] {
            Mat m(task.train.size() + task.validation.size(), task.train.x.cols());
            m << task.train.x, task.validation.x;
            return m;
        }();
        std::vector<int> classes;
        for (const Dataset *d : {&task.train, &task.validation})
            for (Eigen::Index r = 0; r < d->size(); ++r)
                classes.push_back(d->y(r, 0) > 0.5 ? 1 : 0);
        std::vector<int> truth;
        for (Eigen::Index r = 0; r < task.test.size(); ++r)
            truth.push_back(task.test.y(r, 0) > 0.5 ? 1 : 0);
        const int T = task.test.steps;
        const std::vector<int> full = dtwNearestNeighbourClasses(reference, classes, task.test.x, T, 1, T);
        int hits = 0;
        for (std::size_t i = 0; i < truth.size(); ++i)
            hits += full[i] == truth[i] ? 1 : 0;
        QCOMPARE(int(truth.size()), rows);
        QCOMPARE(hits, right);
        // The baseline's own band is 10% of T, as in the JSON.
        const Baselines b = computeBaselines(task);
        QCOMPARE(b.dtwWindow, T / 10);
        QVERIFY(b.dtwAccuracy);
        qInfo("%s: 1-NN DTW full window %d/%d, w = %d: %.4f", name, hits, rows, b.dtwWindow, *b.dtwAccuracy);
    }
}

void TestBaselines::majorityAndMeanByHand()
{
    TaskData task;
    task.loss = LossKind::BinaryCrossEntropy;
    task.train.steps = 2;
    task.train.features = 1;
    task.train.x.resize(5, 2);
    task.train.x << 0, 0, 0, 1, 1, 0, 5, 5, 6, 5;
    task.train.y.resize(5, 1);
    task.train.y << 0, 0, 0, 1, 1; // class 0 is the majority
    task.validation = task.train;
    task.validation.x.resize(4, 2);
    task.validation.x << 0.2, 0.1, 5.2, 5.1, 4.0, 4.0, 0.9, 0.9;
    task.validation.y.resize(4, 1);
    task.validation.y << 0, 1, 1, 1;
    const Baselines b = computeBaselines(task);
    QCOMPARE(*b.majorityAccuracy, 0.25);
    // Nearest rows: (0,0) -> 0 right, (5,5) -> 1 right, (5,5) -> 1 right, (1,0) or (0,1) -> 0 wrong.
    QCOMPARE(*b.nearestNeighbourAccuracy, 0.75);
    QVERIFY(!b.meanMae);
    // T = 2 < 10: a DTW window of 0 steps would only repeat 1-NN Euclidean under another name.
    QVERIFY(!b.dtwAccuracy);

    task.loss = LossKind::Mse; // regression: the training mean of y is 0.4
    const Baselines r = computeBaselines(task);
    QVERIFY(!r.majorityAccuracy && !r.nearestNeighbourAccuracy);
    QCOMPARE(*r.meanMae, (0.4 + 0.6 + 0.6 + 0.6) / 4.0);
    // Token inputs: no nearest neighbour over word ids.
    task.loss = LossKind::BinaryCrossEntropy;
    task.vocabulary = 10;
    QVERIFY(!computeBaselines(task).nearestNeighbourAccuracy);
}

void TestBaselines::forecastsByHand()
{
    // Windows of T = 3 of one standardised series (z = (v - 10) / 2), the target scaled by
    // (y - 20) / 4: the naive forecast is v_{T-1}, the seasonal naive (P = 2) v_{T-2}.
    TaskData task;
    task.loss = LossKind::Mse;
    task.targetScale = 4.0;
    task.targetMean = 20.0;
    task.series = TaskData::Series{0, 10.0, 2.0, 2};
    auto window = [](Dataset &d, std::initializer_list<std::array<double, 4>> rows) {
        d.steps = 3;
        d.features = 1;
        d.x.resize(Eigen::Index(rows.size()), 3);
        d.y.resize(Eigen::Index(rows.size()), 1);
        Eigen::Index r = 0;
        for (const auto &v : rows) { // file units: three inputs, then the target
            for (int t = 0; t < 3; ++t)
                d.x(r, t) = (v[std::size_t(t)] - 10.0) / 2.0;
            d.y(r, 0) = (v[3] - 20.0) / 4.0;
            ++r;
        }
    };
    window(task.train, {{{1, 2, 3, 5}}, {{2, 3, 5, 4}}});       // naive errors |5-3|, |4-5|
    window(task.validation, {{{3, 5, 4, 7}}, {{5, 4, 7, 9}}});  // naive |7-4|, |9-7|
    const Baselines b = computeBaselines(task);
    QCOMPARE(*b.naiveMae, (3.0 + 2.0) / 2.0);
    QCOMPARE(*b.seasonalNaiveMae, (std::abs(7.0 - 5.0) + std::abs(9.0 - 4.0)) / 2.0);
    QCOMPARE(b.season, 2);
    QCOMPARE(*b.naiveInSampleMae, (2.0 + 1.0) / 2.0); // MASE's scale: the training rows
    // The mean forecast in the file's units: the training targets' mean is 4.5.
    QCOMPARE(*b.meanMae, (2.5 + 4.5) / 2.0);
    QCOMPARE(baselineList(b).size(), std::size_t(3));
    QCOMPARE(baselineList(b)[2].label, std::string("seasonal naive (P = 2)"));
    task.series->season = 0; // no season: no seasonal naive
    QVERIFY(!computeBaselines(task).seasonalNaiveMae);
}

void TestBaselines::testSetUsesEveryTrainingRow()
{
    // With a test set the reference is training + validation: the test row's nearest
    // neighbour is a validation row of class 1, the nearest training row is of class 0.
    TaskData task;
    task.loss = LossKind::BinaryCrossEntropy;
    task.train.steps = task.validation.steps = task.test.steps = 1;
    task.train.features = task.validation.features = task.test.features = 1;
    task.train.x = Mat::Constant(2, 1, 0.0);
    task.train.y = Mat::Constant(2, 1, 0.0);
    task.validation.x = Mat::Constant(1, 1, 5.0);
    task.validation.y = Mat::Constant(1, 1, 1.0);
    task.test.x = Mat::Constant(1, 1, 4.0);
    task.test.y = Mat::Constant(1, 1, 1.0);
    QCOMPARE(*computeBaselines(task).nearestNeighbourAccuracy, 1.0);
    QCOMPARE(*computeBaselines(task).majorityAccuracy, 0.0); // class 0: 2 of 3 reference rows
    task.test = Dataset{};
    QCOMPARE(*computeBaselines(task).nearestNeighbourAccuracy, 0.0); // validation vs training
}

QTEST_APPLESS_MAIN(TestBaselines)
#include "tst_baselines.moc"
