// SPDX-License-Identifier: GPL-3.0-or-later
// Main window layout and the wiring of its parts: run controls, the settings panel, the views,
// the replay timeline, the menus and persisted settings. Its files (CSV data, sessions, models,
// predictions, drag and drop): mainwindowfiles.cpp.
#include "app/gui/mainwindow.h"

#include "app/gui/attentionviews.h"
#include "app/gui/comparewindow.h"
#include "app/gui/exportactions.h"
#include "app/gui/mainmenus.h"
#include "app/gui/runcontrols.h"
#include "app/gui/runsettingspanel.h"
#include "app/gui/timelinebar.h"
#include "app/session/plural.h"
#include "widgets/curvesview.h"
#include "widgets/explainview.h"
#include "widgets/heatmapview.h"

#include <QAction>
#include <QCheckBox>
#include <QCloseEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QVBoxLayout>

using attn::TaskKind;

const char *const MainWindow::kAskSaveOnQuit = "ask/saveOnQuit";

MainWindow::MainWindow(const RunSettings &initial, QWidget *parent)
    : QMainWindow(parent), m_controller(new TrainingController(this))
{
    m_run.setSettings(initial);
    buildUi();
    buildMenus();
    if (initial.task == TaskKind::Csv) // --data FILE on the command line
        m_panel->showCsvSettings(initial);
    else
        m_panel->showSettings(initial);
    m_views->clearFor(initial); // the task's own view in front before the first run
    // Another task, data file or mechanism in the form: the views of the run shown go.
    connect(m_panel, &RunSettingsPanel::mechanismChanged, this, &MainWindow::onFormChanged);
    // The controller passes on only the newest run's results (a restarted run's queued epochs
    // never reach the history, the curves or the files).
    TrainingController *c = m_controller;
    connect(c, &TrainingController::snapshotReady, this, &MainWindow::onSnapshot);
    connect(c, &TrainingController::modelReady, this, [this](const TrainedModelPtr &model) { m_run.setModel(model); });
    connect(c, &TrainingController::runStarted, this, &MainWindow::onRunStarted);
    connect(c, &TrainingController::failed, this, [this](const QString &message) {
        QMessageBox::warning(this, tr("Training failed"), message);
    });
    connect(m_timeline, &TimelineBar::currentIndexChanged, this, &MainWindow::showEpoch);
    // Early stopping ends with the best epoch's weights: the views show that model.
    connect(m_controls, &RunControls::restoredEpochIndex, m_timeline, &TimelineBar::setCurrentIndex);
    m_prediction = new PredictionJob(this);
    connect(m_prediction, &PredictionJob::finished, this, &MainWindow::onPredicted);
    m_controls->updateButtons();
    setWindowTitle(tr("Attention Studio"));
    setWindowIcon(QIcon(":/attention-studio.png"));
    setAcceptDrops(true); // drop a CSV file on the window to open it
    resize(1400, 860);
    restoreLayout();
}

MainWindow::~MainWindow() = default;

attn::HeatmapView *MainWindow::heatmapView() const { return m_views->heatmap(); }

void MainWindow::buildUi()
{
    m_panel = new RunSettingsPanel;
    m_controls = new RunControls(m_controller, &m_run);
    connect(m_controls, &RunControls::trainRequested, this, &MainWindow::startTraining);
    connect(m_controls, &RunControls::resetRequested, this, &MainWindow::reset);
    connect(m_controls, &RunControls::statusMessage, statusBar(), &QStatusBar::showMessage);
    addActions(m_controls->runActions()); // their shortcuts work wherever the focus is in the window
    connect(m_panel, &RunSettingsPanel::learningRateChanged, this, [this](double lr) {
        if (m_controller->isActive()) {
            m_controller->setLearningRate(lr); // takes effect at the next epoch
            statusBar()->showMessage(tr("Learning rate %1 from the next epoch on.").arg(lr), 4000);
        }
    });
    m_epochLabel = new QLabel;
    m_epochLabel->setObjectName("epochLabel");
    m_epochLabel->setWordWrap(true);
    m_modelLabel = new QLabel;
    m_modelLabel->setObjectName("modelLabel");
    m_modelLabel->setWordWrap(true);
    auto *side = new QWidget;
    auto *sideLayout = new QVBoxLayout(side);
    // The run buttons first: rows of the form below them appear and disappear with the task
    // and mechanism, and must not move the buttons.
    sideLayout->addWidget(m_controls);
    sideLayout->addWidget(m_panel);
    sideLayout->addWidget(m_epochLabel);
    sideLayout->addWidget(m_modelLabel);
    sideLayout->addStretch(1);
    side->setFixedWidth(320); // a column of constant width: rows coming and going do not move the buttons

    m_curves = new attn::CurvesView;
    m_splitter = new QSplitter(Qt::Vertical);
    m_splitter->setObjectName("viewsSplitter");
    m_views = new AttentionViews;
    m_views->setTrainedModelSource([this] { return m_run.model(); });
    connect(m_panel, &RunSettingsPanel::mechanismChanged, m_views, &AttentionViews::showTabsFor);
    m_splitter->addWidget(m_views);
    m_splitter->addWidget(m_curves);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 2);
    // The views above need about this height: the toy tasks' square cells, and the Explain
    // tab's attribution rows (a legible line each) over its three measure plots.
    m_splitter->setSizes({470, 360});
    m_timeline = new TimelineBar;
    auto *viewsColumn = new QVBoxLayout;
    viewsColumn->addWidget(m_splitter, 1);
    viewsColumn->addWidget(m_timeline);

    auto *dashboard = new QWidget;
    auto *main = new QHBoxLayout(dashboard);
    main->addWidget(side);
    main->addLayout(viewsColumn, 1);
    setCentralWidget(dashboard);

    statusBar()->addPermanentWidget(m_controls->rateLabel());
    statusBar()->addPermanentWidget(m_controls->progressBar());
    statusBar()->showMessage(tr("Ready: press Train."));
}

