// SPDX-License-Identifier: GPL-3.0-or-later
// Main window layout, controls wiring, replay timeline, exports and persisted settings.
#include "app/gui/mainwindow.h"

#include "app/session/attentioncsv.h"
#include "app/gui/comparewindow.h"
#include "app/gui/csvimportdialog.h"
#include "app/gui/exportsizedialog.h"
#include "app/session/metricscsv.h"
#include "app/session/predictioncsv.h"
#include "app/session/sessionfile.h"
#include "core/io/modelfile.h"
#include "core/savedmodel/predictor.h"
#include "app/gui/timelinebar.h"
#include "core/data/sentencefile.h"
#include "widgets/colormap.h"
#include "widgets/curvesview.h"
#include "widgets/featureweightsview.h"
#include "widgets/heatmapview.h"
#include "widgets/selfattentionview.h"
#include "widgets/sentenceview.h"
#include "widgets/replayexporter.h"

#include <QActionGroup>
#include <QApplication>
#include <QCheckBox>
#include <QCloseEvent>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QMimeData>
#include <QSettings>
#include <QComboBox>
#include <QDir>
#include <QFileInfo>
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
#include <QProgressDialog>
#include <QPushButton>
#include <QRegularExpressionValidator>
#include <QSpinBox>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
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
    if (initial.task == TaskKind::Csv) { // --data FILE on the command line
        m_csv = initial;
        m_task->addItem(tr("csv: %1").arg(QFileInfo(initial.dataFile).fileName()), int(TaskKind::Csv));
    }
    showSettings(initial);
    TrainingWorker *w = m_controller->worker();
    connect(w, &TrainingWorker::snapshotReady, this, &MainWindow::onSnapshot);
    connect(w, &TrainingWorker::modelReady, this,
            [this](const TrainedModelPtr &model) { m_trainedModel = model; });
    connect(w, &TrainingWorker::progress, this, &MainWindow::onProgress);
    connect(w, &TrainingWorker::runStarted, this, &MainWindow::onRunStarted);
    connect(w, &TrainingWorker::failed, this, [this](const QString &message) {
        QMessageBox::warning(this, tr("Training failed"), message);
    });
    connect(m_controller, &TrainingController::stateChanged, this, &MainWindow::onState);
    connect(m_timeline, &TimelineBar::currentIndexChanged, this, &MainWindow::showEpoch);
    updateButtons();
    setWindowTitle(tr("Attention Studio"));
    setWindowIcon(QIcon(":/attention-studio.png"));
    setAcceptDrops(true); // drop a CSV file on the window to open it
    resize(1400, 860);
    restoreLayout();
}

MainWindow::~MainWindow() = default;

