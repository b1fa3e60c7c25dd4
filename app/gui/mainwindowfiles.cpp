// SPDX-License-Identifier: GPL-3.0-or-later
// MainWindow's files (mainwindow.h): opening a CSV file through the import dialog (also by drag
// and drop), saving and opening sessions, saving and loading models, and predicting a CSV file
// with the run's model; every failure is a message box and the window keeps its run.
#include "app/gui/mainwindow.h"

#include "app/gui/attentionviews.h"
#include "app/gui/busyrun.h"
#include "app/gui/csvimportdialog.h"
#include "app/gui/runcontrols.h"
#include "app/gui/runsettingspanel.h"
#include "app/gui/timelinebar.h"
#include "app/session/csvguess.h"
#include "app/session/plural.h"
#include "core/io/modelfile.h"
#include "widgets/curvesview.h"
#include "widgets/explainview.h"

#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <QMimeData>
#include <QStatusBar>

using attn::TaskKind;

void MainWindow::openCsvFile(const QString &chosen)
{
    const QString path = !chosen.isEmpty() ? chosen
                                           : QFileDialog::getOpenFileName(
                                                 this, tr("Open CSV sequences"), shippedDataDirectory(),
                                                 tr("Sequences (*.csv *.tsv *.txt);;All files (*)"));
    if (path.isEmpty())
        return;
    RunSettings base = RunSettings::defaults(TaskKind::Csv);
    base.train.seed = m_panel->seed();
    CsvImportDialog dialog(guessCsvSettings(path, base), this);
    // The dialog runs the whole check on every change and enables OK only for a usable file;
    // cancelling keeps the window's data and settings.
    if (dialog.exec() != QDialog::Accepted)
        return;
    m_panel->showCsvSettings(dialog.settings());
    statusBar()->showMessage(tr("%1: %2; press Train.")
                                 .arg(QFileInfo(path).fileName(),
                                      dialog.shapeText().replace('\n', QStringLiteral("; "))));
}

bool MainWindow::saveSessionFile(const QString &path)
{
    QString error;
    if (!m_run.save(path, &error)) {
        QMessageBox::warning(this, tr("Cannot save the session"), error);
        return false;
    }
    statusBar()->showMessage(tr("Saved the session (%1%2) to %3")
                                 .arg(countText(m_run.trainedEpochs(), tr("epoch"), tr("epochs")))
                                 .arg(m_run.model() ? tr(" and the model") : QString())
                                 .arg(path),
                             8000);
    m_runSaved = true;
    return true;
}

bool MainWindow::openSessionFile(const QString &path)
{
    QString error;
    std::optional<RunHistory::Loaded> loaded =
        runBusy(this, tr("Opening %1...").arg(QFileInfo(path).fileName()),
                [path, &error] { return RunHistory::read(path, &error); });
    if (!loaded) {
        QMessageBox::warning(this, tr("Cannot open the session"), error);
        return false;
    }
    m_controller->stop();
    if (loaded->session.settings.task == TaskKind::Csv)
        m_panel->showCsvSettings(loaded->session.settings);
    else
        m_panel->showSettings(loaded->session.settings);
    const bool model = loaded->model != nullptr;
    m_run.adopt(std::move(*loaded));
    clearViews();
    m_curves->setHistory(m_run.snapshots());
    m_views->explain()->setHistory(m_run.snapshots());
    m_timeline->setCount(m_run.size()); // from 0 (clearViews): shows the newest epoch
    // Early stopping kept the best epoch's weights: show that epoch, as the live run ends.
    if (const int i = m_run.restoredIndex(); i >= 0)
        m_timeline->setCurrentIndex(i);
    if (const auto &trained = m_run.model()) { // what the live run's label said, but its speed
        long long parameters = 0;
        for (const attn::Mat &w : trained->values)
            parameters += w.size();
        m_modelLabel->setText(tr("%1\n%2, the weights of epoch %3")
                                  .arg(RunSettingsPanel::modelDescription(m_run.settings()),
                                       countText(parameters, tr("parameter"), tr("parameters")))
                                  .arg(trained->epoch));
    }
    m_controls->showSavedRun(); // not the previous run's bar and speed
    m_runSaved = true; // as on disk
    statusBar()->showMessage(tr("Opened %1: %2%3; drag the slider or press P to replay.%4")
                                 .arg(QFileInfo(path).fileName())
                                 .arg(countText(m_run.trainedEpochs(), tr("epoch"), tr("epochs")))
                                 .arg(model ? tr(" and the model") : QString(), m_controls->restoredNote()));
    m_controls->updateButtons();
    return true;
}

bool MainWindow::saveModelFile(const QString &path)
{
    if (!m_run.model()) {
        QMessageBox::information(this, tr("No model yet"), tr("Train (or load) a model first."));
        return false;
    }
    if (QString error; !m_run.saveModel(path, &error)) {
        QMessageBox::warning(this, tr("Cannot save the model"), error);
        return false;
    }
    const attn::ModelPaths paths = attn::modelPaths(path.toStdString());
    statusBar()->showMessage(tr("Saved the model of epoch %1 to %2 and %3")
                                 .arg(m_run.model()->epoch)
                                 .arg(QString::fromStdString(paths.weights),
                                      QString::fromStdString(paths.architecture)),
                             8000);
    return true;
}

bool MainWindow::loadModelFile(const QString &path)
{
    QString error;
    TrainedModelPtr model = runBusy(this, tr("Loading %1...").arg(QFileInfo(path).fileName()),
                                    [path, &error] { return RunHistory::readModel(path, &error); });
    if (!model) {
        QMessageBox::warning(this, tr("Cannot load the model"), error);
        return false;
    }
    m_run.setModel(model);
    const attn::ModelSpec &spec = m_run.model()->spec;
    statusBar()->showMessage(tr("Loaded a %1 model for %2 (T = %3, F = %4): File > Predict uses it.")
                                 .arg(QString::fromStdString(attn::toString(spec.model.attention)),
                                      QString::fromStdString(attn::toString(spec.task)))
                                 .arg(spec.steps)
                                 .arg(spec.features));
    return true;
}

bool MainWindow::predictCsvFile(const QString &input, const QString &predictionsPath)
{
    if (!m_run.model()) {
        QMessageBox::information(this, tr("No model yet"), tr("Train (or load) a model first."));
        return false;
    }
    if (m_prediction->isRunning()) {
        statusBar()->showMessage(tr("A prediction is still running."), 5000);
        return false;
    }
    statusBar()->showMessage(tr("Predicting %1...").arg(QFileInfo(input).fileName()));
    m_prediction->start(m_run.model(), input, predictionsPath);
    return true;
}

void MainWindow::onPredicted(const PredictionJob::Result &result)
{
    if (result.ok()) {
        statusBar()->showMessage(PredictionJob::summary(result), 10000);
    } else {
        statusBar()->clearMessage();
        QMessageBox::warning(this, result.errorTitle, result.error);
    }
    emit predictionFinished(result.ok());
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (event->mimeData()->hasUrls() && event->mimeData()->urls().size() == 1 &&
        event->mimeData()->urls().first().isLocalFile())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    openCsvFile(event->mimeData()->urls().first().toLocalFile());
}
