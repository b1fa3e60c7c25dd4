// SPDX-License-Identifier: GPL-3.0-or-later
// computeBaselines (core/train/baselines.h): the 1-nearest-neighbour (Euclidean) accuracy on the
// UCR archive's own splits matches the archive's published figures; the majority class and the
// training mean match hand computations.
#include "core/train/baselines.h"

#include "core/data/csvtask.h"

#include <QTest>

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
    void majorityAndMeanByHand();
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

    task.loss = LossKind::Mse; // regression: the training mean of y is 0.4
    const Baselines r = computeBaselines(task);
    QVERIFY(!r.majorityAccuracy && !r.nearestNeighbourAccuracy);
    QCOMPARE(*r.meanMae, (0.4 + 0.6 + 0.6 + 0.6) / 4.0);
    // Token inputs: no nearest neighbour over word ids.
    task.loss = LossKind::BinaryCrossEntropy;
    task.vocabulary = 10;
    QVERIFY(!computeBaselines(task).nearestNeighbourAccuracy);
}

QTEST_APPLESS_MAIN(TestBaselines)
#include "tst_baselines.moc"