void MainWindow::buildMenus()
{
    m_exports = new ExportActions(this, m_views, m_curves, m_timeline, &m_run);
    m_menus = new MainMenus(this, m_exports);
    connect(m_menus->openCsvAction(), &QAction::triggered, this, [this] { openCsvFile(QString()); });
    connect(m_menus->openSentencesAction(), &QAction::triggered, this, [this] {
        if (const QString message = m_panel->openSentenceFiles(); !message.isEmpty())
            statusBar()->showMessage(message);
    });
    connect(m_menus, &MainMenus::openSessionRequested, this, &MainWindow::openSessionFile);
    connect(m_menus, &MainMenus::saveSessionRequested, this, &MainWindow::saveSessionFile);
    connect(m_menus, &MainMenus::saveModelRequested, this, &MainWindow::saveModelFile);
    connect(m_menus, &MainMenus::loadModelRequested, this, &MainWindow::loadModelFile);
    connect(m_menus, &MainMenus::predictRequested, this, &MainWindow::predictCsvFile);
    connect(m_menus, &MainMenus::colorMapChosen, m_views, &AttentionViews::setColorMap);
    connect(m_menus, &MainMenus::themeChosen, this, &MainWindow::setTheme);
    heatmapView()->setShowInputs(true);
    connect(m_menus->showInputsAction(), &QAction::toggled, heatmapView(), &attn::HeatmapView::setShowInputs);
    connect(m_menus->scaleToMaxAction(), &QAction::toggled, m_views, &AttentionViews::setScaleToLargestWeight);
    connect(m_menus->compareAction(), &QAction::triggered, this, [this] {
        // N seeds x the chosen mechanisms of the task shown, in a window of its own.
        auto *window = new CompareWindow(settings(), this);
        window->setAttribute(Qt::WA_DeleteOnClose);
        window->setWindowFlag(Qt::Window);
        window->show();
    });
}

RunSettings MainWindow::settings() const
{
    RunSettings s = m_panel->settings();
    if (s.task == m_run.settings().task)
        s.size = m_run.settings().size; // keep sizes given on the command line
    return s;
}

void MainWindow::startTraining() { beginRun(false); }

void MainWindow::reset() { beginRun(true); }

void MainWindow::clearViews()
{
    m_timeline->pause();
    m_timeline->setCount(0);
    m_views->clearFor(m_run.settings()); // the run about to be shown
}

namespace {

// The run was trained on other data or with another mechanism than the form shows.
bool isOtherRun(const RunSettings &form, const RunSettings &run)
{
    return form.task != run.task || form.model.attention != run.model.attention ||
           form.dataFile != run.dataFile || form.testDataFile != run.testDataFile ||
           form.sentenceFiles != run.sentenceFiles;
}

} // namespace

void MainWindow::onFormChanged()
{
    if (!isOtherRun(settings(), m_run.settings()))
        return;
    const bool hadRun = !m_run.empty() || m_controller->isActive();
    if (m_controller->isActive())
        m_controller->abandon(); // its epochs would land under the new settings
    // The epochs stay in m_run (File > Save session still saves them) but leave the screen.
    m_timeline->pause();
    m_timeline->setCount(0);
    m_views->clearFor(settings());
    m_curves->clear();
    m_modelLabel->clear();
    m_epochLabel->clear();
    m_controls->clearProgress();
    if (hadRun)
        statusBar()->showMessage(tr("The views of the previous run (%1, %2) are cleared: press Train.")
                                     .arg(QString::fromStdString(attn::toString(m_run.settings().task)),
                                          QString::fromStdString(attn::toString(m_run.settings().model.attention))));
    m_controls->updateButtons();
}

void MainWindow::beginRun(bool paused)
{
    m_run.setSettings(settings());
    QSettings store;
    saveRunSettings(store, m_run.settings());
    m_run.clear();
    clearViews();
    m_curves->clear();
    m_controls->clearProgress();
    statusBar()->showMessage(tr("Generating the %1 data set...")
                                 .arg(QString::fromStdString(attn::toString(m_run.settings().task))));
    m_controller->start(m_run.settings(), paused);
    m_controls->updateButtons();
}

