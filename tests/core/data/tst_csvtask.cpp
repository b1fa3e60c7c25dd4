// SPDX-License-Identifier: GPL-3.0-or-later
// The user's CSV sequences as a trainable task (core/data/csvtask.h): the UCR train/test pairs and the
// airline series from resources/data, the seeded split and train-only standardisation, the
// defaults per task type and ground-truth alignment. Training runs on CSV tasks: tst_csvtraining.
#include "core/data/csvtask.h"
#include "core/train/trainer.h"
#include "tests/csvtesthelpers.h"

#include <QTemporaryDir>
#include <QTest>
#include <cmath>
#include <set>

using namespace attn;
using namespace csvtest;

namespace {

CsvTaskSpec airlineSpec()
{
    CsvTaskSpec s;
    s.file = resource("ts_airline_passengers/Airline.csv");
    s.options.layout = CsvLayout::Series;
    s.options.window = 12;
    s.options.target = CsvColumn::last();
    return s;
}

double columnMean(const Mat &m) { return m.mean(); }

} // namespace

class TestCsvTask : public QObject {
    Q_OBJECT
private slots:
    void gunPointPublishedSplit();
    void ecg200PublishedSplit();
    void airlineSeriesSplitAndScaling();
    void splitIsSeeded();
    void chronologicalSplit();
    void groundTruthGivesAlignment();
    void tinyFileShrinksBatch();
    void longUnequalLengthsTrainMasked();
    void errorsKeepTheirMessages();
    void csvTaskKind();
    void epochsSizedToTheData();
};

void TestCsvTask::gunPointPublishedSplit()
{
    Rng rng(1);
    CsvTaskInfo info;
    const TaskData task = makeCsvTask(ucrSpec("ucr_gunpoint", "GunPoint"), rng, &info);
    QCOMPARE(task.name, std::string("csv: GunPoint_TRAIN.txt"));
    // Validation is carved from the 50 training series, stratified (24 and 26 per class: 5 + 5);
    // the 150 of the test file are the test set.
    QCOMPARE(task.train.size(), Eigen::Index(40));
    QCOMPARE(task.validation.size(), Eigen::Index(10));
    QCOMPARE(task.test.size(), Eigen::Index(150));
    QCOMPARE(task.validation.y.sum(), 5.0);
    QCOMPARE(task.train.steps, 150);
    QCOMPARE(task.train.features, 1);
    QCOMPARE(task.validation.steps, 150);
    QCOMPARE(task.test.steps, 150);
    QCOMPARE(task.train.y.cols(), Eigen::Index(1));
    QVERIFY(info.taskType == TaskType::Binary);
    QCOMPARE(info.classNames, (std::vector<std::string>{"1", "2"}));
    QCOMPARE(info.trainClassCounts[0] + info.trainClassCounts[1], 40);
    QVERIFY(task.loss == LossKind::BinaryCrossEntropy);
    QCOMPARE(task.model.outputs, 1);
    QCOMPARE(task.model.inputs, 1);
    QCOMPARE(task.model.hidden, 64);
    QVERIFY(task.model.attention == AttentionKind::Luong);
    QCOMPARE(task.model.attentionUnits, 64);
    QCOMPARE(task.batchSize, 32);
    // Sized to the data: 40 rows in batches of 32 are 2 steps an epoch, 1000 steps = 500 epochs
    // (the cap), early stopping after a fifth of them.
    QCOMPARE(task.epochs, 500);
    QCOMPARE(task.patience, 100);
    QCOMPARE(task.learningRate, 1e-3);
    QVERIFY(task.alignment == AlignmentKind::None);
    for (Eigen::Index r = 0; r < task.test.size(); ++r)
        QVERIFY(task.test.y(r, 0) == 0 || task.test.y(r, 0) == 1);
    // Probes: the first 10 validation rows, no ground truth.
    QCOMPARE(task.probe.size(), Eigen::Index(10));
    QVERIFY(task.probe.x == task.validation.x.topRows(10));
    QVERIFY(task.probe.y == task.validation.y.topRows(10));
    QCOMPARE(task.probe.groundTruth.size(), Eigen::Index(0));
    // Inputs standardised on the training file: mean 0, population std 1 there.
    QVERIFY(std::abs(task.train.x.mean()) < 1e-12);
    const double var = (task.train.x.array() - task.train.x.mean()).square().mean();
    QVERIFY(std::abs(var - 1.0) < 1e-12);
    QVERIFY(!info.scaling.target.isFitted()); // labels stay 0/1
    QCOMPARE(info.validationLines.size(), std::size_t(10));
    QCOMPARE(info.validationLines.front(), info.validationRows.front() + 1);
    QCOMPARE(info.testLines.size(), std::size_t(150));
    QCOMPARE(info.testLines.front(), 1);
    // The test set is standardised with the training rows' statistics too.
    const double scale = info.scaling.input.scale()[0], mean = info.scaling.input.mean()[0];
    CsvOptions o = ucrOptions();
    const SequenceData rawTest = loadSequences(ucrSpec("ucr_gunpoint", "GunPoint").testFile, o);
    QVERIFY(std::abs(task.test.x(3, 7) - (rawTest.data.x(3, 7) - mean) / scale) < 1e-9);
}

