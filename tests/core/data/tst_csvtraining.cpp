// SPDX-License-Identifier: GPL-3.0-or-later
// Short seeded training runs on CSV tasks (core/data/csvtask.h with core/train/trainer.h): a
// three-class file's loss falls under softmax cross-entropy with class-index probes, and GunPoint
// beats the majority class on its test file.
#include "core/data/csvtask.h"
#include "core/train/trainer.h"
#include "tests/csvtesthelpers.h"

#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

using namespace attn;
using namespace csvtest;

namespace {

/// 3 classes, T = 8: class k has a bump of height 3 at step 2k+1, plus N(0, 0.3) noise.
std::string multiClassCsv(int rows, Rng &rng)
{
    std::string text = "t1,t2,t3,t4,t5,t6,t7,t8,class\n";
    for (int r = 0; r < rows; ++r) {
        const int k = r % 3;
        for (int t = 0; t < 8; ++t)
            text += std::to_string((t == 2 * k + 1 ? 3.0 : 0.0) + 0.3 * rng.normal()) + ",";
        text += std::string(1, char('a' + k)) + "\n";
    }
    return text;
}

/// Share of the majority class in a 0/1 (N, 1) or one-hot (N, C) target: the accuracy of always
/// answering the most frequent class.
double majorityShare(const Mat &y)
{
    std::vector<int> counts(std::size_t(std::max<Eigen::Index>(2, y.cols())), 0);
    for (Eigen::Index r = 0; r < y.rows(); ++r) {
        Eigen::Index k = 0;
        if (y.cols() == 1)
            k = y(r, 0) > 0.5 ? 1 : 0;
        else
            y.row(r).maxCoeff(&k);
        ++counts[std::size_t(k)];
    }
    return double(*std::max_element(counts.begin(), counts.end())) / double(y.rows());
}

} // namespace

class TestCsvTraining : public QObject {
    Q_OBJECT
private slots:
    void multiClassLossFalls();
    void gunPointBeatsChance();
};

void TestCsvTraining::multiClassLossFalls()
{
    QTemporaryDir dir;
    Rng data(5);
    CsvTaskSpec spec;
    spec.file = writeFile(dir, "three.csv", multiClassCsv(60, data));
    spec.batchSize = 8;
    spec.learningRate = 1e-2;
    spec.hidden = 16;
    spec.attentionUnits = 16;
    Rng rng(7);
    CsvTaskInfo info;
    auto task = std::make_shared<const TaskData>(makeCsvTask(spec, rng, &info));
    QVERIFY(info.taskType == TaskType::MultiClass);
    QCOMPARE(info.classNames, (std::vector<std::string>{"a", "b", "c"}));
    QVERIFY(task->loss == LossKind::SoftmaxCrossEntropy);
    QCOMPARE(task->model.outputs, 3);
    QCOMPARE(task->train.y.cols(), Eigen::Index(3));
    QCOMPARE(task->validation.size(), Eigen::Index(12));
    Trainer trainer(task, task->model, TrainConfig{3, task->batchSize, task->learningRate, 7, OptimizerKind::Adam});
    const EpochSnapshot before = trainer.evaluateSnapshot();
    QCOMPARE(before.metricName, std::string("accuracy"));
    std::vector<double> losses{before.trainLoss};
    EpochSnapshot last;
    while (!trainer.finished()) {
        last = *trainer.trainEpoch();
        losses.push_back(last.trainLoss);
    }
    qInfo("multi-class: train loss %.4f -> %.4f -> %.4f -> %.4f, validation loss %.4f -> %.4f, "
          "accuracy %.3f -> %.3f",
          losses[0], losses[1], losses[2], losses[3], before.valLoss, last.valLoss, before.metric,
          last.metric);
    QVERIFY(last.trainLoss < losses[0]);
    QVERIFY(last.valLoss < before.valLoss);
    QVERIFY(last.metric >= 0.0 && last.metric <= 1.0);
    // Probe predictions and targets are class indices.
    QCOMPARE(last.probePredictions.size(), std::size_t(10));
    for (std::size_t i = 0; i < 10; ++i) {
        QVERIFY(last.probeTargets[i] == 0 || last.probeTargets[i] == 1 || last.probeTargets[i] == 2);
        Eigen::Index truth = 0;
        task->probe.y.row(Eigen::Index(i)).maxCoeff(&truth);
        QCOMPARE(last.probeTargets[i], float(truth));
    }
}

void TestCsvTraining::gunPointBeatsChance()
{
    // A short seeded run: 40 training series in batches of 10 (4 steps an epoch), 30 epochs;
    // the accuracy on the 150 series of the test file beats the majority class.
    Rng rng(7);
    CsvTaskSpec spec = ucrSpec("ucr_gunpoint", "GunPoint");
    spec.batchSize = 10;
    spec.epochs = 30;
    auto task = std::make_shared<const TaskData>(makeCsvTask(spec, rng));
    Trainer trainer(task, task->model,
                    TrainConfig{task->epochs, task->batchSize, task->learningRate, 7, OptimizerKind::Adam});
    EpochSnapshot last;
    while (!trainer.finished())
        last = *trainer.trainEpoch();
    const double chance = majorityShare(task->test.y);
    qInfo("GunPoint, %d epochs of batch %d, seed 7: test accuracy %.4f (majority class %.4f), "
          "validation loss %.4f",
          task->epochs, task->batchSize, *last.testMetric, chance, last.valLoss);
    QCOMPARE(last.metricName, std::string("accuracy"));
    QVERIFY(*last.testMetric > chance);
}

QTEST_GUILESS_MAIN(TestCsvTraining)
#include "tst_csvtraining.moc"
