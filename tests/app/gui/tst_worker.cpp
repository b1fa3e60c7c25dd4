// SPDX-License-Identifier: GPL-3.0-or-later
// The training worker and controller in their real thread: a snapshot arrives per epoch, pause
// holds the epoch count, step advances it by exactly one, stop ends the run, and closing the
// main window mid-epoch joins the thread cleanly.
#include "app/gui/mainwindow.h"
#include "app/session/trainingcontroller.h"
#include "tests/settingsisolation.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

namespace {

RunSettings smallRun(int epochs)
{
    RunSettings s = RunSettings::defaults(attn::TaskKind::Max);
    s.model.hidden = 16;
    s.model.attentionUnits = 16;
    s.train.epochs = epochs;
    s.size = {2048, 256};
    return s;
}

} // namespace

class TestWorker : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void snapshotPerEpoch();
    void pauseHoldsAndStepAdvancesByOne();
    void epochZeroArrivesBeforeTheFirstState();
    void stopEndsTheRun();
    void stopRightAfterStartStopsTheRun();
    void badSettingsReportAnError();
    void closingTheWindowMidEpochExitsCleanly();

private:
    QTemporaryDir m_config;
};

void TestWorker::initTestCase()
{
    QVERIFY(m_config.isValid());
    testsupport::isolateSettings(m_config, "tst_worker");
    QSettings().setValue(MainWindow::kAskSaveOnQuit, false); // closing mid-run must not ask
}

void TestWorker::snapshotPerEpoch()
{
    TrainingController controller;
    QSignalSpy snapshots(&controller, &TrainingController::snapshotReady);
    QSignalSpy states(&controller, &TrainingController::stateChanged);
    controller.start(smallRun(3));
    QTRY_COMPARE_WITH_TIMEOUT(controller.state(), TrainingWorker::State::Finished, 60000);
    QCOMPARE(snapshots.count(), 4); // epoch 0 (untrained) + 3 epochs
    for (int i = 0; i < 4; ++i) {
        const auto s = snapshots.at(i).at(0).value<attn::EpochSnapshot>();
        QCOMPARE(s.epoch, i);
        QCOMPARE(s.attention.rows, 12);
        QCOMPARE(s.attention.cols, 10);
        QVERIFY(s.alignment.has_value());
    }
    QVERIFY(!controller.isActive());
}

void TestWorker::pauseHoldsAndStepAdvancesByOne()
{
    TrainingController controller;
    QSignalSpy snapshots(&controller, &TrainingController::snapshotReady);
    controller.start(smallRun(50));
    controller.pause(); // takes effect at the next batch boundary
    QTRY_COMPARE_WITH_TIMEOUT(controller.state(), TrainingWorker::State::Paused, 30000);
    QTest::qWait(300);
    const int held = int(snapshots.count());
    QTest::qWait(700);
    QCOMPARE(int(snapshots.count()), held); // pause holds the epoch count
    controller.step();
    QTRY_COMPARE_WITH_TIMEOUT(int(snapshots.count()), held + 1, 30000);
    QTRY_COMPARE_WITH_TIMEOUT(controller.state(), TrainingWorker::State::Paused, 30000);
    QTest::qWait(700);
    QCOMPARE(int(snapshots.count()), held + 1); // exactly one epoch
    const auto last = snapshots.last().at(0).value<attn::EpochSnapshot>();
    QCOMPARE(last.epoch, held); // snapshot 0 is epoch 0
    controller.resume();
    QTRY_VERIFY_WITH_TIMEOUT(snapshots.count() > held + 1, 30000);
    controller.stop();
    QTRY_COMPARE_WITH_TIMEOUT(controller.state(), TrainingWorker::State::Stopped, 30000);
}

