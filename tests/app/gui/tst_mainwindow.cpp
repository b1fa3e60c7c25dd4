// SPDX-License-Identifier: GPL-3.0-or-later
// The main window around a real short run: scrubbing the timeline shows the stored snapshot of
// that epoch, Reset waits at the untrained epoch 0 and Step advances exactly one epoch, the
// settings and view choices persist through QSettings (in a temporary directory), and other
// tasks and mechanisms clear the views. Sessions, models and dropped files: tst_mainwindowfiles.
#include "app/gui/csvimportdialog.h"
#include "app/gui/mainmenus.h"
#include "app/gui/mainwindow.h"
#include "app/session/metatypes.h"
#include "app/gui/runcontrols.h"
#include "app/gui/timelinebar.h"
#include "widgets/curvesview.h"
#include "widgets/explainview.h"
#include "widgets/featureweightsview.h"
#include "widgets/heatmapview.h"
#include "widgets/selfattentionview.h"
#include "tests/mainwindowhelpers.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QDialogButtonBox>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QUrl>
#include <QFile>
#include <QMessageBox>
#include <QStatusBar>
#include <QTimer>
#include <QTabWidget>

#include <QApplication>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace mainwindowtest;

class TestMainWindow : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void scrubbingShowsTheStoredSnapshot();
    void resetWaitsAtEpochZeroAndStepAdvancesByOne();
    void taskPickerOffersTheTasksMechanisms();
    void selfAttentionRunFillsItsMapView();
    void settingsPersist();
    void damagedSettingsFallBack();
    void anotherMechanismClearsTheViewsAndNoneShowsTheGroundTruth();
    void anotherTaskDuringTrainingStopsAndClears();
    void countsInWordsAndTheSameLiveAndReopened();
    void earlyStoppedRunShowsTheRestoredEpoch();
    void eachTaskSaysWhatItIs();
    void quittingWithAnUnsavedRunAsks();

private:
    QTemporaryDir m_config;
};

void TestMainWindow::initTestCase()
{
    QVERIFY(m_config.isValid());
    isolateSettings(m_config, "tst_mainwindow");
}

void TestMainWindow::scrubbingShowsTheStoredSnapshot()
{
    MainWindow window(smallRun(4));
    window.show();
    window.startTraining();
    QTRY_COMPARE_WITH_TIMEOUT(window.controller()->state(), TrainingWorker::State::Finished, 60000);
    const auto &history = window.history();
    QCOMPARE(int(history.size()), 5);
    QCOMPARE(window.timeline()->count(), 5);
    QCOMPARE(window.timeline()->currentIndex(), 4); // followed training to the newest epoch
    QVERIFY(heatmapShows(window.heatmapView(), history[4]));
    QVERIFY(!heatmapShows(window.heatmapView(), history[0])); // the epochs do differ

    window.timeline()->setCurrentIndex(1);
    QVERIFY(heatmapShows(window.heatmapView(), history[1]));
    window.timeline()->setCurrentIndex(0);
    QVERIFY(heatmapShows(window.heatmapView(), history[0]));

    window.timeline()->setSpeed(30.0);
    window.timeline()->play();
    QTRY_VERIFY_WITH_TIMEOUT(!window.timeline()->isPlaying(), 5000);
    QVERIFY(heatmapShows(window.heatmapView(), history[4]));
}