void MainWindow::buildUi()
{
    auto *settingsBox = new QGroupBox(tr("Run"));
    auto *form = new QFormLayout(settingsBox);
    m_task = new QComboBox;
    const std::pair<TaskKind, QString> tasks[] = {
        {TaskKind::Add, tr("Sum of the two values that follow the delimiters (0)")},
        {TaskKind::Max, tr("Largest value of the sequence")},
        {TaskKind::Feature, tr("Which of 32 input features carries the label (feature attention)")},
        {TaskKind::Sentiment, tr("Positive or negative review sentence (amazon_cells + yelp)")}};
    for (const auto &[kind, tip] : tasks) {
        m_task->addItem(QString::fromStdString(attn::toString(kind)), int(kind));
        m_task->setItemData(m_task->count() - 1, tip, Qt::ToolTipRole);
    }
    m_task->setToolTip(tr("Loading a task resets the settings to its published defaults."));
    m_attention = new QComboBox;
    m_attention->setToolTip(tr("The mechanisms that apply to the task; \"none\" is the baseline "
                               "of about the same parameter count without attention"));
    m_cell = new QComboBox;
    for (auto c : {attn::RecurrentCell::Lstm, attn::RecurrentCell::Gru})
        m_cell->addItem(QString::fromStdString(attn::toString(c)).toUpper(), int(c));
    m_heads = new QSpinBox;
    m_heads->setRange(1, 64);
    m_heads->setToolTip(tr("Self-attention heads K (the hidden units must be divisible by K)"));
    m_causal = new QCheckBox(tr("causal (history only)"));
    m_window = new QSpinBox;
    m_window->setRange(0, 1000);
    m_window->setSpecialValueText(tr("all steps"));
    m_window->setToolTip(tr("Self-attention window: each step sees steps closer than this"));
    m_localWidth = new QSpinBox;
    m_localWidth->setRange(1, 1000);
    m_localWidth->setToolTip(tr("Local-p attention: Gaussian window with sigma D/2 around the predicted position"));
    m_inputDropout = new QDoubleSpinBox;
    m_inputDropout->setRange(0.0, 0.9);
    m_inputDropout->setSingleStep(0.05);
    m_recurrentDropout = new QDoubleSpinBox;
    m_recurrentDropout->setRange(0.0, 0.9);
    m_recurrentDropout->setSingleStep(0.05);
    m_vocabulary = new QSpinBox;
    m_vocabulary->setRange(0, 1000000);
    m_vocabulary->setSpecialValueText(tr("all words"));
    m_maxLength = new QSpinBox;
    m_maxLength->setRange(1, 1000);
    m_maxLength->setSuffix(tr(" words"));
    m_padding = new QComboBox;
    m_truncation = new QComboBox;
    for (QComboBox *box : {m_padding, m_truncation}) {
        box->addItem(tr("post (after the words)"), int(attn::SequenceSide::Post));
        box->addItem(tr("pre (before the words)"), int(attn::SequenceSide::Pre));
    }
    m_truncation->setItemText(0, tr("post (cut the end)"));
    m_truncation->setItemText(1, tr("pre (cut the start)"));
    connect(m_attention, &QComboBox::currentIndexChanged, this, &MainWindow::updateSettingRows);
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
    m_form = form;
    form->addRow(tr("Task"), m_task);
    form->addRow(tr("Attention"), m_attention);
    form->addRow(tr("Recurrent cell"), m_cell);
    form->addRow(tr("Hidden units"), m_hidden);
    form->addRow(tr("Attention units"), m_units);
    form->addRow(tr("Heads"), m_heads);
    form->addRow(tr("Mask"), m_causal);
    form->addRow(tr("Window"), m_window);
    form->addRow(tr("Local width D"), m_localWidth);
    form->addRow(tr("Input dropout"), m_inputDropout);
    form->addRow(tr("Recurrent dropout"), m_recurrentDropout);
    form->addRow(tr("Vocabulary"), m_vocabulary);
    form->addRow(tr("Sentence length"), m_maxLength);
    form->addRow(tr("Padding"), m_padding);
    form->addRow(tr("Truncation"), m_truncation);
    form->addRow(tr("Epochs"), m_epochs);
    form->addRow(tr("Batch size"), m_batch);
    form->addRow(tr("Learning rate"), m_learningRate);
    form->addRow(tr("Seed"), m_seed);

    m_train = new QPushButton(tr("Train"));
    m_train->setShortcut(QKeySequence("Ctrl+Return"));
    m_pause = new QPushButton(tr("Pause"));
    m_pause->setShortcut(QKeySequence("Space"));
    m_step = new QPushButton(tr("Step epoch"));
    m_step->setShortcut(QKeySequence("Ctrl+Right"));
    m_stop = new QPushButton(tr("Stop"));
    m_stop->setShortcut(QKeySequence("Ctrl+."));
    m_reset = new QPushButton(tr("Reset"));
    m_reset->setShortcut(QKeySequence("Ctrl+R"));
    m_train->setToolTip(tr("Train with the settings shown (Ctrl+Return)"));
    m_pause->setToolTip(tr("Pause or resume between batches (Space)"));
    m_step->setToolTip(tr("Train exactly one more epoch, then pause (Ctrl+Right)"));
    m_stop->setToolTip(tr("Stop the run; its epochs stay available for replay (Ctrl+.)"));
    m_reset->setToolTip(tr("Re-initialise the model with the seed shown and wait at epoch 0 (Ctrl+R)"));
    auto *buttons = new QGridLayout;
    buttons->addWidget(m_train, 0, 0);
    buttons->addWidget(m_pause, 0, 1);
    buttons->addWidget(m_step, 1, 0);
    buttons->addWidget(m_stop, 1, 1);
    buttons->addWidget(m_reset, 2, 0, 1, 2);
    connect(m_train, &QPushButton::clicked, this, &MainWindow::startTraining);
    connect(m_reset, &QPushButton::clicked, this, &MainWindow::reset);
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
        if (m_controller->isActive()) {
            m_controller->setLearningRate(lr); // takes effect at the next epoch
            statusBar()->showMessage(tr("Learning rate %1 from the next epoch on.").arg(lr), 4000);
        }
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
    m_splitter = new QSplitter(Qt::Vertical);
    m_splitter->setObjectName("viewsSplitter");
    m_featureView = new attn::FeatureWeightsView;
    m_sentenceView = new attn::SentenceView;
    m_selfView = new attn::SelfAttentionView;
    m_views = new QTabWidget;
    m_views->setDocumentMode(true);
    m_views->addTab(m_heatmap, tr("Heatmap"));
    m_views->addTab(m_featureView, tr("Feature weights"));
    m_views->addTab(m_sentenceView, tr("Sentences"));
    m_views->addTab(m_selfView, tr("Self-attention maps"));
    m_splitter->addWidget(m_views);
    m_splitter->addWidget(m_curves);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 2);
    m_splitter->setSizes({390, 440}); // square cells of the toy tasks need about this height
    m_timeline = new TimelineBar;
    auto *viewsColumn = new QVBoxLayout;
    viewsColumn->addWidget(m_splitter, 1);
    viewsColumn->addWidget(m_timeline);

    m_dashboard = new QWidget;
    auto *main = new QHBoxLayout(m_dashboard);
    main->addWidget(side);
    main->addLayout(viewsColumn, 1);
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
    file->addAction(tr("&Open CSV sequences..."), QKeySequence::Open, this,
                    [this] { openCsvFile(QString()); });
    file->addAction(tr("Open &sentence files..."), this, &MainWindow::openSentenceFiles);
    file->addSeparator();
    file->addAction(tr("Open sess&ion..."), QKeySequence("Ctrl+Shift+O"), this, [this] {
        const QString path = QFileDialog::getOpenFileName(
            this, tr("Open session"), QString(), tr("Sessions (*.%1);;All files (*)").arg(kSessionExtension));
        if (!path.isEmpty())
            openSessionFile(path);
    });
    file->addAction(tr("Save sessio&n..."), QKeySequence::Save, this, [this] {
        const QString path = QFileDialog::getSaveFileName(
            this, tr("Save session"), QStringLiteral("run.%1").arg(kSessionExtension),
            tr("Sessions (*.%1)").arg(kSessionExtension));
        if (!path.isEmpty())
            saveSessionFile(path);
    });
    file->addAction(tr("Save &model..."), this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Save model"), "model.safetensors",
                                                          tr("Models (*.safetensors)"));
        if (!path.isEmpty())
            saveModelFile(path);
    });
    file->addAction(tr("&Load model..."), this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Load model"), QString(),
                                                          tr("Models (*.safetensors)"));
        if (!path.isEmpty())
            loadModelFile(path);
    });
    file->addAction(tr("P&redict from CSV..."), this, [this] {
        const QString input = QFileDialog::getOpenFileName(
            this, tr("Predict: sequences to read"), shippedDataDirectory(),
            tr("Sequences (*.csv *.tsv *.txt);;All files (*)"));
        if (input.isEmpty())
            return;
        const QString output = QFileDialog::getSaveFileName(
            this, tr("Predict: write the predictions to"), "predictions.csv", tr("CSV files (*.csv)"));
        if (!output.isEmpty())
            predictCsvFile(input, output);
    });
    file->addSeparator();
    QMenu *png = file->addMenu(tr("Export &PNG"));
    png->addAction(tr("&Heatmap..."), this, [this] { exportView("heatmap", "png"); });
    png->addAction(tr("&Current view tab..."), this, [this] { exportView("view", "png"); });
    png->addAction(tr("&Loss plot..."), this, [this] { exportView("loss", "png"); });
    png->addAction(tr("&Alignment plot..."), this, [this] { exportView("alignment", "png"); });
    png->addAction(tr("&Dashboard..."), QKeySequence("Ctrl+E"), this,
                   [this] { exportView("dashboard", "png"); });
    QMenu *pdf = file->addMenu(tr("Export P&DF"));
    pdf->addAction(tr("&Heatmap..."), this, [this] { exportView("heatmap", "pdf"); });
    pdf->addAction(tr("&Loss plot..."), this, [this] { exportView("loss", "pdf"); });
    pdf->addAction(tr("&Alignment plot..."), this, [this] { exportView("alignment", "pdf"); });
    file->addAction(tr("Export replay as &GIF..."), QKeySequence("Ctrl+G"), this,
                    [this] { exportReplay(true); });
    file->addAction(tr("Export replay as PNG &series..."), this, [this] { exportReplay(false); });
    file->addAction(tr("Export &metrics CSV..."), this, &MainWindow::exportMetricsCsv);
    file->addAction(tr("Export &attention CSV (every epoch)..."), this, &MainWindow::exportAttentionCsv);
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    QMenu *maps = view->addMenu(tr("&Colour map"));
    m_colorMaps = new QActionGroup(this);
    for (auto kind : {attn::ColorMapKind::Viridis, attn::ColorMapKind::Cividis,
                      attn::ColorMapKind::Magma, attn::ColorMapKind::Grayscale}) {
        QAction *a = maps->addAction(attn::colorMapDisplayName(kind));
        a->setCheckable(true);
        a->setData(attn::colorMapKindToString(kind));
        a->setChecked(kind == attn::ColorMapKind::Viridis);
        m_colorMaps->addAction(a);
        connect(a, &QAction::triggered, this, [this, kind] { setColorMap(kind); });
    }
    QAction *inputs = view->addAction(tr("Show the &inputs beside the map"));
    inputs->setObjectName("showInputs");
    inputs->setCheckable(true);
    inputs->setChecked(true);
    m_heatmap->setShowInputs(true);
    connect(inputs, &QAction::toggled, m_heatmap, &attn::HeatmapView::setShowInputs);
    QAction *scaleToMax = view->addAction(tr("Scale colours to the &largest weight"));
    scaleToMax->setObjectName("scaleToMax");
    scaleToMax->setToolTip(tr("Colour the attention from 0 to its largest weight instead of 0 to 1: "
                              "over long sequences every weight is small."));
    scaleToMax->setCheckable(true);
    scaleToMax->setChecked(true);
    m_heatmap->setScaleToMax(true);
    connect(scaleToMax, &QAction::toggled, m_heatmap, &attn::HeatmapView::setScaleToMax);
    QMenu *themes = view->addMenu(tr("&Theme"));
    m_themes = new QActionGroup(this);
    for (auto [choice, name] : {std::pair{ThemeChoice::System, tr("Follow the &system")},
                                std::pair{ThemeChoice::Light, tr("&Light")},
                                std::pair{ThemeChoice::Dark, tr("&Dark")}}) {
        QAction *a = themes->addAction(name);
        a->setCheckable(true);
        a->setData(toString(choice));
        a->setChecked(choice == ThemeChoice::System);
        m_themes->addAction(a);
        connect(a, &QAction::triggered, this, [this, choice] { setTheme(choice); });
    }

    QMenu *tools = menuBar()->addMenu(tr("&Tools"));
    tools->addAction(tr("&Compare mechanisms..."), QKeySequence("Ctrl+K"), this, [this] {
        // N seeds x the chosen mechanisms of the task shown, in a window of its own.
        auto *window = new CompareWindow(settings(), this);
        window->setAttribute(Qt::WA_DeleteOnClose);
        window->setWindowFlag(Qt::Window);
        window->show();
    });

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&Keyboard shortcuts"), this, [this] {
        QMessageBox::information(
            this, tr("Keyboard shortcuts"),
            tr("<table><tr><td>Ctrl+Return</td><td>Train / restart</td></tr>"
               "<tr><td>Space</td><td>Pause / resume</td></tr>"
               "<tr><td>Ctrl+Right</td><td>Step one epoch</td></tr>"
               "<tr><td>Ctrl+.</td><td>Stop</td></tr>"
               "<tr><td>Ctrl+R</td><td>Reset to epoch 0</td></tr>"
               "<tr><td>P</td><td>Replay from the slider</td></tr>"
               "<tr><td>Ctrl+E</td><td>Export the dashboard as PNG</td></tr>"
               "<tr><td>Ctrl+G</td><td>Export the replay as GIF</td></tr>"
               "<tr><td>Ctrl+K</td><td>Compare mechanisms over several seeds</td></tr></table>"));
    });
    help->addAction(tr("&About"), this, [this] {
        QMessageBox::about(
            this, tr("About Attention Studio"),
            tr("<b>Attention Studio %1</b><p>Trains LSTM + attention models on its own Eigen "
               "engine and shows, epoch by epoch, where they attend.</p>"
               "<p>Copyright the Attention Studio authors. Free software under the GNU GPL "
               "version 3 or later.</p><p>Uses Qt %2 (LGPL-3.0), QCustomPlot (GPL-3.0), "
               "Eigen (MPL-2.0) and giflib (MIT).</p>")
                .arg(QApplication::applicationVersion(), QString::fromLatin1(qVersion())));
    });
}