void TestCsvTask::ecg200PublishedSplit()
{
    Rng rng(1);
    CsvTaskInfo info;
    const TaskData task = makeCsvTask(ucrSpec("ucr_ecg200", "ECG200"), rng, &info);
    QCOMPARE(task.name, std::string("csv: ECG200_TRAIN.txt"));
    QCOMPARE(task.train.size(), Eigen::Index(80));
    QCOMPARE(task.validation.size(), Eigen::Index(20));
    QCOMPARE(task.test.size(), Eigen::Index(100));
    QCOMPARE(task.train.steps, 96);
    QVERIFY(info.taskType == TaskType::Binary);
    QCOMPARE(info.classNames, (std::vector<std::string>{"-1", "1"}));
    QVERIFY(task.loss == LossKind::BinaryCrossEntropy);
    QCOMPARE(task.batchSize, 32);
    QCOMPARE(info.summary.substr(0, 34), std::string("N = 100, T = 96, F = 1; binary: -1"));
}

void TestCsvTask::airlineSeriesSplitAndScaling()
{
    const CsvTaskSpec spec = airlineSpec();
    Rng rng(7);
    CsvTaskInfo info;
    const TaskData task = makeCsvTask(spec, rng, &info);
    // 144 months, windows of 12 -> 132 sequences; round(0.2 * 132) = 26 for validation.
    QCOMPARE(task.train.size() + task.validation.size(), Eigen::Index(132));
    QCOMPARE(task.validation.size(), Eigen::Index(26));
    QCOMPARE(task.train.steps, 12);
    QVERIFY(info.taskType == TaskType::Regression);
    QVERIFY(task.loss == LossKind::Mse);
    QCOMPARE(task.model.outputs, 1);
    QVERIFY(task.alignment == AlignmentKind::None);
    // The split is a partition of the 132 windows.
    std::set<int> all(info.trainRows.begin(), info.trainRows.end());
    all.insert(info.validationRows.begin(), info.validationRows.end());
    QCOMPARE(all.size(), std::size_t(132));
    QCOMPARE(*all.rbegin(), 131);

    // The statistics are the training rows' only: recompute them from the raw file.
    CsvOptions o = spec.options;
    const SequenceData raw = loadSequences(spec.file, o);
    double sx = 0, sy = 0, vx = 0;
    for (int r : info.trainRows) {
        sx += raw.data.x.row(r).sum();
        sy += raw.data.y(r, 0);
    }
    for (int r : info.validationRows)
        vx += raw.data.x.row(r).sum();
    const double trainMean = sx / (double(info.trainRows.size()) * 12);
    const double valMean = vx / (double(info.validationRows.size()) * 12);
    const double allMean = raw.data.x.mean();
    QVERIFY(std::abs(info.scaling.input.mean()[0] - trainMean) < 1e-9);
    // With instance normalisation (the default for windows) the forecast is put back on the
    // window's level in the input's units, so the target shares the series' statistics.
    QVERIFY(task.model.instanceNorm);
    QCOMPARE(task.model.instanceNormFeature, 0);
    QCOMPARE(info.scaling.target.mean()[0], info.scaling.input.mean()[0]);
    QCOMPARE(info.scaling.target.scale()[0], info.scaling.input.scale()[0]);
    {
        CsvTaskSpec own = spec;
        own.instanceNorm = false; // without it, the target's own training statistics
        CsvTaskInfo ownInfo;
        Rng ownRng(7);
        const TaskData plain = makeCsvTask(own, ownRng, &ownInfo);
        QVERIFY(!plain.model.instanceNorm);
        QVERIFY(std::abs(ownInfo.scaling.target.mean()[0] - sy / double(info.trainRows.size())) < 1e-9);
    }
    QVERIFY(std::abs(trainMean - allMean) > 0.1); // so the check below can tell them apart
    QVERIFY(std::abs(trainMean - valMean) > 0.1);
    // Training rows: mean 0. Validation rows: shifted by the training statistics, not their own.
    QVERIFY(std::abs(columnMean(task.train.x)) < 1e-12);
    const double scale = info.scaling.input.scale()[0];
    QVERIFY(std::abs(columnMean(task.validation.x) - (valMean - trainMean) / scale) < 1e-9);
    QVERIFY(std::abs(columnMean(task.validation.x)) > 1e-3);
    // Row i of the validation set is window validationRows[i] of the file, scaled.
    const int r0 = info.validationRows[0];
    QVERIFY(std::abs(task.validation.x(0, 3) - (raw.data.x(r0, 3) - trainMean) / scale) < 1e-9);
    QCOMPARE(info.validationLines[0], raw.lines[std::size_t(r0)]);
    // A forecast: the series is feature 0, its season 12 months, metrics in passengers.
    QVERIFY(task.series);
    QCOMPARE(task.series->feature, 0);
    QCOMPARE(task.series->season, 12);
    QCOMPARE(info.season, 12);
    QCOMPARE(task.series->mean, info.scaling.input.mean()[0]);
    QCOMPARE(task.targetScale, info.scaling.target.scale()[0]);
    QCOMPARE(task.targetMean, info.scaling.target.mean()[0]);
    QCOMPARE(task.probe.size(), Eigen::Index(10));
    QVERIFY(task.probe.x == task.validation.x.topRows(10));
}