void TestMainWindow::resetWaitsAtEpochZeroAndStepAdvancesByOne()
{
    MainWindow window(smallRun(50));
    window.show();
    window.reset();
    QTRY_COMPARE_WITH_TIMEOUT(window.controller()->state(), TrainingWorker::State::Paused, 30000);
    QTRY_COMPARE_WITH_TIMEOUT(int(window.history().size()), 1, 30000);
    QCOMPARE(window.history().front().epoch, 0);
    QTest::qWait(500);
    QCOMPARE(int(window.history().size()), 1); // paused holds the epoch count
    window.controller()->step();
    QTRY_COMPARE_WITH_TIMEOUT(int(window.history().size()), 2, 30000);
    QTRY_COMPARE_WITH_TIMEOUT(window.controller()->state(), TrainingWorker::State::Paused, 30000);
    QTest::qWait(500);
    QCOMPARE(int(window.history().size()), 2); // exactly one epoch
    QCOMPARE(window.history().back().epoch, 1);

    // Reset again: the same seed gives the same untrained attention.
    const attn::EpochSnapshot first = window.history().front();
    window.reset();
    QTRY_COMPARE_WITH_TIMEOUT(int(window.history().size()), 1, 30000);
    QCOMPARE(window.history().front().attention.values, first.attention.values);
}

void TestMainWindow::taskPickerOffersTheTasksMechanisms()
{
    for (attn::TaskKind task : attn::allTaskKinds()) {
        MainWindow window(RunSettings::defaults(task));
        auto *attention = window.findChild<QComboBox *>("attentionBox");
        QVERIFY(attention);
        const std::vector<attn::AttentionKind> expected = attn::applicableAttention(task);
        QCOMPARE(attention->count(), int(expected.size()));
        for (int i = 0; i < attention->count(); ++i)
            QCOMPARE(attention->itemText(i), QString::fromStdString(attn::toString(expected[std::size_t(i)])));
        // The published mechanism is selected, and what the window would train is that task.
        QCOMPARE(attention->currentIndex(), 0);
        QVERIFY(window.settings().task == task);
        QVERIFY(window.settings().model.attention == expected.front());
        // The task's own view is in front from the start (the feature task's bars).
        if (task == attn::TaskKind::Feature)
            QVERIFY(qobject_cast<attn::FeatureWeightsView *>(window.findChild<QTabWidget *>()->currentWidget()));
        if (task == attn::TaskKind::Add)
            QCOMPARE(window.findChild<QTabWidget *>()->currentWidget(), static_cast<QWidget *>(window.heatmapView()));
    }
}

void TestMainWindow::selfAttentionRunFillsItsMapView()
{
    RunSettings s = smallRun(1);
    s.model.attention = attn::AttentionKind::SelfAttention;
    s.model.heads = 2;
    s.model.causal = true;
    MainWindow window(s);
    window.show();
    auto *view = window.findChild<attn::SelfAttentionView *>();
    QVERIFY(view);
    auto *tabs = window.findChild<QTabWidget *>();
    QVERIFY(tabs->isTabVisible(tabs->indexOf(view)));
    window.startTraining();
    QTRY_COMPARE_WITH_TIMEOUT(window.controller()->state(), TrainingWorker::State::Finished, 60000);
    QCOMPARE(tabs->currentWidget(), static_cast<QWidget *>(view));
    QCOMPARE(view->headCount(), 2);
    QCOMPARE(view->steps(), 10);
    // The view shows the newest epoch's map; causal: nothing above the diagonal.
    const auto &maps = window.history().back().headMaps;
    QVERIFY(!maps.empty());
    for (int q = 0; q < 10; ++q)
        for (int k = q + 1; k < 10; ++k)
            QCOMPARE(view->cellValue(q, k), 0.0);
    // Training the same again keeps the tab the user moved to; another mechanism brings its own.
    tabs->setCurrentWidget(window.heatmapView());
    window.startTraining();
    QCOMPARE(tabs->currentWidget(), static_cast<QWidget *>(window.heatmapView()));
    QTRY_COMPARE_WITH_TIMEOUT(window.controller()->state(), TrainingWorker::State::Finished, 60000);
    tabs->setCurrentWidget(window.findChild<attn::ExplainView *>());
    auto *attention = window.findChild<QComboBox *>("attentionBox");
    attention->setCurrentIndex(attention->findText("luong"));
    QCOMPARE(tabs->currentWidget(), static_cast<QWidget *>(window.heatmapView()));
}