void MainWindow::showSettings(const RunSettings &s)
{
    const QSignalBlocker blockTask(m_task);
    const QSignalBlocker blockAttention(m_attention);
    m_task->setCurrentIndex(m_task->findData(int(s.task)));
    m_attention->clear();
    for (attn::AttentionKind k : attn::applicableAttention(s.task))
        m_attention->addItem(QString::fromStdString(attn::toString(k)), int(k));
    m_attention->setCurrentIndex(std::max(0, m_attention->findData(int(s.model.attention))));
    m_cell->setCurrentIndex(m_cell->findData(int(s.model.cell)));
    m_hidden->setValue(s.model.hiddenSetting());
    m_units->setValue(s.model.attentionUnits);
    m_heads->setValue(s.model.heads);
    m_causal->setChecked(s.model.causal);
    m_window->setValue(s.model.window);
    m_localWidth->setValue(s.model.localHalfWidth);
    m_inputDropout->setValue(s.model.inputDropout);
    m_recurrentDropout->setValue(s.model.recurrentDropout);
    m_vocabulary->setValue(s.tokenizer.vocabularyLimit);
    m_maxLength->setValue(s.tokenizer.maxLength);
    m_padding->setCurrentIndex(m_padding->findData(int(s.tokenizer.padding)));
    m_truncation->setCurrentIndex(m_truncation->findData(int(s.tokenizer.truncation)));
    m_epochs->setValue(s.train.epochs);
    m_batch->setValue(s.train.batchSize);
    m_learningRate->setValue(s.train.learningRate);
    m_seed->setText(QString::number(s.train.seed));
    m_sentenceFiles = s.sentenceFiles;
    updateSettingRows();
}

