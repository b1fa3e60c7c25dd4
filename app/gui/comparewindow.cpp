// SPDX-License-Identifier: GPL-3.0-or-later
// Compare window: controls, worker thread hand-off, live table, curves, progress/ETA, exports.
#include "app/gui/comparewindow.h"

#include "app/gui/exportsizedialog.h"
#include "app/session/plural.h"
#include "app/session/savefile.h"
#include "widgets/comparecurvesview.h"

#include <QCheckBox>
#include <QCloseEvent>
#include <QComboBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

using attn::AttentionKind;

namespace {

enum Column { MechanismColumn, RunsColumn, BestColumn, MeanColumn, StdColumn, ParametersColumn, ColumnCount };

QString kindName(AttentionKind kind) { return QString::fromStdString(attn::toString(kind)); }

// As in the Markdown table: accuracy in percent with 2 decimals, other metrics with 4.
QString formatMetric(double v, const std::string &metricName)
{
    if (std::isnan(v))
        return QStringLiteral("n/a");
    return metricName == "accuracy" ? QString::number(100.0 * v, 'f', 2) : QString::number(v, 'f', 4);
}

// "1 run", "4 runs".
// "20 epochs"; 0 (auto): a file's runs are sized to it and stop early (attn::autoEpochs).
QString epochsText(int epochs)
{
    return epochs == 0 ? QStringLiteral("epochs sized to the data (early stopping)")
                       : countText(epochs, QStringLiteral("epoch"), QStringLiteral("epochs"));
}

QString runsText(std::size_t n) { return countText(static_cast<long long>(n), QStringLiteral("run"), QStringLiteral("runs")); }

QString formatDuration(double seconds)
{
    const long long s = std::llround(std::max(0.0, seconds));
    if (s >= 3600)
        return QStringLiteral("%1:%2:%3")
            .arg(s / 3600)
            .arg(s / 60 % 60, 2, 10, QChar('0'))
            .arg(s % 60, 2, 10, QChar('0'));
    return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QChar('0'));
}

} // namespace