void TestCsvTask::splitIsSeeded()
{
    Rng a(7), b(7), c(8);
    CsvTaskInfo ia, ib, ic;
    const TaskData ta = makeCsvTask(airlineSpec(), a, &ia);
    const TaskData tb = makeCsvTask(airlineSpec(), b, &ib);
    makeCsvTask(airlineSpec(), c, &ic);
    QCOMPARE(ia.validationRows, ib.validationRows);
    QVERIFY(ta.train.x == tb.train.x);
    QVERIFY(ia.validationRows != ic.validationRows);
}

void TestCsvTask::chronologicalSplit()
{
    CsvTaskSpec spec = airlineSpec();
    spec.shuffle = false;
    Rng rng(7);
    CsvTaskInfo info;
    const TaskData task = makeCsvTask(spec, rng, &info);
    QCOMPARE(info.trainRows.front(), 0);
    QCOMPARE(info.trainRows.back(), 105);
    QCOMPARE(info.validationRows.front(), 106);
    QCOMPARE(info.validationRows.back(), 131);
    QCOMPARE(task.validation.size(), Eigen::Index(26));
}

void TestCsvTask::groundTruthGivesAlignment()
{
    QTemporaryDir dir;
    // T = 4, the value that decides the class is at the gt_ step.
    std::string text = "t1,t2,t3,t4,gt_1,gt_2,gt_3,gt_4,y\n";
    for (int r = 0; r < 12; ++r) {
        const int at = r % 4;
        for (int t = 0; t < 4; ++t)
            text += std::to_string(t == at ? 5 + r : r) + ",";
        for (int t = 0; t < 4; ++t)
            text += (t == at ? "1," : "0,");
        text += std::to_string(r % 2) + "\n";
    }
    CsvTaskSpec spec;
    spec.file = writeFile(dir, "gt.csv", text);
    spec.validationFraction = 0.25;
    Rng rng(3);
    CsvTaskInfo info;
    const TaskData task = makeCsvTask(spec, rng, &info);
    QVERIFY(task.alignment == AlignmentKind::GroundTruthMass);
    // Two classes of 6 rows, stratified: round(0.25 * 6) = 2 of each validate.
    QCOMPARE(task.train.size(), Eigen::Index(8));
    QCOMPARE(task.validation.size(), Eigen::Index(4));
    QCOMPARE(task.train.features, 1);
    QCOMPARE(task.train.steps, 4);
    QCOMPARE(task.probe.size(), Eigen::Index(4));
    QCOMPARE(task.probe.groundTruth.rows(), Eigen::Index(4));
    QCOMPARE(task.probe.groundTruth.cols(), Eigen::Index(4));
    // Ground truth is not standardised: row i is one-hot at step validationRows[i] % 4.
    for (int i = 0; i < 4; ++i)
        for (int t = 0; t < 4; ++t)
            QCOMPARE(task.probe.groundTruth(i, t), t == info.validationRows[std::size_t(i)] % 4 ? 1.0 : 0.0);
    // The alignment of attention equal to the ground truth is 1.
    QCOMPARE(*alignment(task.alignment, task.probe.groundTruth, task.probe.groundTruth), 1.0);
    // A file without gt_ columns: no alignment, empty probe ground truth.
    CsvTaskSpec plain;
    plain.file = fixture("wide_header.csv");
    Rng rng2(3);
    const TaskData p = makeCsvTask(plain, rng2);
    QVERIFY(p.alignment == AlignmentKind::None);
    QCOMPARE(p.probe.groundTruth.size(), Eigen::Index(0));
}