void MainWindow::updateSettingRows()
{
    const auto task = TaskKind(m_task->currentData().toInt());
    const auto kind = attn::AttentionKind(m_attention->currentData().toInt());
    const bool sequence = task != TaskKind::Feature;
    const bool self = kind == attn::AttentionKind::SelfAttention;
    const bool readout = kind == attn::AttentionKind::Luong || kind == attn::AttentionKind::LuongDot ||
                         kind == attn::AttentionKind::Bahdanau || kind == attn::AttentionKind::Local;
    m_form->setRowVisible(m_cell, sequence);
    m_form->setRowVisible(m_units, sequence && readout);
    m_form->setRowVisible(m_heads, self);
    m_form->setRowVisible(m_causal, self);
    m_form->setRowVisible(m_window, self);
    m_form->setRowVisible(m_localWidth, kind == attn::AttentionKind::Local);
    m_form->setRowVisible(m_inputDropout, sequence);
    m_form->setRowVisible(m_recurrentDropout, sequence);
    for (QWidget *row : {static_cast<QWidget *>(m_vocabulary), static_cast<QWidget *>(m_maxLength),
                         static_cast<QWidget *>(m_padding), static_cast<QWidget *>(m_truncation)})
        m_form->setRowVisible(row, task == TaskKind::Sentiment);
    m_views->setTabVisible(m_views->indexOf(m_featureView), task == TaskKind::Feature);
    m_views->setTabVisible(m_views->indexOf(m_sentenceView), task == TaskKind::Sentiment);
    m_views->setTabVisible(m_views->indexOf(m_selfView), self);
}

void MainWindow::onTaskChanged()
{
    RunSettings s = RunSettings::defaults(TaskKind(m_task->currentData().toInt()));
    s.train.seed = m_seed->text().toULongLong();
    showSettings(s);
}

