// SPDX-License-Identifier: GPL-3.0-or-later
// Main window layout, controls wiring and PNG export.
#include "app/mainwindow.h"

#include "widgets/curvesview.h"
#include "widgets/heatmapview.h"

#include <QApplication>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpressionValidator>
#include <QSpinBox>
#include <QSplitter>
#include <QStatusBar>
#include <QVBoxLayout>

using attn::TaskKind;

namespace {

QString formatDuration(double seconds)
{
    const int s = int(seconds + 0.5);
    return s >= 60 ? QStringLiteral("%1 min %2 s").arg(s / 60).arg(s % 60, 2, 10, QChar('0'))
                   : QStringLiteral("%1 s").arg(s);
}

} // namespace

MainWindow::MainWindow(const RunSettings &initial, QWidget *parent)
    : QMainWindow(parent), m_controller(new TrainingController(this)), m_lastSettings(initial)
{
    buildUi();
    buildMenus();
    showSettings(initial);
    TrainingWorker *w = m_controller->worker();
    connect(w, &TrainingWorker::snapshotReady, this, &MainWindow::onSnapshot);
    connect(w, &TrainingWorker::progress, this, &MainWindow::onProgress);
    connect(w, &TrainingWorker::runStarted, this, &MainWindow::onRunStarted);
    connect(w, &TrainingWorker::failed, this, [this](const QString &message) {
        QMessageBox::warning(this, tr("Training failed"), message);
    });
    connect(m_controller, &TrainingController::stateChanged, this, &MainWindow::onState);
    updateButtons();
    setWindowTitle(tr("Attention Studio"));
    resize(1400, 860);
}

MainWindow::~MainWindow() = default;