CompareWindow::CompareWindow(const RunSettings &base, QWidget *parent)
    : QWidget(parent, Qt::Window), m_base(base), m_applicable(attn::applicableAttention(base.task)),
      m_metricName(runMetricName(base))
{
    setWindowTitle(tr("Compare mechanisms — %1").arg(QString::fromStdString(attn::toString(base.task))));

    CompareWorker::registerTypes();
    m_worker = new CompareWorker; // no parent: it moves to the worker thread
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(this, &CompareWindow::compareRequested, m_worker, &CompareWorker::run, Qt::QueuedConnection);
    // Queued back to this thread; signals of a compare other than the newest one are dropped.
    const auto current = [this](long long compareId) { return compareId == m_compareId; };
    connect(m_worker, &CompareWorker::compareStarted, this, [this, current](long long id, int totalRuns) {
        if (current(id))
            onCompareStarted(totalRuns);
    }, Qt::QueuedConnection);
    connect(m_worker, &CompareWorker::runStarted, this,
            [this, current](long long id, int runId, const QString &mechanism, int runIndex,
                            qulonglong seed, long long parameters) {
                if (current(id))
                    onRunStarted(runId, mechanism, runIndex, seed, parameters);
            }, Qt::QueuedConnection);
    connect(m_worker, &CompareWorker::progress, this,
            [this, current](long long id, int runId, const attn::ProgressInfo &info) {
                if (current(id))
                    onProgress(runId, info);
            }, Qt::QueuedConnection);
    connect(m_worker, &CompareWorker::epochDone, this,
            [this, current](long long id, int runId, const attn::EpochSnapshot &snapshot) {
                if (current(id))
                    onEpochDone(runId, snapshot);
            }, Qt::QueuedConnection);
    connect(m_worker, &CompareWorker::runFinished, this,
            [this, current](long long id, const attn::CompareRun &run) {
                if (current(id))
                    onRunFinished(run);
            }, Qt::QueuedConnection);
    connect(m_worker, &CompareWorker::finished, this,
            [this, current](long long id) {
                if (current(id))
                    onEnded(tr("Finished: %1 in %2")
                                .arg(runsText(m_results.size()), formatDuration(m_clock.elapsed() / 1000.0)),
                            false);
            },
            Qt::QueuedConnection);
    connect(m_worker, &CompareWorker::stopped, this,
            [this, current](long long id) {
                if (current(id))
                    onEnded(tr("Stopped after %1").arg(runsText(m_results.size())), true);
            },
            Qt::QueuedConnection);
    connect(m_worker, &CompareWorker::failed, this,
            [this, current](long long id, const QString &message) {
                if (current(id))
                    onEnded(tr("Failed: %1").arg(message), true);
            },
            Qt::QueuedConnection);
    m_thread.setObjectName("compare");
    m_thread.start();

    // Settings: the task and its fixed settings, the mechanisms, the number of runs.
    const attn::ModelConfig &m = base.model;
    m_taskLabel = new QLabel(
        tr("Task <b>%1</b> · %2 · batch %3 · hidden %4 · learning rate %5 · "
           "published mechanism %6")
            .arg(QString::fromStdString(attn::toString(base.task)))
            .arg(epochsText(base.train.epochs))
            .arg(base.train.batchSize)
            .arg(m.hiddenSetting())
            .arg(base.train.learningRate)
            .arg(kindName(attn::taskDefaults(base.task).model.attention)));
    m_taskLabel->setWordWrap(true);

    auto *mechanisms = new QGroupBox(tr("Mechanisms"));
    auto *mechanismLayout = new QHBoxLayout(mechanisms);
    for (AttentionKind kind : m_applicable) {
        auto *check = new QCheckBox(kind == AttentionKind::None    ? tr("none (no attention)")
                                    : kind == AttentionKind::Plain ? tr("plain (last state)")
                                                                   : kindName(kind));
        check->setChecked(kind == base.model.attention || kind == AttentionKind::None ||
                          kind == attn::taskDefaults(base.task).model.attention);
        connect(check, &QCheckBox::toggled, this, &CompareWindow::updateControls);
        mechanismLayout->addWidget(check);
        m_checks.push_back(check);
    }
    mechanismLayout->addStretch();

    m_runs = new QSpinBox;
    m_runs->setRange(1, 1000);
    m_runs->setValue(10);
    m_runs->setToolTip(tr("Seeds per mechanism; every mechanism trains with the same seeds "
                          "(the same data split per seed)."));
    connect(m_runs, &QSpinBox::valueChanged, this, &CompareWindow::updateSeedLabel);
    m_seedLabel = new QLabel;
    m_quantity = new QComboBox;
    const std::string &metricName = m_metricName; // as the command line names it
    if (attn::taskDefaults(base.task).alignment != attn::AlignmentKind::None)
        m_quantity->addItem(tr("Alignment with ground truth"),
                            QVariant::fromValue(int(attn::CompareCurvesView::Quantity::Alignment)));
    m_quantity->addItem(tr("Validation %1").arg(metricName == "accuracy" ? tr("accuracy") : tr("MAE")),
                        QVariant::fromValue(int(attn::CompareCurvesView::Quantity::Metric)));
    auto *runsRow = new QHBoxLayout;
    runsRow->addWidget(m_runs);
    runsRow->addWidget(m_seedLabel, 1);
    auto *form = new QFormLayout;
    form->addRow(tr("Runs per mechanism:"), runsRow);
    form->addRow(tr("Plot:"), m_quantity);

    m_start = new QPushButton(tr("Start"));
    m_start->setShortcut(QKeySequence("Ctrl+Return"));
    m_start->setToolTip(tr("Train every checked mechanism with each seed (Ctrl+Return)"));
    m_stop = new QPushButton(tr("Stop"));
    m_progress = new QProgressBar;
    m_progress->setRange(0, 1000);
    m_progress->setValue(0);
    m_progress->setTextVisible(true);
    m_progress->setFormat(tr("Idle"));
    connect(m_start, &QPushButton::clicked, this, &CompareWindow::start);
    connect(m_stop, &QPushButton::clicked, this, &CompareWindow::stop);
    auto *controls = new QHBoxLayout;
    controls->addWidget(m_start);
    controls->addWidget(m_stop);
    controls->addWidget(m_progress, 1);
    m_status = new QLabel;
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    // Results: the table above the curves.
    m_caption = new QLabel(
        tr("Best validation %1 of each run over its %2; %3, mean and sample std (n − 1) over the runs")
            .arg(QString::fromStdString(attn::metricTitle(metricName)))
            .arg(epochsText(base.train.epochs))
            .arg(QString::fromStdString(attn::bestName(metricName))));
    m_caption->setWordWrap(true);
    m_table = new QTableWidget(0, ColumnCount);
    m_table->setHorizontalHeaderLabels({tr("mechanism"), tr("runs"),
                                        QString::fromStdString(attn::bestName(metricName)),
                                        tr("mean"), tr("std"), tr("parameters")});
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    auto *tablePane = new QWidget;
    auto *tableLayout = new QVBoxLayout(tablePane);
    tableLayout->setContentsMargins(0, 0, 0, 0);
    tableLayout->addWidget(m_caption);
    tableLayout->addWidget(m_table);

    m_curves = new attn::CompareCurvesView;
    m_curves->setMinimumSize(480, 280);
    m_curves->setDark(palette().color(QPalette::Window).lightness() < 128);
    m_curves->setQuantity(attn::CompareCurvesView::Quantity(m_quantity->currentData().toInt()));
    connect(m_quantity, &QComboBox::currentIndexChanged, this, [this] {
        m_curves->setQuantity(attn::CompareCurvesView::Quantity(m_quantity->currentData().toInt()));
    });
    auto *splitter = new QSplitter(Qt::Vertical);
    splitter->addWidget(tablePane);
    splitter->addWidget(m_curves);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 2);

    m_exportCsv = new QPushButton(tr("Export CSV…"));
    m_exportCsv->setToolTip(tr("Save the table as CSV"));
    m_exportPng = new QPushButton(tr("Export PNG…"));
    m_exportPng->setToolTip(tr("Save the plot as PNG"));
    connect(m_exportCsv, &QPushButton::clicked, this, &CompareWindow::exportCsvInteractive);
    connect(m_exportPng, &QPushButton::clicked, this, &CompareWindow::exportPngInteractive);
    auto *exports = new QHBoxLayout;
    exports->addWidget(m_status, 1);
    exports->addWidget(m_exportCsv);
    exports->addWidget(m_exportPng);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_taskLabel);
    layout->addWidget(mechanisms);
    layout->addLayout(form);
    layout->addLayout(controls);
    layout->addWidget(splitter, 1);
    layout->addLayout(exports);
    resize(900, 760);

    restoreSettings();
    updateSeedLabel();
    updateControls();
}