RunSettings MainWindow::settings() const
{
    const auto task = TaskKind(m_task->currentData().toInt());
    RunSettings s = RunSettings::defaults(task);
    s.model.attention = attn::AttentionKind(m_attention->currentData().toInt());
    s.model.cell = attn::RecurrentCell(m_cell->currentData().toInt());
    s.model.hiddenSetting() = m_hidden->value();
    s.model.attentionUnits = m_units->value();
    s.model.heads = m_heads->value();
    s.model.causal = m_causal->isChecked();
    s.model.window = m_window->value();
    s.model.localHalfWidth = m_localWidth->value();
    s.model.inputDropout = m_inputDropout->value();
    s.model.recurrentDropout = m_recurrentDropout->value();
    s.tokenizer.vocabularyLimit = m_vocabulary->value();
    s.tokenizer.maxLength = m_maxLength->value();
    s.tokenizer.padding = attn::SequenceSide(m_padding->currentData().toInt());
    s.tokenizer.truncation = attn::SequenceSide(m_truncation->currentData().toInt());
    s.train.epochs = m_epochs->value();
    s.train.batchSize = m_batch->value();
    s.train.learningRate = m_learningRate->value();
    s.train.seed = m_seed->text().toULongLong();
    if (task == TaskKind::Sentiment)
        s.sentenceFiles = m_sentenceFiles;
    if (task == TaskKind::Csv) {
        s.dataFile = m_csv.dataFile;
        s.testDataFile = m_csv.testDataFile;
        s.target = m_csv.target;
        s.window = m_csv.window;
        s.layout = m_csv.layout;
        s.features = m_csv.features;
        s.sequenceId = m_csv.sequenceId;
        s.taskType = m_csv.taskType;
        s.standardize = m_csv.standardize;
    }
    if (task == m_lastSettings.task)
        s.size = m_lastSettings.size; // keep sizes given on the command line
    return s;
}

void MainWindow::startTraining() { beginRun(false); }

void MainWindow::reset() { beginRun(true); }

void MainWindow::clearViews()
{
    // The task's own view in front (m_lastSettings is the run about to be shown).
    QWidget *main = m_lastSettings.task == TaskKind::Feature     ? m_featureView
                    : m_lastSettings.task == TaskKind::Sentiment ? m_sentenceView
                    : m_lastSettings.model.attention == attn::AttentionKind::SelfAttention
                        ? static_cast<QWidget *>(m_selfView)
                        : m_heatmap;
    m_views->setCurrentWidget(main);
    m_timeline->pause();
    m_timeline->setCount(0);
    m_heatmap->clear();
    m_featureView->clear();
    m_sentenceView->clear();
    m_selfView->clear();
}

void MainWindow::beginRun(bool paused)
{
    m_lastSettings = settings();
    QSettings store;
    saveRunSettings(store, m_lastSettings);
    m_history.clear();
    clearViews();
    m_curves->clear();
    m_progress->setValue(0);
    statusBar()->showMessage(tr("Generating the %1 data set...")
                                 .arg(QString::fromStdString(attn::toString(m_lastSettings.task))));
    m_controller->start(m_lastSettings, paused);
    updateButtons();
}

void MainWindow::onRunStarted(long long parameterCount, int batchesPerEpoch)
{
    m_modelLabel->setText(tr("%1\n%L2 parameters, %L3 batches per epoch")
                              .arg(modelDescription(m_lastSettings))
                              .arg(parameterCount)
                              .arg(batchesPerEpoch));
}

QString MainWindow::modelDescription(const RunSettings &s)
{
    const attn::ModelConfig &m = s.model;
    const QString kind = QString::fromStdString(attn::toString(m.attention));
    if (s.task == TaskKind::Feature)
        return m.attention == attn::AttentionKind::None
                   ? tr("Dense → Dense(1) (no attention)")
                   : tr("feature attention → Dense(%1) → Dense(1)").arg(m.denseUnits);
    QStringList layers;
    if (s.task == TaskKind::Sentiment)
        layers << tr("Embedding(%1)").arg(m.embeddingDim);
    layers << QStringLiteral("%1(%2)").arg(QString::fromStdString(attn::toString(m.cell)).toUpper()).arg(m.hidden);
    switch (m.attention) {
    case attn::AttentionKind::None: layers << tr("last state (no attention)"); break;
    case attn::AttentionKind::FeedForward: layers << kind; break;
    case attn::AttentionKind::SelfAttention:
        layers << tr("self(%1 heads%2)").arg(m.heads).arg(m.causal ? tr(", causal") : QString());
        break;
    default: layers << QStringLiteral("%1(%2)").arg(kind).arg(m.attentionUnits); break;
    }
    layers << QStringLiteral("Dense(1)");
    return layers.join(QStringLiteral(" → "));
}

void MainWindow::onSnapshot(const attn::EpochSnapshot &s)
{
    m_history.push_back(s);
    if (s.epoch > 0)
        m_curves->appendEpoch(s);
    m_timeline->setCount(int(m_history.size())); // shows it if the slider follows training
}

void MainWindow::showEpoch(int index)
{
    if (index < 0 || index >= int(m_history.size()))
        return;
    const attn::EpochSnapshot &s = m_history[std::size_t(index)];
    m_heatmap->setSnapshot(s);
    if (m_lastSettings.task == TaskKind::Feature)
        m_featureView->setSnapshot(s);
    if (m_lastSettings.task == TaskKind::Sentiment)
        m_sentenceView->setSnapshot(s);
    if (!s.headMaps.empty())
        m_selfView->setSnapshot(s);
    m_curves->setMarkerEpoch(s.epoch);
    QString text = tr("Epoch %1 / %2\nvalidation loss %3, %4 %5")
                       .arg(s.epoch)
                       .arg(s.totalEpochs)
                       .arg(s.valLoss, 0, 'g', 4)
                       .arg(QString::fromStdString(s.metricName))
                       .arg(s.metric, 0, 'g', 4);
    if (s.alignment)
        text += tr("\nalignment with ground truth %1").arg(*s.alignment, 0, 'f', 3);
    if (index + 1 < int(m_history.size()))
        text += tr("\n(replaying; the newest epoch is %1)").arg(m_history.back().epoch);
    m_epochLabel->setText(text);
}