void TestMainWindow::settingsPersist()
{
    {
        RunSettings s = smallRun(7);
        s.train.seed = 1234;
        s.model.attention = attn::AttentionKind::Bahdanau;
        s.model.init = attn::WeightInit::PyTorch; // the settings panel's "Initialisation" box
        MainWindow window(s);
        window.show();
        window.heatmapView()->setColorMap(attn::ColorMapKind::Magma);
        window.timeline()->setSpeed(5.0);
        window.close(); // saves the layout and the settings shown
    }
    QSettings store;
    const RunSettings loaded = loadRunSettings(store, RunSettings::defaults(attn::TaskKind::Add));
    QVERIFY(loaded.task == attn::TaskKind::Max);
    QCOMPARE(loaded.train.epochs, 7);
    QCOMPARE(loaded.train.seed, 1234u);
    QVERIFY(loaded.model.attention == attn::AttentionKind::Bahdanau);
    QCOMPARE(loaded.model.hidden, 16);

    MainWindow again(loaded);
    QCOMPARE(again.heatmapView()->colorMapKind(), attn::ColorMapKind::Magma);
    QCOMPARE(again.timeline()->speed(), 5.0);
    QCOMPARE(again.settings().train.seed, 1234u);
    QVERIFY(loaded.model.init == attn::WeightInit::PyTorch && again.settings().model.init == loaded.model.init);
}

void TestMainWindow::damagedSettingsFallBack()
{
    QSettings store;
    store.setValue("run/task", "no-such-task");
    store.setValue("run/hidden", "many");
    store.setValue("run/epochs", -3);
    store.setValue("run/learningRate", "fast");
    const RunSettings fallback = RunSettings::defaults(attn::TaskKind::Add);
    store.setValue("run/attention", "luong-dot");
    const RunSettings loaded = loadRunSettings(store, fallback);
    QVERIFY(loaded.task == attn::TaskKind::Add);
    QCOMPARE(loaded.model.hidden, fallback.model.hidden);
    QCOMPARE(loaded.train.epochs, fallback.train.epochs);
    QCOMPARE(loaded.train.learningRate, fallback.train.learningRate);
    QVERIFY(loaded.model.attention == attn::AttentionKind::LuongDot); // valid entries still apply
}

void TestMainWindow::anotherMechanismClearsTheViewsAndNoneShowsTheGroundTruth()
{
    MainWindow window(smallRun(2));
    window.show();
    window.startTraining();
    QTRY_COMPARE_WITH_TIMEOUT(window.controller()->state(), TrainingWorker::State::Finished, 60000);
    auto *model = window.findChild<QLabel *>("modelLabel");
    auto *attention = window.findChild<QComboBox *>("attentionBox");
    QVERIFY(model && attention);
    QVERIFY(model->text().contains("luong"));
    QCOMPARE(window.curvesView()->pointCount(), 2);
    QVERIFY(window.heatmapView()->panelIndex("Attention") >= 0);

    // Picking `none` leaves nothing of the luong run on screen.
    attention->setCurrentIndex(attention->findText("none"));
    QCOMPARE(window.heatmapView()->panelCount(), 0);
    QCOMPARE(window.curvesView()->pointCount(), 0);
    QCOMPARE(window.timeline()->count(), 0);
    QVERIFY(model->text().isEmpty());
    QVERIFY(window.findChild<QLabel *>("epochLabel")->text().isEmpty());

    // `none` trained: the window says the model has no attention and still shows the truth.
    window.startTraining();
    QTRY_COMPARE_WITH_TIMEOUT(window.controller()->state(), TrainingWorker::State::Finished, 60000);
    QVERIFY(model->text().contains("no attention"));
    QCOMPARE(window.curvesView()->noAlignmentNote(), QStringLiteral("this model has no attention"));
    QVERIFY(window.heatmapView()->title().contains("this model has no attention"));
    QCOMPARE(window.heatmapView()->panelIndex("Attention"), -1);
    const int truth = window.heatmapView()->panelIndex("Ground truth");
    QVERIFY(truth >= 0);
    QCOMPARE(window.heatmapView()->cellValue(truth, 0, 0),
             double(window.history().back().groundTruth.at(0, 0)));
}