CompareWindow::~CompareWindow()
{
    saveSettings();
    m_worker->requestStop();
    m_thread.quit();
    m_thread.wait();
}

void CompareWindow::closeEvent(QCloseEvent *event)
{
    stop();
    event->accept();
}

bool CompareWindow::start()
{
    if (m_running) {
        m_status->setText(tr("A compare is running; stop it first."));
        return false;
    }
    const std::vector<AttentionKind> mechanisms = checkedMechanisms();
    if (mechanisms.empty()) {
        m_status->setText(tr("Check at least one mechanism."));
        return false;
    }
    m_grid = attn::CompareGrid{mechanisms, m_runs->value(), m_base.train.seed};
    m_results.clear();
    m_curveIds.assign(std::size_t(m_grid.size()), -1);
    m_currentRun = -1;
    m_curves->clear();
    m_running = true;
    m_clock.start();
    m_progress->setValue(0);
    m_progress->setFormat(tr("Starting…"));
    m_status->setText(tr("Running %1 × %2: %3")
                          .arg(countText(static_cast<long long>(mechanisms.size()), tr("mechanism"), tr("mechanisms")),
                               countText(m_grid.runs, tr("seed"), tr("seeds")),
                               runsText(std::size_t(m_grid.size()))));
    fillTable();
    updateControls();
    m_worker->clearStop();
    emit compareRequested(m_base, m_grid, ++m_compareId);
    return true;
}