void MainWindow::onProgress(const attn::ProgressInfo &p)
{
    m_progress->setRange(0, int(p.samplesPerEpoch));
    m_progress->setValue(int(p.samplesDone));
    m_progress->setFormat(tr("epoch %1 / %2: %p%").arg(p.epoch).arg(p.totalEpochs));
    m_rate->setText(tr("%L1 samples/s, ETA %2").arg(p.samplesPerSecond, 0, 'f', 0)
                        .arg(formatDuration(p.etaSeconds)));
    if (m_controller->state() == TrainingWorker::State::Running)
        statusBar()->showMessage(tr("Training epoch %1 of %2 (%L3 of %L4 samples)...")
                                     .arg(p.epoch)
                                     .arg(p.totalEpochs)
                                     .arg(p.samplesDone)
                                     .arg(p.samplesPerEpoch));
}

void MainWindow::onState(TrainingWorker::State state)
{
    switch (state) {
    case TrainingWorker::State::Running: statusBar()->showMessage(tr("Training...")); break;
    case TrainingWorker::State::Paused:
        statusBar()->showMessage(m_history.empty() || m_history.back().epoch == 0
                                     ? tr("Paused at the untrained epoch 0: press Resume or Step.")
                                     : tr("Paused after epoch %1.").arg(m_history.back().epoch));
        break;
    case TrainingWorker::State::Finished:
        statusBar()->showMessage(tr("Finished %1 epochs: drag the slider or press P to replay.")
                                     .arg(m_history.empty() ? 0 : m_history.back().epoch));
        m_progress->setValue(m_progress->maximum());
        m_progress->setFormat(tr("finished"));
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

void MainWindow::exportView(const QString &what, const QString &format)
{
    const QString filter = format == "pdf" ? tr("PDF documents (*.pdf)") : tr("PNG images (*.png)");
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export %1 as %2").arg(what, format.toUpper()), what + "." + format, filter);
    if (path.isEmpty())
        return;
    bool ok = false;
    if (what == "dashboard") {
        ok = saveDashboardPng(path);
    } else if (what == "view") {
        QWidget *view = m_views->currentWidget();
        ExportSizeDialog dialog(view->size(), true, this);
        if (dialog.exec() != QDialog::Accepted)
            return;
        const int w = dialog.imageSize().width(), h = dialog.imageSize().height();
        const double scale = dialog.scale();
        if (view == m_featureView)
            ok = m_featureView->savePng(path, w, h, scale);
        else if (view == m_sentenceView)
            ok = m_sentenceView->savePng(path, w, h, scale);
        else if (view == m_selfView)
            ok = m_selfView->savePng(path, w, h, scale);
        else
            ok = m_heatmap->savePng(path, w, h, scale);
    } else {
        QWidget *source = what == "heatmap" ? static_cast<QWidget *>(m_heatmap) : m_curves;
        ExportSizeDialog dialog(source->size(), format == "png", this);
        if (dialog.exec() != QDialog::Accepted)
            return;
        const QSize size = dialog.imageSize();
        const double scale = dialog.scale();
        if (what == "heatmap")
            ok = format == "pdf" ? m_heatmap->savePdf(path, size.width(), size.height())
                                 : m_heatmap->savePng(path, size.width(), size.height(), scale);
        else if (what == "loss")
            ok = format == "pdf" ? m_curves->saveLossPdf(path, size.width(), size.height())
                                 : m_curves->saveLossPng(path, size.width(), size.height(), scale);
        else
            ok = format == "pdf" ? m_curves->saveAlignmentPdf(path, size.width(), size.height())
                                 : m_curves->saveAlignmentPng(path, size.width(), size.height(), scale);
    }
    if (ok)
        statusBar()->showMessage(tr("Saved %1").arg(path), 5000);
    else
        QMessageBox::warning(this, tr("Export failed"), tr("Could not write %1").arg(path));
}

void MainWindow::exportReplay(bool gif)
{
    if (m_history.empty()) {
        QMessageBox::information(this, tr("Nothing to export"), tr("Train first: the replay is empty."));
        return;
    }
    const QString path =
        gif ? QFileDialog::getSaveFileName(this, tr("Export replay as GIF"), "attention.gif",
                                           tr("GIF animations (*.gif)"))
            : QFileDialog::getExistingDirectory(this, tr("Export replay as PNG series into"));
    if (path.isEmpty())
        return;
    attn::ReplayExporter exporter;
    exporter.copyStyle(*m_heatmap);
    ExportSizeDialog dialog(exporter.fittedFrameSize(m_history.back(), 960), true, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    exporter.setFrameSize(dialog.imageSize());
    exporter.setScale(dialog.scale());
    exporter.setFrameDelay(int(100.0 / m_timeline->speed() + 0.5));
    QProgressDialog progress(tr("Rendering frames..."), tr("Cancel"), 0, int(m_history.size()), this);
    progress.setWindowModality(Qt::WindowModal);
    progress.setMinimumDuration(500);
    exporter.setProgressCallback([&progress](int done, int total) {
        progress.setMaximum(total);
        progress.setValue(done);
        return !progress.wasCanceled();
    });
    const bool ok = gif ? exporter.writeGif(m_history, path) : exporter.writePngSeries(m_history, path);
    if (ok)
        statusBar()->showMessage(tr("Saved %1 frames to %2").arg(m_history.size()).arg(path), 5000);
    else
        QMessageBox::warning(this, tr("Export failed"), exporter.errorString());
}

void MainWindow::exportMetricsCsv()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export metrics as CSV"), "metrics.csv",
                                                      tr("CSV files (*.csv)"));
    if (path.isEmpty())
        return;
    QString error;
    if (writeMetricsCsv(m_history, path, &error))
        statusBar()->showMessage(tr("Saved %1").arg(path), 5000);
    else
        QMessageBox::warning(this, tr("Export failed"), error);
}

void MainWindow::openCsvFile(const QString &chosen)
{
    const QString path = !chosen.isEmpty() ? chosen
                                           : QFileDialog::getOpenFileName(
                                                 this, tr("Open CSV sequences"), shippedDataDirectory(),
                                                 tr("Sequences (*.csv *.tsv *.txt);;All files (*)"));
    if (path.isEmpty())
        return;
    RunSettings base = RunSettings::defaults(TaskKind::Csv);
    base.train.seed = m_seed->text().toULongLong();
    CsvImportDialog dialog(CsvImportDialog::guess(path, base), this);
    // The dialog runs the whole check on every change and enables OK only for a usable file;
    // cancelling keeps the window's data and settings.
    if (dialog.exec() != QDialog::Accepted)
        return;
    useCsvSettings(dialog.settings());
    statusBar()->showMessage(tr("%1: %2; press Train.")
                                 .arg(QFileInfo(path).fileName(),
                                      dialog.shapeText().replace('\n', QStringLiteral("; "))));
}

void MainWindow::useCsvSettings(const RunSettings &s)
{
    m_csv = s;
    const int item = m_task->findData(int(TaskKind::Csv));
    const QString label = tr("csv: %1").arg(QFileInfo(s.dataFile).fileName());
    if (item < 0)
        m_task->addItem(label, int(TaskKind::Csv));
    else
        m_task->setItemText(item, label);
    showSettings(s);
}

bool MainWindow::saveSessionFile(const QString &path)
{
    Session session;
    session.settings = m_lastSettings;
    session.history = m_history;
    QString error;
    if (m_trainedModel) {
        const QFileInfo info(path);
        session.model = info.dir().filePath(info.completeBaseName());
        try {
            attn::saveTrainedModel(*m_trainedModel, session.model.toStdString());
        } catch (const std::exception &e) {
            QMessageBox::warning(this, tr("Cannot save the session"), QString::fromUtf8(e.what()));
            return false;
        }
    }
    if (!saveSession(path, session, &error)) {
        QMessageBox::warning(this, tr("Cannot save the session"), error);
        return false;
    }
    statusBar()->showMessage(tr("Saved the session (%1 epochs%2) to %3")
                                 .arg(m_history.size())
                                 .arg(m_trainedModel ? tr(" and the model") : QString())
                                 .arg(path),
                             8000);
    return true;
}

bool MainWindow::openSessionFile(const QString &path)
{
    QString error;
    std::optional<Session> session = loadSession(path, &error);
    TrainedModelPtr model;
    if (session && !session->model.isEmpty()) {
        try {
            model = std::make_shared<const attn::TrainedModel>(
                attn::loadTrainedModel(session->model.toStdString()));
        } catch (const std::exception &e) {
            error = QString::fromUtf8(e.what());
            session.reset();
        }
    }
    if (!session) {
        QMessageBox::warning(this, tr("Cannot open the session"), error);
        return false;
    }
    m_controller->stop();
    if (session->settings.task == TaskKind::Csv)
        useCsvSettings(session->settings);
    else
        showSettings(session->settings);
    m_lastSettings = session->settings;
    m_trainedModel = model;
    m_history = std::move(session->history);
    clearViews();
    m_curves->setHistory(m_history);
    m_timeline->setCount(int(m_history.size())); // shows the newest epoch
    if (!m_history.empty())
        showEpoch(int(m_history.size()) - 1);
    statusBar()->showMessage(tr("Opened %1: %2 epochs%3; drag the slider or press P to replay.")
                                 .arg(QFileInfo(path).fileName())
                                 .arg(m_history.size())
                                 .arg(model ? tr(" and the model") : QString()));
    updateButtons();
    return true;
}

bool MainWindow::saveModelFile(const QString &path)
{
    if (!m_trainedModel) {
        QMessageBox::information(this, tr("No model yet"), tr("Train (or load) a model first."));
        return false;
    }
    try {
        attn::saveTrainedModel(*m_trainedModel, path.toStdString());
    } catch (const std::exception &e) {
        QMessageBox::warning(this, tr("Cannot save the model"), QString::fromUtf8(e.what()));
        return false;
    }
    const attn::ModelPaths paths = attn::modelPaths(path.toStdString());
    statusBar()->showMessage(tr("Saved the model of epoch %1 to %2 and %3")
                                 .arg(m_trainedModel->epoch)
                                 .arg(QString::fromStdString(paths.weights),
                                      QString::fromStdString(paths.architecture)),
                             8000);
    return true;
}

bool MainWindow::loadModelFile(const QString &path)
{
    try {
        m_trainedModel = std::make_shared<const attn::TrainedModel>(attn::loadTrainedModel(path.toStdString()));
    } catch (const std::exception &e) {
        QMessageBox::warning(this, tr("Cannot load the model"), QString::fromUtf8(e.what()));
        return false;
    }
    const attn::ModelSpec &spec = m_trainedModel->spec;
    statusBar()->showMessage(tr("Loaded a %1 model for %2 (T = %3, F = %4): File > Predict uses it.")
                                 .arg(QString::fromStdString(attn::toString(spec.model.attention)),
                                      QString::fromStdString(attn::toString(spec.task)))
                                 .arg(spec.steps)
                                 .arg(spec.features));
    return true;
}

bool MainWindow::predictCsvFile(const QString &input, const QString &predictionsPath)
{
    if (!m_trainedModel) {
        QMessageBox::information(this, tr("No model yet"), tr("Train (or load) a model first."));
        return false;
    }
    const TrainedModelPtr model = m_trainedModel; // stays valid while a new epoch replaces it
    attn::PredictionInput in;
    attn::Predictions out;
    try {
        in = attn::readPredictionInput(model->spec, input.toStdString());
        out = attn::predict(*attn::buildModel(*model), model->spec, in);
    } catch (const std::exception &e) {
        QMessageBox::warning(this, tr("Cannot predict from %1").arg(QFileInfo(input).fileName()),
                             QString::fromUtf8(e.what()));
        return false;
    }
    const QFileInfo info(predictionsPath);
    const QString attentionPath = info.dir().filePath(info.completeBaseName() + "_attention.csv");
    QString error;
    if (!writePredictionCsv(model->spec, in, out, predictionsPath, attentionPath, &error)) {
        QMessageBox::warning(this, tr("Cannot write the predictions"), error);
        return false;
    }
    statusBar()->showMessage(tr("Predicted %L1 sequences with the model of epoch %2: %3%4")
                                 .arg(in.data.size())
                                 .arg(model->epoch)
                                 .arg(predictionsPath,
                                      out.attention.size() > 0 ? tr(" and %1").arg(attentionPath) : QString()),
                             10000);
    return true;
}

void MainWindow::exportAttentionCsv()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export attention weights as CSV"),
                                                      "attention.csv", tr("CSV files (*.csv)"));
    if (path.isEmpty())
        return;
    QString error;
    if (writeAttentionCsv(m_history, m_lastSettings.task, path, &error))
        statusBar()->showMessage(tr("Saved %1").arg(path), 5000);
    else
        QMessageBox::warning(this, tr("Export failed"), error);
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