void TestMainWindow::anotherTaskDuringTrainingStopsAndClears()
{
    MainWindow window(smallRun(100000));
    window.show();
    window.startTraining();
    QTRY_VERIFY_WITH_TIMEOUT(window.curvesView()->pointCount() >= 1, 60000);
    auto *task = window.findChild<QComboBox *>("taskBox");
    QVERIFY(task);
    task->setCurrentIndex(task->findText("add"));
    QCOMPARE(window.controller()->state(), TrainingWorker::State::Stopped);
    QVERIFY(!window.controller()->isActive());
    QCOMPARE(window.curvesView()->pointCount(), 0);
    QCOMPARE(window.heatmapView()->panelCount(), 0);
    // Whatever the stopped run still had on its way does not come back on screen.
    const std::size_t kept = window.history().size();
    QTest::qWait(500);
    QCOMPARE(window.history().size(), kept);
    QCOMPARE(window.curvesView()->pointCount(), 0);
    QCOMPARE(window.timeline()->count(), 0);
    QCOMPARE(window.controller()->state(), TrainingWorker::State::Stopped);
    QVERIFY2(window.controls()->progressBar()->text().isEmpty(), // no stale "epoch 6 / 20" or ETA
             qPrintable(window.controls()->progressBar()->text()));
    QVERIFY(window.controls()->rateLabel()->text().isEmpty());
}

void TestMainWindow::earlyStoppedRunShowsTheRestoredEpoch()
{
    // A learning rate far too high (as tst_headless): the validation loss stalls and early
    // stopping restores the best epoch; the views must show that model, not the last epoch's.
    RunSettings s = smallRun(40);
    s.train.patience = 3;
    s.train.learningRate = 0.3;
    s.train.seed = 2;
    s.train.batchSize = 16;
    s.size = {128, 64};
    MainWindow window(s);
    window.show();
    window.startTraining();
    QTRY_COMPARE_WITH_TIMEOUT(window.controller()->state(), TrainingWorker::State::Finished, 60000);
    const auto &history = window.history();
    const int best = history.back().bestEpoch;
    QVERIFY2(best > 0 && best < history.back().epoch, "no early stop");
    const int shown = window.timeline()->currentIndex();
    QCOMPARE(history[std::size_t(shown)].epoch, best);
    QVERIFY(heatmapShows(window.heatmapView(), history[std::size_t(shown)]));
    QVERIFY(!heatmapShows(window.heatmapView(), history.back()));
    QVERIFY2(window.statusBar()->currentMessage().endsWith(QStringLiteral("Showing epoch %1: the restored model, ringed.").arg(best)),
             qPrintable(window.statusBar()->currentMessage()));
    QVERIFY2(!window.controls()->rateLabel()->text().contains("ETA"), // nothing left to wait for
             qPrintable(window.controls()->rateLabel()->text()));
}

void TestMainWindow::countsInWordsAndTheSameLiveAndReopened()
{
    RunSettings s = smallRun(1);
    s.size = {32, 32}; // one batch of 32
    s.threads = 1;
    MainWindow window(s);
    window.show();
    window.startTraining();
    QTRY_COMPARE_WITH_TIMEOUT(window.controller()->state(), TrainingWorker::State::Finished, 60000);
    QVERIFY2(window.findChild<QLabel *>("modelLabel")->text().endsWith("parameters, 1 batch per epoch on 1 thread"),
             qPrintable(window.findChild<QLabel *>("modelLabel")->text()));
    QCOMPARE(window.statusBar()->currentMessage(),
             QStringLiteral("Finished 1 epoch: drag the slider or press P to replay."));
    QTemporaryDir dir;
    const QString path = dir.filePath("one.attnsession");
    QVERIFY(window.saveSessionFile(path));
    QVERIFY2(window.statusBar()->currentMessage().startsWith("Saved the session (1 epoch and the model)"),
             qPrintable(window.statusBar()->currentMessage()));
    MainWindow reopened(smallRun(1));
    QVERIFY(reopened.openSessionFile(path));
    QVERIFY2(reopened.statusBar()->currentMessage().startsWith("Opened one.attnsession: 1 epoch and the model;"),
             qPrintable(reopened.statusBar()->currentMessage()));
}