void CompareWindow::stop()
{
    if (m_running)
        m_worker->requestStop();
}

void CompareWindow::setCheckedMechanisms(const std::vector<AttentionKind> &mechanisms)
{
    for (std::size_t i = 0; i < m_applicable.size(); ++i)
        m_checks[i]->setChecked(std::find(mechanisms.begin(), mechanisms.end(), m_applicable[i]) !=
                                mechanisms.end());
}

std::vector<AttentionKind> CompareWindow::checkedMechanisms() const
{
    std::vector<AttentionKind> out;
    for (std::size_t i = 0; i < m_applicable.size(); ++i)
        if (m_checks[i]->isChecked())
            out.push_back(m_applicable[i]);
    return out;
}

void CompareWindow::setRuns(int runs) { m_runs->setValue(runs); }

int CompareWindow::runs() const { return m_runs->value(); }

std::vector<attn::CompareRow> CompareWindow::rows() const
{
    if (m_results.empty())
        return {};
    return attn::summarize(m_results, attn::higherIsBetter(m_results.front().metricName));
}

QString CompareWindow::statusText() const { return m_status->text(); }

bool CompareWindow::exportCsv(const QString &path, QString *error) const
{
    if (m_results.empty()) {
        if (error)
            *error = tr("%1: no finished run to export yet").arg(path);
        return false;
    }
    const QByteArray csv =
        QByteArray::fromStdString(attn::compareTableCsv(rows(), m_results.front().metricName));
    return saveFileAtomically(path, csv, error);
}

bool CompareWindow::exportPng(const QString &path, QSize size, double scale, QString *error)
{
    return m_curves->savePng(path, size.width(), size.height(), scale, error);
}

void CompareWindow::onCompareStarted(int totalRuns)
{
    m_progress->setFormat(tr("Run 1 of %1").arg(totalRuns));
}

void CompareWindow::onRunStarted(int runId, const QString &mechanism, int runIndex, qulonglong seed,
                                 long long parameters)
{
    Q_UNUSED(parameters);
    m_currentRun = runId;
    m_currentLabel = tr("%1, seed %2").arg(mechanism).arg(seed);
    m_curveIds[std::size_t(runId)] = m_curves->addRun(mechanism, runIndex);
    updateProgress(0.0);
}

void CompareWindow::onProgress(int runId, const attn::ProgressInfo &info)
{
    if (runId != m_currentRun || info.totalEpochs < 1 || info.samplesPerEpoch < 1)
        return;
    const double epochs = double(info.epoch - 1) + double(info.samplesDone) / double(info.samplesPerEpoch);
    updateProgress(epochs / double(info.totalEpochs));
}

void CompareWindow::onEpochDone(int runId, const attn::EpochSnapshot &snapshot)
{
    m_curves->appendEpoch(m_curveIds[std::size_t(runId)], snapshot);
    if (snapshot.totalEpochs > 0)
        updateProgress(double(snapshot.epoch) / double(snapshot.totalEpochs));
}

void CompareWindow::onRunFinished(const attn::CompareRun &run)
{
    // In grid order whatever order parallel runs finish in: the statistics sum in one order.
    m_results.insert(std::upper_bound(m_results.begin(), m_results.end(), run,
                                      [](const attn::CompareRun &a, const attn::CompareRun &b) {
                                          return a.runId < b.runId;
                                      }),
                     run);
    if (run.runId == m_currentRun)
        m_currentRun = -1; // the next runStarted names the next run
    fillTable();
    updateProgress(0.0);
    updateControls();
    emit resultsChanged();
}

