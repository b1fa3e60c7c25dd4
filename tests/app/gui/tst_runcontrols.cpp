// SPDX-License-Identifier: GPL-3.0-or-later
// The run controls' shortcuts, pressed as keys on the main window: Train (Ctrl+Return), Space,
// Space, Stop (Ctrl+.), Train again, Step (Ctrl+Right) and Reset (Ctrl+R). Space pauses and then
// resumes the same run where it paused (never restarts it), also with a button focused whose
// text changed; Ctrl+Return trains after Stop; each state is checked on the controller and the
// history. The buttons stay where they are when rows of the form appear and disappear, and
// training progress does not overwrite the status line.
#include "app/gui/mainwindow.h"
#include "app/gui/runcontrols.h"
#include "tests/settingsisolation.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>

namespace {

RunSettings longRun()
{
    RunSettings s = RunSettings::defaults(attn::TaskKind::Max);
    s.model.hidden = 8;
    s.model.attentionUnits = 8;
    s.train.epochs = 100000;
    s.size = {512, 64};
    return s;
}

// Epochs 0, 1, 2, ... of one run: nothing restarted, nothing skipped.
bool contiguousFromZero(const std::vector<attn::EpochSnapshot> &history)
{
    for (std::size_t i = 0; i < history.size(); ++i)
        if (history[i].epoch != int(i))
            return false;
    return !history.empty();
}

} // namespace

class TestRunControls : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void keysDriveTheRun();
    void buttonsStayWhenRowsChange();
    void progressLeavesTheStatusLine();

private:
    QTemporaryDir m_config;
};

void TestRunControls::initTestCase()
{
    QVERIFY(m_config.isValid());
    testsupport::isolateSettings(m_config, "tst_runcontrols");
}

void TestRunControls::keysDriveTheRun()
{
    using State = TrainingWorker::State;
    MainWindow window(longRun());
    window.show();
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    TrainingController *controller = window.controller();
    auto *train = window.findChild<QPushButton *>("trainButton");
    auto *pause = window.findChild<QPushButton *>("pauseButton");
    QVERIFY(train && pause);

    // Train.
    QTest::keyClick(&window, Qt::Key_Return, Qt::ControlModifier);
    QTRY_COMPARE_WITH_TIMEOUT(controller->state(), State::Running, 30000);
    QTRY_VERIFY_WITH_TIMEOUT(window.history().size() >= 2, 30000);
    const long long firstRun = controller->runId();
    QCOMPARE(train->text(), QStringLiteral("Restart"));

    // Space with the Restart button focused: pauses, the button does not take the key.
    train->setFocus();
    QTest::keyClick(train, Qt::Key_Space);
    QTRY_COMPARE_WITH_TIMEOUT(controller->state(), State::Paused, 30000);
    QCOMPARE(pause->text(), QStringLiteral("Resume"));
    QCOMPARE(controller->runId(), firstRun);
    const std::size_t held = window.history().size();

    // Space again: the same run resumes and its epochs continue.
    QTest::keyClick(train, Qt::Key_Space);
    QTRY_COMPARE_WITH_TIMEOUT(controller->state(), State::Running, 30000);
    QCOMPARE(pause->text(), QStringLiteral("Pause"));
    QTRY_VERIFY_WITH_TIMEOUT(window.history().size() > held + 1, 30000);
    QCOMPARE(controller->runId(), firstRun);
    QVERIFY(contiguousFromZero(window.history()));

    // Ctrl+. stops; the epochs stay.
    QTest::keyClick(&window, Qt::Key_Period, Qt::ControlModifier);
    QTRY_COMPARE_WITH_TIMEOUT(controller->state(), State::Stopped, 30000);
    QCOMPARE(train->text(), QStringLiteral("Train"));
    QVERIFY(window.history().size() > held);
    // The bar says where it stopped, with no time left to wait for.
    const QProgressBar *bar = window.controls()->progressBar();
    const int trained = window.history().back().epoch;
    QCOMPARE(bar->format(), QStringLiteral("stopped after epoch %1 / %2").arg(trained).arg(window.settings().train.epochs));
    QCOMPARE(bar->value(), trained);
    QVERIFY2(!window.controls()->rateLabel()->text().contains("ETA"), qPrintable(window.controls()->rateLabel()->text()));

    // Ctrl+Return after Stop trains a new run from epoch 0.
    QTest::keyClick(&window, Qt::Key_Return, Qt::ControlModifier);
    QTRY_COMPARE_WITH_TIMEOUT(controller->state(), State::Running, 30000);
    QVERIFY(controller->runId() > firstRun);
    QTRY_VERIFY_WITH_TIMEOUT(window.history().size() >= 2, 30000);
    QVERIFY(contiguousFromZero(window.history()));
    const long long secondRun = controller->runId();

    // Ctrl+Right: one more epoch, then paused; again: exactly one more.
    QTest::keyClick(&window, Qt::Key_Right, Qt::ControlModifier);
    QTRY_COMPARE_WITH_TIMEOUT(controller->state(), State::Paused, 30000);
    const std::size_t stepped = window.history().size();
    QTest::keyClick(&window, Qt::Key_Right, Qt::ControlModifier);
    QTRY_COMPARE_WITH_TIMEOUT(window.history().size(), stepped + 1, 30000);
    QTRY_COMPARE_WITH_TIMEOUT(controller->state(), State::Paused, 30000);
    QCOMPARE(controller->runId(), secondRun);
    QVERIFY(contiguousFromZero(window.history()));

    // Ctrl+R: a new run waiting at its untrained epoch 0.
    QTest::keyClick(&window, Qt::Key_R, Qt::ControlModifier);
    QVERIFY(controller->runId() > secondRun);
    QTRY_COMPARE_WITH_TIMEOUT(controller->state(), State::Paused, 30000);
    QTRY_COMPARE_WITH_TIMEOUT(window.history().size(), std::size_t(1), 30000);
    QCOMPARE(window.history().front().epoch, 0);
    QCOMPARE(pause->text(), QStringLiteral("Resume"));
    // And Space starts it from there.
    QTest::keyClick(&window, Qt::Key_Space);
    QTRY_VERIFY_WITH_TIMEOUT(window.history().size() >= 2, 30000);
    QVERIFY(contiguousFromZero(window.history()));
    QTest::keyClick(&window, Qt::Key_Period, Qt::ControlModifier);
    QTRY_COMPARE_WITH_TIMEOUT(controller->state(), State::Stopped, 30000);
}

