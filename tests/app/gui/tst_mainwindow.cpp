// SPDX-License-Identifier: GPL-3.0-or-later
// The main window around a real short run: scrubbing the timeline shows the stored snapshot of
// that epoch, Reset waits at the untrained epoch 0 and Step advances exactly one epoch, and the
// settings and view choices persist through QSettings (in a temporary directory).
#include "app/gui/csvimportdialog.h"
#include "app/gui/mainmenus.h"
#include "app/gui/mainwindow.h"
#include "app/session/metatypes.h"
#include "app/gui/runcontrols.h"
#include "app/gui/timelinebar.h"
#include "widgets/curvesview.h"
#include "widgets/heatmapview.h"
#include "widgets/selfattentionview.h"

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

namespace {

RunSettings smallRun(int epochs)
{
    RunSettings s = RunSettings::defaults(attn::TaskKind::Max);
    s.model.hidden = 16;
    s.model.attentionUnits = 16;
    s.train.epochs = epochs;
    s.size = {1024, 128};
    return s;
}

// The attention panel's cells equal the snapshot's attention weights.
bool heatmapShows(attn::HeatmapView *view, const attn::EpochSnapshot &s)
{
    const int panel = view->panelIndex(QStringLiteral("Attention"));
    if (panel < 0)
        return false;
    for (int r = 0; r < s.attention.rows; ++r)
        for (int c = 0; c < s.attention.cols; ++c)
            if (std::abs(view->cellValue(panel, r, c) - double(s.attention.at(r, c))) > 1e-6)
                return false;
    return true;
}

} // namespace

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
    void sessionAndModelRoundTrip();
    void droppedUcrFileTrainsThroughTheImportDialog();
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
    registerMetaTypes();
    QVERIFY(m_config.isValid());
    // Keep the user's real settings out of the test.
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_config.path());
    QApplication::setOrganizationName("attention-studio-test");
    QApplication::setApplicationName("tst_mainwindow");
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

void TestMainWindow::sessionAndModelRoundTrip()
{
    QTemporaryDir dir;
    const QString session = dir.filePath("run.attnsession");
    std::vector<attn::EpochSnapshot> trained;
    {
        MainWindow window(smallRun(2));
        window.startTraining();
        QTRY_COMPARE_WITH_TIMEOUT(window.controller()->state(), TrainingWorker::State::Finished, 60000);
        QTRY_VERIFY_WITH_TIMEOUT(window.trainedModel() && window.trainedModel()->epoch == 2, 5000);
        QVERIFY(window.saveSessionFile(session));
        trained = window.history();
    }
    QVERIFY(QFile::exists(dir.filePath("run.safetensors")) && QFile::exists(dir.filePath("run.json")));

    // A fresh window shows the saved run at its newest epoch, with the model to predict with.
    MainWindow window(RunSettings::defaults(attn::TaskKind::Add));
    QVERIFY(window.openSessionFile(session));
    QVERIFY(window.settings().task == attn::TaskKind::Max);
    QCOMPARE(window.history().size(), trained.size());
    QCOMPARE(window.history().back().metric, trained.back().metric);
    QCOMPARE(window.history().back().attention.values, trained.back().attention.values);
    QVERIFY(heatmapShows(window.heatmapView(), trained.back()));
    QVERIFY(window.trainedModel());
    QCOMPARE(window.trainedModel()->epoch, 2);

    // Predict: ten values per row (the max task's T), no target column.
    const QString input = dir.filePath("rows.csv");
    QFile rows(input);
    QVERIFY(rows.open(QIODevice::WriteOnly));
    rows.write("0.1,0.2,0.9,0.4,0.5,0.6,0.7,0.8,0.3,0.0\n0.5,0.5,0.5,0.5,0.99,0.5,0.5,0.5,0.5,0.5\n");
    rows.close();
    QSignalSpy predicted(&window, &MainWindow::predictionFinished); // it runs off the GUI thread
    QVERIFY(window.predictCsvFile(input, dir.filePath("out.csv")));
    QVERIFY(predicted.wait(30000));
    QVERIFY(predicted.first().first().toBool());
    QFile out(dir.filePath("out.csv"));
    QVERIFY(out.open(QIODevice::ReadOnly));
    QCOMPARE(out.readAll().trimmed().split('\n').size(), 3); // header + 2 rows, no target column
    QVERIFY(QFile::exists(dir.filePath("out_attention.csv")));

    // A damaged session: a dialog names the fault, and the window keeps what it showed.
    QFile broken(dir.filePath("broken.attnsession"));
    QVERIFY(broken.open(QIODevice::WriteOnly));
    broken.write("{\"format\": \"attention-studio-session\",");
    broken.close();
    // The file is read on a pool thread first, so the box comes up after some event-loop turns.
    QString shown;
    QTimer closer;
    connect(&closer, &QTimer::timeout, &window, [&shown] {
        if (auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget())) {
            shown = box->text();
            box->reject();
        }
    });
    closer.start(10);
    QVERIFY(!window.openSessionFile(broken.fileName()));
    closer.stop();
    QVERIFY2(shown.startsWith(broken.fileName() + ": the file is damaged at line 1, column "), qPrintable(shown));
    QCOMPARE(window.history().size(), trained.size());
    QVERIFY(window.trainedModel());
}

void TestMainWindow::droppedUcrFileTrainsThroughTheImportDialog()
{
    MainWindow window(smallRun(1));
    window.show();
    const QString path = QStringLiteral(ATTN_RESOURCE_DATA "/ucr_gunpoint/GunPoint_TRAIN.txt");
    QString shape;
    // The dialog is modal: answer it from its event loop as a user would, pressing OK.
    QTimer answer;
    connect(&answer, &QTimer::timeout, &window, [&shape, &answer] {
        auto *dialog = qobject_cast<CsvImportDialog *>(QApplication::activeModalWidget());
        if (dialog && !dialog->isChecking()) { // OK is enabled once the check has passed
            answer.stop();
            shape = dialog->shapeText();
            dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->click();
        }
    });
    answer.start(20);
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(path)});
    const QPointF at = QRectF(window.rect()).center();
    QDragEnterEvent enter(at.toPoint(), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&window, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&window, &drop); // returns once the dialog is answered
    QVERIFY2(shape.contains("N = 40 training + 10 validation + 150 test"), qPrintable(shape));
    RunSettings s = window.settings();
    QVERIFY(s.task == attn::TaskKind::Csv);
    QCOMPARE(s.dataFile, path);
    // Train one short epoch on it: the heatmap shows GunPoint's 150 steps.
    window.startTraining();
    QTRY_VERIFY_WITH_TIMEOUT(window.history().size() >= 2, 60000);
    QCOMPARE(window.history().back().attention.cols, 150);
    QCOMPARE(window.history().back().metricName, std::string("accuracy"));
    window.controller()->stop();
    QTRY_VERIFY_WITH_TIMEOUT(!window.controller()->isActive(), 30000);
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
    QCOMPARE(window.controls()->progressBar()->value(), 0); // no stale "epoch 6 / 20" or ETA
    QVERIFY(!window.controls()->progressBar()->format().contains("/"));
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