void CompareWindow::onEnded(const QString &status, bool stopped)
{
    m_running = false;
    m_currentRun = -1;
    m_progress->setValue(stopped ? m_progress->value() : m_progress->maximum());
    m_progress->setFormat(tr("%1 of %2 runs").arg(m_results.size()).arg(m_grid.size()));
    m_status->setText(status);
    updateControls();
    emit compareEnded(stopped);
}

void CompareWindow::fillTable()
{
    const std::string metricName =
        m_results.empty() ? m_metricName : m_results.front().metricName;
    const std::vector<attn::CompareRow> summary = rows();
    m_table->setRowCount(int(m_grid.mechanisms.size()));
    for (std::size_t i = 0; i < m_grid.mechanisms.size(); ++i) {
        const AttentionKind kind = m_grid.mechanisms[i];
        const auto row = std::find_if(summary.begin(), summary.end(),
                                      [&](const attn::CompareRow &r) { return r.mechanism == kind; });
        QStringList cells = {kindName(kind), QStringLiteral("0"), {}, {}, {}, {}};
        if (row != summary.end())
            cells = {kindName(kind),
                     QString::number(row->runs),
                     formatMetric(row->best, metricName),
                     formatMetric(row->mean, metricName),
                     formatMetric(row->std, metricName),
                     QLocale().toString(row->parameters)};
        for (int c = 0; c < ColumnCount; ++c) {
            auto *item = new QTableWidgetItem(cells[c]);
            item->setTextAlignment(c == MechanismColumn ? (Qt::AlignLeft | Qt::AlignVCenter)
                                                        : (Qt::AlignRight | Qt::AlignVCenter));
            if (c == MechanismColumn)
                item->setForeground(m_curves->mechanismColor(kindName(kind)));
            m_table->setItem(int(i), c, item);
        }
    }
}

void CompareWindow::updateProgress(double runFraction)
{
    const int total = m_grid.size();
    if (total < 1)
        return;
    const int finished = int(m_results.size());
    const double fraction = std::clamp((double(finished) + runFraction) / double(total), 0.0, 1.0);
    m_progress->setValue(int(std::lround(fraction * m_progress->maximum())));
    QString text = tr("Run %1 of %2").arg(std::min(finished + 1, total)).arg(total);
    if (!m_currentLabel.isEmpty() && m_currentRun >= 0)
        text += QStringLiteral(" (%1)").arg(m_currentLabel);
    const double elapsed = m_clock.elapsed() / 1000.0;
    if (fraction > 0.0)
        text += tr(" · ETA %1").arg(formatDuration(elapsed * (1.0 - fraction) / fraction));
    m_progress->setFormat(text);
}

void CompareWindow::updateControls()
{
    for (QCheckBox *check : m_checks)
        check->setEnabled(!m_running);
    m_runs->setEnabled(!m_running);
    m_start->setEnabled(!m_running && !checkedMechanisms().empty());
    m_stop->setEnabled(m_running);
    m_exportCsv->setEnabled(!m_results.empty());
    m_exportPng->setEnabled(m_curves->runCount() > 0);
}

void CompareWindow::updateSeedLabel()
{
    const int n = m_runs->value();
    const std::uint64_t first = m_base.train.seed, last = first + std::uint64_t(n - 1);
    m_seedLabel->setText(n == 1 ? tr("seed %1, the same for every mechanism").arg(first)
                                : tr("seeds %1..%2, the same for every mechanism").arg(first).arg(last));
}

void CompareWindow::exportCsvInteractive()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export table as CSV"),
                                                      QStringLiteral("compare.csv"), tr("CSV (*.csv)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!exportCsv(path, &error))
        QMessageBox::warning(this, tr("Export CSV"), error);
}

void CompareWindow::exportPngInteractive()
{
    ExportSizeDialog size(m_curves->size(), true, this);
    if (size.exec() != QDialog::Accepted)
        return;
    const QString path = QFileDialog::getSaveFileName(this, tr("Export plot as PNG"),
                                                      QStringLiteral("compare.png"), tr("PNG (*.png)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!exportPng(path, size.imageSize(), size.scale(), &error))
        QMessageBox::warning(this, tr("Export PNG"), error);
}