void MainWindow::buildUi()
{
    auto *settingsBox = new QGroupBox(tr("Run"));
    auto *form = new QFormLayout(settingsBox);
    m_task = new QComboBox;
    m_task->addItem(tr("add"), int(TaskKind::Add));
    m_task->setItemData(0, tr("Sum of the two values that follow the delimiters (0)"), Qt::ToolTipRole);
    m_task->addItem(tr("max"), int(TaskKind::Max));
    m_task->setItemData(1, tr("Largest value of the sequence"), Qt::ToolTipRole);
    m_task->setToolTip(tr("Loading a task resets the settings to its published defaults."));
    m_attention = new QComboBox;
    for (auto k : {attn::AttentionKind::Luong, attn::AttentionKind::LuongDot,
                   attn::AttentionKind::Bahdanau})
        m_attention->addItem(QString::fromStdString(attn::toString(k)), int(k));
    m_hidden = new QSpinBox;
    m_hidden->setRange(1, 1024);
    m_units = new QSpinBox;
    m_units->setRange(1, 1024);
    m_epochs = new QSpinBox;
    m_epochs->setRange(1, 10000);
    m_batch = new QSpinBox;
    m_batch->setRange(1, 4096);
    m_learningRate = new QDoubleSpinBox;
    m_learningRate->setDecimals(5);
    m_learningRate->setRange(0.00001, 1.0);
    m_learningRate->setSingleStep(0.0005);
    m_seed = new QLineEdit;
    m_seed->setValidator(new QRegularExpressionValidator(QRegularExpression("[0-9]{1,19}"), m_seed));
    form->addRow(tr("Task"), m_task);
    form->addRow(tr("Attention"), m_attention);
    form->addRow(tr("LSTM hidden units"), m_hidden);
    form->addRow(tr("Attention units"), m_units);
    form->addRow(tr("Epochs"), m_epochs);
    form->addRow(tr("Batch size"), m_batch);
    form->addRow(tr("Learning rate"), m_learningRate);
    form->addRow(tr("Seed"), m_seed);

    m_train = new QPushButton(tr("Train"));
    m_train->setShortcut(QKeySequence("Ctrl+Return"));
    m_pause = new QPushButton(tr("Pause"));
    m_pause->setShortcut(QKeySequence("Space"));
    m_step = new QPushButton(tr("Step epoch"));
    m_stop = new QPushButton(tr("Stop"));
    auto *buttons = new QGridLayout;
    buttons->addWidget(m_train, 0, 0);
    buttons->addWidget(m_pause, 0, 1);
    buttons->addWidget(m_step, 1, 0);
    buttons->addWidget(m_stop, 1, 1);
    connect(m_train, &QPushButton::clicked, this, &MainWindow::startTraining);
    connect(m_pause, &QPushButton::clicked, this, [this] {
        if (m_controller->state() == TrainingWorker::State::Paused)
            m_controller->resume();
        else
            m_controller->pause();
    });
    connect(m_step, &QPushButton::clicked, this, [this] {
        if (m_controller->isActive())
            m_controller->step();
    });
    connect(m_stop, &QPushButton::clicked, m_controller, &TrainingController::stop);
    connect(m_task, &QComboBox::currentIndexChanged, this, &MainWindow::onTaskChanged);
    connect(m_learningRate, &QDoubleSpinBox::valueChanged, this, [this](double lr) {
        if (m_controller->isActive())
            m_controller->setLearningRate(lr); // takes effect at the next epoch
    });

    m_epochLabel = new QLabel;
    m_epochLabel->setWordWrap(true);
    m_modelLabel = new QLabel;
    m_modelLabel->setWordWrap(true);
    auto *side = new QWidget;
    auto *sideLayout = new QVBoxLayout(side);
    sideLayout->addWidget(settingsBox);
    sideLayout->addLayout(buttons);
    sideLayout->addWidget(m_epochLabel);
    sideLayout->addWidget(m_modelLabel);
    sideLayout->addStretch(1);
    side->setMaximumWidth(320);

    m_heatmap = new attn::HeatmapView;
    m_curves = new attn::CurvesView;
    auto *views = new QSplitter(Qt::Vertical);
    views->addWidget(m_heatmap);
    views->addWidget(m_curves);
    views->setStretchFactor(0, 3);
    views->setStretchFactor(1, 2);
    views->setSizes({500, 330});

    m_dashboard = new QWidget;
    auto *main = new QHBoxLayout(m_dashboard);
    main->addWidget(side);
    main->addWidget(views, 1);
    setCentralWidget(m_dashboard);

    m_progress = new QProgressBar;
    m_progress->setMinimumWidth(320);
    m_progress->setMaximumWidth(420);
    m_progress->setFormat(tr("epoch %p%"));
    m_rate = new QLabel;
    statusBar()->addPermanentWidget(m_rate);
    statusBar()->addPermanentWidget(m_progress);
    statusBar()->showMessage(tr("Ready: press Train."));
}

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QMenu *exportMenu = file->addMenu(tr("&Export PNG"));
    exportMenu->addAction(tr("&Heatmap..."), this, [this] { exportPng("heatmap"); });
    exportMenu->addAction(tr("&Loss plot..."), this, [this] { exportPng("loss"); });
    exportMenu->addAction(tr("&Alignment plot..."), this, [this] { exportPng("alignment"); });
    exportMenu->addAction(tr("&Dashboard..."), QKeySequence("Ctrl+E"), this,
                          [this] { exportPng("dashboard"); });
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);
    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About"), this, [this] {
        QMessageBox::about(
            this, tr("About Attention Studio"),
            tr("<b>Attention Studio %1</b><p>Trains LSTM + attention models on its own Eigen "
               "engine and shows where they attend.</p><p>GPL-3.0-or-later. Uses Qt (LGPL-3.0), "
               "QCustomPlot (GPL-3.0) and Eigen (MPL-2.0).</p>")
                .arg(QApplication::applicationVersion()));
    });
}

void MainWindow::showSettings(const RunSettings &s)
{
    const QSignalBlocker block(m_task);
    m_task->setCurrentIndex(m_task->findData(int(s.task)));
    m_attention->setCurrentIndex(m_attention->findData(int(s.model.attention)));
    m_hidden->setValue(s.model.hidden);
    m_units->setValue(s.model.attentionUnits);
    m_epochs->setValue(s.train.epochs);
    m_batch->setValue(s.train.batchSize);
    m_learningRate->setValue(s.train.learningRate);
    m_seed->setText(QString::number(s.train.seed));
}

void MainWindow::onTaskChanged()
{
    RunSettings s = RunSettings::defaults(TaskKind(m_task->currentData().toInt()));
    s.train.seed = m_seed->text().toULongLong();
    showSettings(s);
}

RunSettings MainWindow::settings() const
{
    RunSettings s = RunSettings::defaults(TaskKind(m_task->currentData().toInt()));
    s.model.attention = attn::AttentionKind(m_attention->currentData().toInt());
    s.model.hidden = m_hidden->value();
    s.model.attentionUnits = m_units->value();
    s.train.epochs = m_epochs->value();
    s.train.batchSize = m_batch->value();
    s.train.learningRate = m_learningRate->value();
    s.train.seed = m_seed->text().toULongLong();
    if (TaskKind(m_task->currentData().toInt()) == m_lastSettings.task)
        s.size = m_lastSettings.size; // keep sizes given on the command line
    return s;
}

