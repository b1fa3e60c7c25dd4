// SPDX-License-Identifier: GPL-3.0-or-later
// The what-if of the Explain view at the worker level: computeWhatIf (app/session/whatif.h) on a
// TrainedModel copy gives, for every probe row, the same output as the trainer's own snapshot
// (another code path: the probe rows as one batch) when the weights are left as computed, and
// moves when they are edited; WhatIfJob runs it off the GUI thread and answers by signal, the
// newest waiting request last; bad requests come back as errors, never as a crash.
#include "app/gui/whatifjob.h"
#include "app/session/metatypes.h"
#include "app/session/runsettings.h"

#include <QSignalSpy>
#include <QTest>

#include <cmath>

namespace {

struct Trained {
    TrainedModelPtr model;
    attn::EpochSnapshot snapshot;
};

Trained trainOneEpoch(attn::TaskKind task)
{
    RunSettings s = RunSettings::defaults(task);
    s.model.hidden = 16;
    s.model.attentionUnits = 16;
    s.train.epochs = 1;
    s.size = {512, 64};
    attn::ModelSpec spec;
    auto trainer = makeTrainer(s, &spec);
    Trained t;
    t.snapshot = *trainer->trainEpoch();
    t.model = attn::captureTrainedModel(trainer->model(), spec, trainer->epoch());
    return t;
}

std::vector<float> attentionRow(const attn::EpochSnapshot &s, int r)
{
    return std::vector<float>(s.attention.values.begin() + std::ptrdiff_t(r) * s.attention.cols,
                              s.attention.values.begin() + std::ptrdiff_t(r + 1) * s.attention.cols);
}

} // namespace

class TestWhatIfJob : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { registerMetaTypes(); }
    void unchangedWeightsGiveTheSnapshotsOutput_data();
    void unchangedWeightsGiveTheSnapshotsOutput();
    void editedWeightsMoveTheOutput();
    void badRequestsAreErrors();
    void jobAnswersBySignal();
};

void TestWhatIfJob::unchangedWeightsGiveTheSnapshotsOutput_data()
{
    QTest::addColumn<int>("task");
    QTest::newRow("add (regression, bahdanau)") << int(attn::TaskKind::Add);
    QTest::newRow("feature (BCE, over features)") << int(attn::TaskKind::Feature);
}

void TestWhatIfJob::unchangedWeightsGiveTheSnapshotsOutput()
{
    QFETCH(int, task);
    const Trained t = trainOneEpoch(attn::TaskKind(task));
    QVERIFY(t.snapshot.attention.rows >= 2);
    for (int r = 0; r < t.snapshot.attention.rows; ++r) {
        const WhatIfAnswer a = computeWhatIf(*t.model, t.snapshot, r, attentionRow(t.snapshot, r));
        QVERIFY2(a.error.isEmpty(), qPrintable(a.error));
        QCOMPARE(a.modelEpoch, 1);
        const double expected = double(t.snapshot.probePredictions[std::size_t(r)]);
        QVERIFY2(std::abs(a.original - expected) <= 1e-4 * (1 + std::abs(expected)),
                 qPrintable(QString("row %1: %2 vs %3").arg(r).arg(a.original).arg(expected)));
        QVERIFY(std::abs(a.edited - a.original) <= 1e-4 * (1 + std::abs(a.original)));
    }
}

void TestWhatIfJob::editedWeightsMoveTheOutput()
{
    // add: all the weight on a step that is not one of the two numbers changes the output.
    const Trained t = trainOneEpoch(attn::TaskKind::Add);
    std::vector<float> oneHot(20, 0.0f);
    oneHot[0] = 1.0f;
    const WhatIfAnswer a = computeWhatIf(*t.model, t.snapshot, 0, oneHot);
    QVERIFY2(a.error.isEmpty(), qPrintable(a.error));
    QVERIFY(std::isfinite(a.edited));
    QVERIFY(std::abs(a.edited - a.original) > 1e-6);
    std::vector<float> other(20, 0.0f);
    other[4] = 1.0f;
    QVERIFY(computeWhatIf(*t.model, t.snapshot, 0, other).edited != a.edited);
}

void TestWhatIfJob::badRequestsAreErrors()
{
    const Trained t = trainOneEpoch(attn::TaskKind::Add);
    const std::vector<float> row = attentionRow(t.snapshot, 0);
    QVERIFY(computeWhatIf(*t.model, t.snapshot, 99, row).error.contains("probe row 99"));
    QVERIFY(computeWhatIf(*t.model, t.snapshot, -1, row).error.contains("probe row"));
    QVERIFY(computeWhatIf(*t.model, t.snapshot, 0, std::vector<float>(3, 1.0f / 3)).error.contains("3 weights for 20"));
    QVERIFY(computeWhatIf(*t.model, t.snapshot, 0, std::vector<float>(20, 0.1f)).error.contains("sum to 2"));
}

void TestWhatIfJob::jobAnswersBySignal()
{
    const Trained t = trainOneEpoch(attn::TaskKind::Add);
    WhatIfJob job;
    QSignalSpy spy(&job, &WhatIfJob::finished);
    std::vector<float> first(20, 0.0f), second(20, 0.0f), third(20, 0.0f);
    first[1] = second[2] = third[3] = 1.0f;
    job.start(t.model, t.snapshot, 0, first);
    job.start(t.model, t.snapshot, 0, second); // waits, then replaced by the third
    job.start(t.model, t.snapshot, 0, third);
    QTRY_COMPARE_WITH_TIMEOUT(spy.size(), 2, 20000);
    const auto r1 = spy[0][0].value<WhatIfJob::Result>(), r2 = spy[1][0].value<WhatIfJob::Result>();
    QCOMPARE(r1.weights, first);
    QCOMPARE(r2.weights, third);
    QCOMPARE(r2.answer.edited, computeWhatIf(*t.model, t.snapshot, 0, third).edited);
    QVERIFY(r2.answer.error.isEmpty());
    job.start(nullptr, t.snapshot, 0, first);
    QCOMPARE(spy.size(), 3);
    QVERIFY(spy[2][0].value<WhatIfJob::Result>().answer.error.contains("no trained weights"));
}

QTEST_MAIN(TestWhatIfJob)
#include "tst_whatifjob.moc"