void MainWindow::onRunStarted(long long parameterCount, int batchesPerEpoch, int threads)
{
    m_modelLabel->setText(tr("%1\n%2, %3 per epoch on %4")
                              .arg(RunSettingsPanel::modelDescription(m_run.settings()),
                                   countText(parameterCount, tr("parameter"), tr("parameters")),
                                   countText(batchesPerEpoch, tr("batch"), tr("batches")),
                                   countText(threads, tr("thread"), tr("threads"))));
}

void MainWindow::onSnapshot(const attn::EpochSnapshot &s)
{
    m_run.append(s);
    m_runSaved = false;
    m_curves->appendEpoch(s);
    m_views->explain()->appendEpoch(s);
    m_timeline->setCount(m_run.size()); // shows it if the slider follows training
}

void MainWindow::showEpoch(int index)
{
    if (index < 0 || index >= m_run.size())
        return;
    const attn::EpochSnapshot &s = m_run.at(index);
    m_views->setSnapshot(s, m_run.settings());
    m_curves->setMarkerEpoch(s.epoch);
    QString text = tr("Epoch %1 / %2\nvalidation loss %3, %4 %5")
                       .arg(s.epoch)
                       .arg(s.totalEpochs)
                       .arg(s.valLoss, 0, 'g', 4)
                       .arg(QString::fromStdString(s.metricName))
                       .arg(s.metric, 0, 'g', 4);
    if (s.alignment)
        text += tr("\nalignment with ground truth %1").arg(*s.alignment, 0, 'f', 3);
    if (index + 1 < m_run.size())
        text += tr("\n(replaying; the newest epoch is %1)").arg(m_run.back().epoch);
    m_epochLabel->setText(text);
}

bool MainWindow::saveDashboardPng(const QString &path, QString *error)
{
    return m_exports->saveDashboardPng(path, error);
}

void MainWindow::setTheme(ThemeChoice choice)
{
    m_theme = choice;
    const bool dark = applyTheme(choice);
    m_views->setDark(dark);
    m_curves->setDark(dark);
    m_menus->checkTheme(choice);
}

void MainWindow::restoreLayout()
{
    QSettings store;
    restoreGeometry(store.value("window/geometry").toByteArray());
    m_splitter->restoreState(store.value("window/splitter").toByteArray());
    if (const auto kind = attn::colorMapKindFromString(store.value("view/colorMap").toString())) {
        m_views->setColorMap(*kind);
        m_menus->checkColorMap(*kind);
    }
    if (store.contains("view/showInputs"))
        m_menus->showInputsAction()->setChecked(store.value("view/showInputs").toBool());
    // A new key: the old "view/scaleToMax" was saved "on" by the old default, so it is not read.
    m_menus->scaleToMaxAction()->setChecked(store.value("view/scaleToLargestWeight", false).toBool());
    m_timeline->setSpeed(store.value("view/replaySpeed", m_timeline->speed()).toDouble());
    setTheme(themeChoiceFromString(store.value("view/theme").toString()));
}

void MainWindow::saveLayout()
{
    QSettings store;
    store.setValue("window/geometry", saveGeometry());
    store.setValue("window/splitter", m_splitter->saveState());
    store.setValue("view/colorMap", attn::colorMapKindToString(m_views->colorMapKind()));
    store.setValue("view/showInputs", m_menus->showInputsAction()->isChecked());
    store.remove("view/scaleToMax");
    store.setValue("view/scaleToLargestWeight", m_menus->scaleToMaxAction()->isChecked());
    store.setValue("view/replaySpeed", m_timeline->speed());
    store.setValue("view/theme", toString(m_theme));
    saveRunSettings(store, settings());
}

bool MainWindow::hasUnsavedRun() const { return m_run.trainedEpochs() > 0 && !m_runSaved; }

bool MainWindow::confirmQuit()
{
    QSettings store;
    if (!hasUnsavedRun() || !store.value(kAskSaveOnQuit, true).toBool())
        return true;
    const QString epochs = countText(m_run.trainedEpochs(), tr("epoch"), tr("epochs"));
    QMessageBox box(QMessageBox::Question, tr("Save the session?"),
                    m_controller->isActive()
                        ? tr("The run still training (%1 so far) has not been saved.").arg(epochs)
                        : tr("The run of %1 has not been saved.").arg(epochs),
                    QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, this);
    box.setInformativeText(tr("Save it as a session to replay it later?"));
    box.setDefaultButton(QMessageBox::Save);
    auto *dontAsk = new QCheckBox(tr("Don't ask again"));
    dontAsk->setObjectName("dontAskAgain");
    box.setCheckBox(dontAsk); // the box owns it
    const int answer = box.exec();
    if (answer == QMessageBox::Cancel)
        return false;
    if (dontAsk->isChecked())
        store.setValue(kAskSaveOnQuit, false);
    if (answer != QMessageBox::Save)
        return true;
    const QString path = m_menus->askSaveSessionPath();
    return !path.isEmpty() && saveSessionFile(path);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (!confirmQuit()) {
        event->ignore();
        return;
    }
    saveLayout();
    QMainWindow::closeEvent(event);
}