void TestMainWindow::eachTaskSaysWhatItIs()
{
    MainWindow window(smallRun(1));
    auto *task = window.findChild<QComboBox *>("taskBox");
    auto *note = window.findChild<QLabel *>("taskDescription");
    QVERIFY(task && note);
    QStringList seen;
    for (attn::TaskKind kind : attn::allTaskKinds()) {
        task->setCurrentIndex(task->findText(QString::fromStdString(attn::toString(kind))));
        QCOMPARE(note->text(), QString::fromStdString(attn::taskDescription(kind)));
        QVERIFY(note->text().contains("Inputs:") && note->text().contains("Output:"));
        QVERIFY(!seen.contains(note->text()));
        seen << note->text();
        // The Explain heatmap's columns: the feature task's are features.
        QCustomPlot *plot = window.findChild<attn::ExplainView *>()->plot();
        QCPColorMap *heat = nullptr;
        for (int i = 0; i < plot->plottableCount() && !heat; ++i)
            heat = qobject_cast<QCPColorMap *>(plot->plottable(i));
        QVERIFY(heat);
        QCOMPARE(heat->keyAxis()->label(),
                 kind == attn::TaskKind::Feature ? QStringLiteral("feature") : QStringLiteral("time step"));
    }
}

void TestMainWindow::quittingWithAnUnsavedRunAsks()
{
    QSettings().remove(MainWindow::kAskSaveOnQuit);
    // Answers the question box (if one comes up) as the user would; records that it came.
    QString asked;
    QMessageBox::StandardButton answer = QMessageBox::Cancel;
    bool dontAsk = false;
    QTimer answerer;
    connect(&answerer, &QTimer::timeout, this, [&] {
        if (auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget())) {
            asked = box->text();
            box->checkBox()->setChecked(dontAsk);
            box->button(answer)->click();
        }
    });
    answerer.start(20);

    MainWindow window(smallRun(1));
    window.show();
    window.startTraining();
    QTRY_COMPARE_WITH_TIMEOUT(window.controller()->state(), TrainingWorker::State::Finished, 60000);
    QVERIFY(window.hasUnsavedRun());
    // Cancel: the window stays.
    QVERIFY(!window.close());
    QCOMPARE(asked, QStringLiteral("The run of 1 epoch has not been saved."));
    QVERIFY(window.isVisible());
    // Discard and do not ask again: it closes and the choice is stored.
    asked.clear();
    answer = QMessageBox::Discard;
    dontAsk = true;
    QVERIFY(window.close());
    QVERIFY(!asked.isEmpty());
    QCOMPARE(QSettings().value(MainWindow::kAskSaveOnQuit).toBool(), false);
    // The next window with an unsaved run closes without asking.
    MainWindow next(smallRun(1));
    next.show();
    next.startTraining();
    QTRY_COMPARE_WITH_TIMEOUT(next.controller()->state(), TrainingWorker::State::Finished, 60000);
    asked.clear();
    QVERIFY(next.close());
    QVERIFY(asked.isEmpty());
    // A saved run does not ask either.
    QSettings().remove(MainWindow::kAskSaveOnQuit);
    MainWindow saved(smallRun(1));
    saved.show();
    saved.startTraining();
    QTRY_COMPARE_WITH_TIMEOUT(saved.controller()->state(), TrainingWorker::State::Finished, 60000);
    QTemporaryDir dir;
    QVERIFY(saved.saveSessionFile(dir.filePath("saved.attnsession")));
    QVERIFY(!saved.hasUnsavedRun());
    QVERIFY(saved.close());
    QVERIFY(asked.isEmpty());
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