void MainWindow::startTraining()
{
    m_lastSettings = settings();
    m_history.clear();
    m_heatmap->clear();
    m_curves->clear();
    m_progress->setValue(0);
    statusBar()->showMessage(tr("Generating the %1 data set...")
                                 .arg(QString::fromStdString(attn::toString(m_lastSettings.task))));
    m_controller->start(m_lastSettings);
    updateButtons();
}

void MainWindow::onRunStarted(long long parameterCount, int batchesPerEpoch)
{
    m_modelLabel->setText(tr("LSTM(%1) → %2(%3) → Dense(1)\n%L4 parameters, %L5 batches per epoch")
                              .arg(m_lastSettings.model.hidden)
                              .arg(QString::fromStdString(attn::toString(m_lastSettings.model.attention)))
                              .arg(m_lastSettings.model.attentionUnits)
                              .arg(parameterCount)
                              .arg(batchesPerEpoch));
}

void MainWindow::onSnapshot(const attn::EpochSnapshot &s)
{
    m_history.push_back(s);
    m_heatmap->setSnapshot(s);
    if (s.epoch > 0)
        m_curves->appendEpoch(s);
    QString text = tr("Epoch %1 / %2\nvalidation loss %3, %4 %5")
                       .arg(s.epoch)
                       .arg(s.totalEpochs)
                       .arg(s.valLoss, 0, 'g', 4)
                       .arg(QString::fromStdString(s.metricName))
                       .arg(s.metric, 0, 'g', 4);
    if (s.alignment)
        text += tr("\nalignment with ground truth %1").arg(*s.alignment, 0, 'f', 3);
    m_epochLabel->setText(text);
}

void MainWindow::onProgress(const attn::ProgressInfo &p)
{
    m_progress->setRange(0, int(p.samplesPerEpoch));
    m_progress->setValue(int(p.samplesDone));
    m_progress->setFormat(tr("epoch %1 / %2: %p%").arg(p.epoch).arg(p.totalEpochs));
    m_rate->setText(tr("%L1 samples/s, ETA %2").arg(p.samplesPerSecond, 0, 'f', 0)
                        .arg(formatDuration(p.etaSeconds)));
}

void MainWindow::onState(TrainingWorker::State state)
{
    switch (state) {
    case TrainingWorker::State::Running: statusBar()->showMessage(tr("Training...")); break;
    case TrainingWorker::State::Paused: statusBar()->showMessage(tr("Paused.")); break;
    case TrainingWorker::State::Finished:
        statusBar()->showMessage(tr("Finished."));
        m_progress->setValue(m_progress->maximum());
        break;
    case TrainingWorker::State::Stopped: statusBar()->showMessage(tr("Stopped.")); break;
    case TrainingWorker::State::Failed: statusBar()->showMessage(tr("Failed.")); break;
    case TrainingWorker::State::Idle: break;
    }
    updateButtons();
}

void MainWindow::updateButtons()
{
    const bool active = m_controller->isActive();
    const bool paused = m_controller->state() == TrainingWorker::State::Paused;
    m_pause->setEnabled(active);
    m_pause->setText(paused ? tr("Resume") : tr("Pause"));
    m_step->setEnabled(active);
    m_stop->setEnabled(active);
    m_train->setText(active ? tr("Restart") : tr("Train"));
}

bool MainWindow::saveDashboardPng(const QString &path)
{
    return m_dashboard->grab().save(path, "PNG");
}

void MainWindow::exportPng(const QString &what)
{
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export %1 as PNG").arg(what), what + ".png", tr("PNG images (*.png)"));
    if (path.isEmpty())
        return;
    bool ok = false;
    if (what == "heatmap")
        ok = m_heatmap->savePng(path);
    else if (what == "loss")
        ok = m_curves->saveLossPng(path);
    else if (what == "alignment")
        ok = m_curves->saveAlignmentPng(path);
    else
        ok = saveDashboardPng(path);
    if (ok)
        statusBar()->showMessage(tr("Saved %1").arg(path), 5000);
    else
        QMessageBox::warning(this, tr("Export failed"), tr("Could not write %1").arg(path));
}
