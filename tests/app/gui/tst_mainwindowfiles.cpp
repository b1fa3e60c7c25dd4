// SPDX-License-Identifier: GPL-3.0-or-later
// The main window's files (app/gui/mainwindowfiles.cpp) around a real short run: a session and a
// model saved and opened again show the same run (its faithfulness measures included; an early-
// stopped one at its restored epoch, one stopped by the user at its newest), and a UCR file dropped on the window trains
// through the import dialog.
#include "app/gui/csvimportdialog.h"
#include "app/gui/mainwindow.h"
#include "app/gui/runcontrols.h"
#include "app/gui/timelinebar.h"
#include "app/session/runhistory.h"
#include "tests/mainwindowhelpers.h"
#include "core/savedmodel/trainedmodel.h"
#include "tests/sessionsamples.h"

#include <QApplication>
#include <QDialogButtonBox>
#include <QFile>
#include <QLabel>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QUrl>

#include <memory>
#include <random>
#include <string>
#include <vector>

using namespace mainwindowtest;

class TestMainWindowFiles : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void sessionAndModelRoundTrip();
    void droppedUcrFileTrainsThroughTheImportDialog();
    void earlyStoppedSessionOpensAtTheRestoredEpoch();

private:
    QTemporaryDir m_config;
};

void TestMainWindowFiles::initTestCase()
{
    QVERIFY(m_config.isValid());
    isolateSettings(m_config, "tst_mainwindowfiles");
}

void TestMainWindowFiles::sessionAndModelRoundTrip()
{
    QTemporaryDir dir;
    const QString session = dir.filePath("run.attnsession");
    std::vector<attn::EpochSnapshot> trained;
    QString liveLabel;
    {
        RunSettings explained = smallRun(2);
        explained.train.explainRows = 8; // the faithfulness measures come back too
        MainWindow window(explained);
        window.startTraining();
        QTRY_COMPARE_WITH_TIMEOUT(window.controller()->state(), TrainingWorker::State::Finished, 60000);
        QTRY_VERIFY_WITH_TIMEOUT(window.trainedModel() && window.trainedModel()->epoch == 2, 5000);
        QVERIFY(window.saveSessionFile(session));
        trained = window.history();
        liveLabel = window.findChild<QLabel *>("modelLabel")->text(); // "...\nN parameters, ..."
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
    QVERIFY(trained.back().faithfulness && window.history().back().faithfulness);
    QCOMPARE(window.history().back().faithfulness->tauLeaveOneOut, trained.back().faithfulness->tauLeaveOneOut);
    QCOMPARE(window.history().back().faithfulness->probeLeaveOneOut.values,
             trained.back().faithfulness->probeLeaveOneOut.values);
    QVERIFY(window.trainedModel());
    QCOMPARE(window.trainedModel()->epoch, 2);
    // The model's description and size, as the live run's label gave them.
    const QString label = window.findChild<QLabel *>("modelLabel")->text();
    QVERIFY2(label.startsWith(liveLabel.section(" parameters", 0, 0) + " parameters, the weights of epoch 2"),
             qPrintable(label + " | " + liveLabel));

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

void TestMainWindowFiles::droppedUcrFileTrainsThroughTheImportDialog()
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

void TestMainWindowFiles::earlyStoppedSessionOpensAtTheRestoredEpoch()
{
    // Three epochs, the second the best. Early stopping saved epoch 2's model: the reopened run
    // shows epoch 2 (as the live run ends), its baselines with it, and a finished bar. Stopped
    // by the user after epoch 3 of 10, the model is epoch 3's: the newest epoch is shown, no
    // model is called restored, and the bar says where the run stopped.
    QTemporaryDir dir;
    std::mt19937 rng(3);
    RunHistory run;
    RunSettings settings = RunSettings::defaults(attn::TaskKind::Sentiment);
    settings.model.attention = attn::AttentionKind::SelfAttention;
    settings.model.heads = 2;
    settings.model.hidden = 8;
    run.setSettings(settings);
    for (int epoch = 1; epoch <= 3; ++epoch)
        run.append(attn::test::makeSnapshot(epoch, rng));
    QCOMPARE(run.back().bestEpoch, 2);
    attn::ModelSpec spec;
    const auto trainer = makeTrainer(settings, &spec);
    const auto reopen = [&](int modelEpoch, const QString &name) {
        run.setModel(attn::captureTrainedModel(trainer->model(), spec, modelEpoch));
        const QString path = dir.filePath(name);
        QString error;
        if (!run.save(path, &error))
            qWarning() << error;
        auto window = std::make_unique<MainWindow>(RunSettings::defaults(attn::TaskKind::Add));
        if (!window->openSessionFile(path))
            window.reset();
        return window;
    };

    const auto restored = reopen(2, "early.attnsession");
    QVERIFY(restored);
    QCOMPARE(restored->timeline()->count(), 3);
    QCOMPARE(restored->timeline()->currentIndex(), 1);
    QVERIFY(restored->statusBar()->currentMessage().contains("Showing epoch 2: the restored model"));
    QCOMPARE(restored->history()[1].baselines.size(), run.at(1).baselines.size());
    QCOMPARE(restored->controls()->progressBar()->format(), QStringLiteral("finished"));
    QCOMPARE(restored->controls()->progressBar()->value(), restored->controls()->progressBar()->maximum());
    QVERIFY(restored->controls()->rateLabel()->text().isEmpty());

    std::vector<attn::EpochSnapshot> planned = run.snapshots();
    run.clear();
    for (attn::EpochSnapshot &s : planned) {
        s.totalEpochs = 10;
        run.append(s);
    }
    const auto stopped = reopen(3, "stopped.attnsession");
    QVERIFY(stopped);
    QCOMPARE(stopped->timeline()->currentIndex(), 2);
    QVERIFY2(!stopped->statusBar()->currentMessage().contains("restored"),
             qPrintable(stopped->statusBar()->currentMessage()));
    QCOMPARE(stopped->controls()->progressBar()->format(), QStringLiteral("stopped after epoch 3 / 10"));
    QCOMPARE(stopped->controls()->progressBar()->value(), 3);
    QCOMPARE(stopped->controls()->progressBar()->maximum(), 10);
}

QTEST_MAIN(TestMainWindowFiles)
#include "tst_mainwindowfiles.moc"
