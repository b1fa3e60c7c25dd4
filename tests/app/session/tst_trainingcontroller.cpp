// SPDX-License-Identifier: GPL-3.0-or-later
// The training controller's run identity: restarting during training while the receiving thread
// is stalled (so the worker piles up queued epochs of the old run) never lets an old run's epoch
// into the new run's history; each history is epochs 0, 1, 2, ... of its own run.
#include "app/session/metatypes.h"
#include "app/session/trainingcontroller.h"

#include <QCoreApplication>
#include <QTest>
#include <QThread>

#include <vector>

namespace {

RunSettings quickRun(int epochs)
{
    RunSettings s = RunSettings::defaults(attn::TaskKind::Max);
    s.model.hidden = 8;
    s.model.attentionUnits = 8;
    s.train.epochs = epochs;
    s.size = {256, 64};
    return s;
}

} // namespace

class TestTrainingController : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { registerMetaTypes(); }
    void restartsDropTheOldRunsEpochs();
};

void TestTrainingController::restartsDropTheOldRunsEpochs()
{
    TrainingController controller;
    std::vector<std::vector<int>> histories(1); // epochs received per run, as the window stores them
    connect(&controller, &TrainingController::snapshotReady, this,
            [&](const attn::EpochSnapshot &s) { histories.back().push_back(s.epoch); });
    int workerEpochs = 0; // every epoch the worker sent, of any run (queued to this thread)
    connect(controller.worker(), &TrainingWorker::snapshotReady, this,
            [&](long long, const attn::EpochSnapshot &) { ++workerEpochs; }, Qt::QueuedConnection);
    controller.start(quickRun(100000));
    for (int restart = 0; restart < 5; ++restart) {
        QTRY_VERIFY_WITH_TIMEOUT(histories.back().size() >= 2, 60000); // training is under way
        // Stall the receiving thread while the worker keeps training and queueing epochs.
        QThread::msleep(400);
        histories.emplace_back();
        controller.start(quickRun(restart == 4 ? 3 : 100000)); // Restart
        QCoreApplication::processEvents(); // what the old run queued meanwhile arrives now
    }
    QTRY_COMPARE_WITH_TIMEOUT(controller.state(), TrainingWorker::State::Finished, 60000);
    QCOMPARE(int(histories.size()), 6);
    QCOMPARE(int(histories.back().size()), 4); // epochs 0..3 of the last run
    for (std::size_t run = 0; run < histories.size(); ++run) {
        const std::vector<int> &h = histories[run];
        QVERIFY2(!h.empty(), qPrintable(QString("run %1 received no epoch").arg(run)));
        for (std::size_t i = 0; i < h.size(); ++i)
            QVERIFY2(h[i] == int(i), qPrintable(QString("run %1: epoch %2 at position %3").arg(run).arg(h[i]).arg(i)));
    }
    // The stalls did make the old runs queue more epochs than their histories kept.
    std::size_t kept = 0;
    for (const auto &h : histories)
        kept += h.size();
    QVERIFY(std::size_t(workerEpochs) > kept);
}

QTEST_GUILESS_MAIN(TestTrainingController)
#include "tst_trainingcontroller.moc"