void TestCsvTask::tinyFileShrinksBatch()
{
    // 3 rows: 1 for validation (round(0.6) = 1), 2 to train, so a batch of 2.
    Rng rng(1);
    CsvTaskSpec spec;
    spec.file = fixture("too_few.csv");
    const TaskData task = makeCsvTask(spec, rng);
    QCOMPARE(task.validation.size(), Eigen::Index(1));
    QCOMPARE(task.train.size(), Eigen::Index(2));
    QCOMPARE(task.batchSize, 2);
    // And a Trainer accepts it.
    Trainer trainer(std::make_shared<const TaskData>(task), task.model,
                    TrainConfig{1, task.batchSize, task.learningRate, 7, OptimizerKind::Adam});
    QVERIFY(trainer.trainEpoch().has_value());
}

void TestCsvTask::longUnequalLengthsTrainMasked()
{
    // Long layout, sequences of 3..6 rows: padded to T = 6 with a mask, the padding stays exactly
    // 0 after standardisation, and a trained model gives the padding steps exactly zero attention
    // (luong: the real steps' weights sum to 1). Unmasked (maskPadding off), padding takes weight.
    QTemporaryDir dir;
    Rng data(3);
    std::string text = "id,x,y\n";
    for (int s = 0; s < 40; ++s) {
        const int length = 3 + s % 4;
        for (int t = 0; t < length; ++t)
            text += 's' + std::to_string(s) + "," + std::to_string(data.normal()) + "," +
                    std::to_string(s % 2) + "\n"; // 's' +: "s" + trips GCC 12's -Wrestrict
    }
    CsvTaskSpec spec;
    spec.file = writeFile(dir, "unequal.csv", text);
    spec.options.layout = CsvLayout::Long;
    spec.options.sequenceId = CsvColumn::named("id");
    Rng rng(1);
    auto task = std::make_shared<const TaskData>(makeCsvTask(spec, rng));
    QCOMPARE(task->train.steps, 6);
    QCOMPARE(task->train.mask.rows(), task->train.size());
    QCOMPARE(task->probe.mask.rows(), task->probe.size());
    for (Eigen::Index r = 0; r < task->train.size(); ++r)
        for (int t = 0; t < 6; ++t)
            if (task->train.mask(r, t) == 0)
                QCOMPARE(task->train.x(r, t), 0.0);
    for (bool masked : {true, false}) {
        ModelConfig m = task->model;
        m.hidden = 6;
        m.attention = AttentionKind::Luong;
        m.maskPadding = masked;
        Trainer trainer(task, m, TrainConfig{1, 8, 1e-3, 7, OptimizerKind::Adam});
        const EpochSnapshot s = *trainer.trainEpoch();
        double maxPadding = 0;
        for (int r = 0; r < s.attention.rows; ++r) {
            double real = 0;
            for (int t = 0; t < 6; ++t) {
                if (task->probe.mask(r, t) == 0) {
                    maxPadding = std::max(maxPadding, double(s.attention.at(r, t)));
                    if (masked)
                        QCOMPARE(s.attention.at(r, t), 0.0f);
                } else {
                    real += s.attention.at(r, t);
                }
            }
            if (masked)
                QVERIFY(std::abs(real - 1) < 1e-5); // the snapshot holds floats
        }
        QCOMPARE(maxPadding > 0, !masked);
    }
}