void MainWindow::openSentenceFiles()
{
    const QStringList files = QFileDialog::getOpenFileNames(
        this, tr("Open sentence files (sentence<TAB>label per line)"),
        QDir(shippedDataDirectory()).filePath("sentiment_labelled_sentences"),
        tr("Text files (*.txt *.tsv);;All files (*)"));
    if (files.isEmpty())
        return;
    int sentences = 0;
    for (const QString &file : files) {
        try {
            sentences += int(attn::readSentenceFile(file.toStdString()).size());
        } catch (const std::exception &e) {
            // The previous data stays in use: nothing is changed before every file reads.
            QMessageBox::warning(this, tr("Cannot use %1").arg(QFileInfo(file).fileName()),
                                 QString::fromUtf8(e.what()));
            return;
        }
    }
    RunSettings s = settings();
    if (s.task != TaskKind::Sentiment)
        s = RunSettings::defaults(TaskKind::Sentiment);
    s.sentenceFiles = files;
    showSettings(s);
    statusBar()->showMessage(tr("Sentiment data: %L1 sentences from %2 file(s); press Train.")
                                 .arg(sentences)
                                 .arg(files.size()));
}

void MainWindow::setColorMap(attn::ColorMapKind kind)
{
    m_heatmap->setColorMap(kind);
    m_sentenceView->setColorMap(kind);
    m_selfView->setColorMap(kind);
}