void TestRunControls::buttonsStayWhenRowsChange()
{
    MainWindow window(RunSettings::defaults(attn::TaskKind::Max));
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto *train = window.findChild<QPushButton *>("trainButton");
    auto *pause = window.findChild<QPushButton *>("pauseButton");
    auto *task = window.findChild<QComboBox *>("taskBox");
    auto *attention = window.findChild<QComboBox *>("attentionBox");
    QVERIFY(train && pause && task && attention);
    const auto where = [&] {
        QCoreApplication::processEvents(); // the layouts settle
        return QList<QPoint>{train->mapTo(&window, QPoint()), pause->mapTo(&window, QPoint())};
    };
    const QList<QPoint> first = where();
    // Sentiment adds four tokenizer rows, feature drops the recurrent ones, self-attention
    // adds heads, mask and window.
    task->setCurrentIndex(task->findText("sentiment"));
    QCOMPARE(where(), first);
    task->setCurrentIndex(task->findText("feature"));
    QCOMPARE(where(), first);
    task->setCurrentIndex(task->findText("add"));
    attention->setCurrentIndex(attention->findText("self"));
    QCOMPARE(where(), first);
}

void TestRunControls::progressLeavesTheStatusLine()
{
    MainWindow window(longRun());
    window.show();
    QSignalSpy progress(window.controller(), &TrainingController::progress);
    window.startTraining();
    QTRY_COMPARE_WITH_TIMEOUT(window.controller()->state(), TrainingWorker::State::Running, 30000);
    window.statusBar()->showMessage(QStringLiteral("Saved the session to run.attnsession"));
    const qsizetype before = progress.count();
    QTRY_VERIFY_WITH_TIMEOUT(progress.count() >= before + 3, 30000);
    QCOMPARE(window.statusBar()->currentMessage(), QStringLiteral("Saved the session to run.attnsession"));
    window.controller()->stop();
    QTRY_COMPARE_WITH_TIMEOUT(window.controller()->state(), TrainingWorker::State::Stopped, 30000);
}

QTEST_MAIN(TestRunControls)
#include "tst_runcontrols.moc"