void TestCsvTask::errorsKeepTheirMessages()
{
    QTemporaryDir dir;
    Rng rng(1);
    auto message = [&](const CsvTaskSpec &spec) -> std::string {
        try {
            makeCsvTask(spec, rng);
        } catch (const CsvError &e) {
            return e.what();
        }
        return "no CsvError";
    };
    CsvTaskSpec one;
    one.file = writeFile(dir, "one.csv", "t1,t2,y\n1,2,0\n");
    // The cells are checked before the count: one row is also a single class.
    QCOMPARE(message(one), one.file + ":2:3: single class: every target is 0 (expected at least 2 classes)");
    CsvTaskSpec oneSeries; // a series of T + 1 rows gives one window: train or validate, not both
    oneSeries.file = writeFile(dir, "series.csv", "v\n1\n2\n3\n");
    oneSeries.options.layout = CsvLayout::Series;
    oneSeries.options.window = 2;
    QCOMPARE(message(oneSeries),
             oneSeries.file + ":4:0: too few rows: 3 rows make 1 window of 2 steps (expected at least 4 rows)");
    // The caller's minimum (the app's batch size) still applies.
    CsvTaskSpec batch;
    batch.file = fixture("too_few.csv");
    batch.options.minSequences = 32;
    QCOMPARE(message(batch), batch.file + ":4:0: too few rows: 3 sequences (expected at least 32)");
    // Errors of the reader and of the test file pass through unchanged.
    CsvTaskSpec nonNumeric;
    nonNumeric.file = fixture("nonnumeric.csv");
    std::string expected;
    try {
        loadSequences(nonNumeric.file, nonNumeric.options);
    } catch (const CsvError &e) {
        expected = e.what();
    }
    QVERIFY(expected.starts_with(nonNumeric.file + ":"));
    QCOMPARE(message(nonNumeric), expected);
    CsvTaskSpec badClass;
    badClass.file = fixture("badclass_TRAIN.csv");
    badClass.testFile = fixture("badclass_TEST.csv");
    badClass.options.target = CsvColumn::first();
    const std::string m = message(badClass);
    QVERIFY2(m.starts_with(badClass.testFile + ":") &&
                 m.find("is not one of the training file's classes") != std::string::npos,
             m.c_str());
    CsvTaskSpec single;
    single.file = fixture("single_class.csv");
    QVERIFY(message(single).find("single class") != std::string::npos);
    // Options that make no sense.
    CsvTaskSpec fraction = airlineSpec();
    fraction.validationFraction = 1.0;
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, makeCsvTask(fraction, rng));
    CsvTaskSpec zeroBatch = airlineSpec();
    zeroBatch.batchSize = 0;
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, makeCsvTask(zeroBatch, rng));
}

void TestCsvTask::csvTaskKind()
{
    QCOMPARE(toString(TaskKind::Csv), std::string("csv"));
    QVERIFY(!taskKindFromString("csv"));
    for (TaskKind k : allTaskKinds())
        QVERIFY(k != TaskKind::Csv);
    Rng rng(1);
    QVERIFY_THROWS_EXCEPTION(ConfigError, makeTask(TaskKind::Csv, rng));
    QVERIFY(applicableAttention(TaskKind::Csv).front() == AttentionKind::Luong);
    const TaskDefaults multi = csvTaskDefaults(TaskType::MultiClass, 3, 5, false);
    QVERIFY(multi.loss == LossKind::SoftmaxCrossEntropy);
    QCOMPARE(multi.model.outputs, 5);
    QCOMPARE(multi.model.inputs, 3);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, csvTaskDefaults(TaskType::Auto, 1, 0, false));
    QCOMPARE(toString(LossKind::SoftmaxCrossEntropy), std::string("softmax-ce"));
}

void TestCsvTask::epochsSizedToTheData()
{
    // About kAutoStepBudget = 1000 steps: ceil(1000 / ceil(N / B)) epochs, within 10..500.
    QCOMPARE(autoEpochs(106, 32), 250);   // airline windows: 4 batches an epoch
    QCOMPARE(autoEpochs(80, 32), 334);    // ECG200's training part: 3 batches
    QCOMPARE(autoEpochs(40, 32), 500);    // GunPoint's: 2 batches -> 500, the cap
    QCOMPARE(autoEpochs(5, 32), 500);
    QCOMPARE(autoEpochs(50000, 32), 10);  // 1563 batches: at least 10 epochs
    QCOMPARE(autoPatience(500), 100);
    QCOMPARE(autoPatience(10), 10);
    QVERIFY_THROWS_EXCEPTION(ConfigError, autoEpochs(0, 32));
    // An explicit epoch count is kept, without early stopping.
    CsvTaskSpec spec = airlineSpec();
    spec.epochs = 7;
    Rng rng(7);
    const TaskData fixed = makeCsvTask(spec, rng);
    QCOMPARE(fixed.epochs, 7);
    QCOMPARE(fixed.patience, 0);
}

QTEST_GUILESS_MAIN(TestCsvTask)
#include "tst_csvtask.moc"