void MainWindow::setTheme(ThemeChoice choice)
{
    m_theme = choice;
    const bool dark = applyTheme(choice);
    m_heatmap->setDark(dark);
    m_curves->setDark(dark);
    m_featureView->setDark(dark);
    m_sentenceView->setDark(dark);
    m_selfView->setDark(dark);
    for (QAction *a : m_themes->actions())
        a->setChecked(a->data().toString() == toString(choice));
}

void MainWindow::restoreLayout()
{
    QSettings store;
    restoreGeometry(store.value("window/geometry").toByteArray());
    m_splitter->restoreState(store.value("window/splitter").toByteArray());
    if (const auto kind = attn::colorMapKindFromString(store.value("view/colorMap").toString())) {
        setColorMap(*kind);
        for (QAction *a : m_colorMaps->actions())
            a->setChecked(a->data().toString() == attn::colorMapKindToString(*kind));
    }
    if (store.contains("view/showInputs"))
        findChild<QAction *>("showInputs")->setChecked(store.value("view/showInputs").toBool());
    if (store.contains("view/scaleToMax"))
        findChild<QAction *>("scaleToMax")->setChecked(store.value("view/scaleToMax").toBool());
    m_timeline->setSpeed(store.value("view/replaySpeed", m_timeline->speed()).toDouble());
    setTheme(themeChoiceFromString(store.value("view/theme").toString()));
}

void MainWindow::saveLayout()
{
    QSettings store;
    store.setValue("window/geometry", saveGeometry());
    store.setValue("window/splitter", m_splitter->saveState());
    store.setValue("view/colorMap", attn::colorMapKindToString(m_heatmap->colorMapKind()));
    store.setValue("view/showInputs", findChild<QAction *>("showInputs")->isChecked());
    store.setValue("view/scaleToMax", findChild<QAction *>("scaleToMax")->isChecked());
    store.setValue("view/replaySpeed", m_timeline->speed());
    store.setValue("view/theme", toString(m_theme));
    saveRunSettings(store, settings());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveLayout();
    QMainWindow::closeEvent(event);
}