void TestWorker::epochZeroArrivesBeforeTheFirstState()
{
    // The worker's signals in the order they arrive (queued to this thread, so in emission
    // order): a run started paused must have sent epoch 0 when it reports Paused, however long
    // the evaluation takes, or the window shows "Paused" with nothing to show.
    TrainingController controller;
    QStringList received;
    connect(controller.worker(), &TrainingWorker::snapshotReady, &controller,
            [&](long long, const attn::EpochSnapshot &s) { received << QString("epoch %1").arg(s.epoch); });
    connect(controller.worker(), &TrainingWorker::stateChanged, &controller,
            [&](long long, TrainingWorker::State state) {
                received << (state == TrainingWorker::State::Paused ? "Paused" : "another state");
            });
    controller.start(smallRun(5), true);
    QTRY_COMPARE_WITH_TIMEOUT(controller.state(), TrainingWorker::State::Paused, 30000);
    received.removeDuplicates(); // Paused comes again from the wait before epoch 1
    QCOMPARE(received, QStringList({"epoch 0", "Paused"}));
    controller.stop();
    QTRY_COMPARE_WITH_TIMEOUT(controller.state(), TrainingWorker::State::Stopped, 30000);
}

void TestWorker::stopEndsTheRun()
{
    TrainingController controller;
    QSignalSpy progress(&controller, &TrainingController::progress);
    controller.start(smallRun(1000));
    QTRY_VERIFY_WITH_TIMEOUT(progress.count() > 0, 30000);
    controller.stop();
    QTRY_COMPARE_WITH_TIMEOUT(controller.state(), TrainingWorker::State::Stopped, 30000);
    const auto p = progress.last().at(0).value<attn::ProgressInfo>();
    QVERIFY(p.samplesPerSecond > 0);
    QVERIFY(p.samplesDone <= p.samplesPerEpoch);
}

void TestWorker::stopRightAfterStartStopsTheRun()
{
    // The stop reaches the worker before the queued run begins: it must not be forgotten.
    TrainingController controller;
    QSignalSpy snapshots(&controller, &TrainingController::snapshotReady);
    controller.start(smallRun(200));
    controller.stop();
    QTRY_COMPARE_WITH_TIMEOUT(controller.state(), TrainingWorker::State::Stopped, 30000);
    QVERIFY2(snapshots.count() <= 1, "only the untrained epoch 0 may arrive");
    // A new start after the stop trains again.
    controller.start(smallRun(1));
    QTRY_COMPARE_WITH_TIMEOUT(controller.state(), TrainingWorker::State::Finished, 30000);
}

void TestWorker::badSettingsReportAnError()
{
    TrainingController controller;
    QSignalSpy failed(&controller, &TrainingController::failed);
    RunSettings s = smallRun(1);
    s.model.attention = attn::AttentionKind::SelfAttention;
    s.model.heads = 3; // does not divide H = 16: the model cannot be built
    controller.start(s);
    QTRY_COMPARE_WITH_TIMEOUT(controller.state(), TrainingWorker::State::Failed, 30000);
    QCOMPARE(failed.count(), 1);
    QVERIFY2(failed.first().at(0).toString().contains("divisible"),
             qPrintable(failed.first().at(0).toString()));
    controller.start(smallRun(1)); // and the worker keeps working
    QTRY_COMPARE_WITH_TIMEOUT(controller.state(), TrainingWorker::State::Finished, 60000);
}

void TestWorker::closingTheWindowMidEpochExitsCleanly()
{
    auto *window = new MainWindow(smallRun(1000));
    window->show();
    QSignalSpy progress(window->controller(), &TrainingController::progress);
    window->startTraining();
    QTRY_VERIFY_WITH_TIMEOUT(progress.count() > 0, 30000); // inside an epoch
    QTRY_VERIFY_WITH_TIMEOUT(!window->history().empty(), 30000);
    QCOMPARE(window->history().front().epoch, 0);
    QElapsedTimer timer;
    timer.start();
    window->close();
    delete window; // stops the worker between batches and joins its thread
    QVERIFY2(timer.elapsed() < 5000, "closing took longer than a few batches");
}

QTEST_MAIN(TestWorker)
#include "tst_worker.moc"
