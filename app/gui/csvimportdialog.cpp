// SPDX-License-Identifier: GPL-3.0-or-later
// The CSV import dialog: a form of reading options, the file's first rows (or its raw bytes when
// it is not CSV at all; app/gui/csvpreview.h) and the result of the complete check
// (makeCsvTaskData; app/gui/csvcheckpanel.h) after each change, run on a worker thread
// (app/gui/csvcheck.h) with the parsed files cached (app/gui/csvtablecache.h).
#include "app/gui/csvimportdialog.h"

#include "app/gui/csvcheck.h"
#include "app/gui/csvcheckpanel.h"
#include "app/gui/csvpreview.h"
#include "app/gui/csvtablecache.h"

#include "core/data/csvtask.h"
#include "core/data/sequencecsv.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QEventLoop>
#include <QFileDialog>
#include <QFutureWatcher>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QTimer>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>

using namespace attn;

namespace {

// The 0-based column a target/sequence-id text names in a table with `columns` columns and the
// given header, as CsvColumn::parse reads it; -1 if it names none.
int columnIndex(const QString &text, int columns, const QStringList &header)
{
    if (columns <= 0 || text.trimmed().isEmpty())
        return -1;
    const CsvColumn c = CsvColumn::parse(text.trimmed().toStdString());
    switch (c.kind) {
    case CsvColumn::Kind::First:
        return 0;
    case CsvColumn::Kind::Last:
        return columns - 1;
    case CsvColumn::Kind::Index:
        return c.index >= 1 && c.index <= columns ? c.index - 1 : -1;
    case CsvColumn::Kind::Name:
        return int(header.indexOf(QString::fromStdString(c.name)));
    default:
        return -1;
    }
}

// The fields of the settings a check depends on.
bool sameCheck(const RunSettings &a, const RunSettings &b)
{
    return a.dataFile == b.dataFile && a.testDataFile == b.testDataFile && a.layout == b.layout &&
           a.target == b.target && a.taskType == b.taskType && a.features == b.features &&
           a.sequenceId == b.sequenceId && a.window == b.window &&
           a.standardize == b.standardize && a.train.batchSize == b.train.batchSize &&
           a.train.seed == b.train.seed;
}

} // namespace

CsvImportDialog::CsvImportDialog(const RunSettings &initial, QWidget *parent)
    : QDialog(parent), m_initial(initial), m_tables(std::make_shared<CsvTableCache>()),
      m_latest(std::make_shared<std::atomic<int>>(0))
{
    m_initial.task = TaskKind::Csv;
    setWindowTitle(tr("Open CSV sequences: %1").arg(QFileInfo(initial.dataFile).fileName()));
    buildUi();
    fillControls(m_initial);
    m_ready = true;
    refresh();
    resize(900, 600);
}

CsvImportDialog::~CsvImportDialog() { m_tables->cancel(); }

int CsvImportDialog::fileReads() const { return m_tables->reads(); }

bool CsvImportDialog::waitForCheck(int timeoutMs)
{
    if (!m_checking)
        return true;
    QEventLoop loop;
    connect(this, &CsvImportDialog::checkFinished, &loop, &QEventLoop::quit);
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    loop.exec();
    return !m_checking;
}

void CsvImportDialog::buildUi()
{
    // The reading options.
    auto *formBox = new QGroupBox(tr("How to read the file"));
    m_form = new QFormLayout(formBox);
    m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);

    m_fileLabel = new QLabel;
    m_fileLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_form->addRow(tr("File"), m_fileLabel);

    m_layout = new QComboBox;
    m_layout->setObjectName("layoutCombo");
    m_layout->addItem(tr("wide: one sequence per row"), QStringLiteral("wide"));
    m_layout->addItem(tr("wide multivariate: T\u00d7F values per row"), QStringLiteral("wide-multivariate"));
    m_layout->addItem(tr("long: one step per row, sequence id"), QStringLiteral("long"));
    m_layout->addItem(tr("series: sliding windows of one series"), QStringLiteral("series"));
    m_layout->setToolTip(tr("wide: each row is one sequence, T values and the target.\n"
                            "wide multivariate: each row holds T\u00d7F values in time-major order "
                            "(step 1's F features, then step 2's, ...) and the target.\n"
                            "long: each row is one time step; rows with the same sequence id form a "
                            "sequence.\n"
                            "series: one long series (a value column, optionally a date column), cut "
                            "into windows of T steps that forecast the next value."));
    m_form->addRow(tr("Layout"), m_layout);

    m_target = new QComboBox;
    m_target->setObjectName("targetCombo");
    m_target->setEditable(true);
    m_target->setInsertPolicy(QComboBox::NoInsert);
    m_target->setToolTip(tr("The column the model predicts: first, last, a column number (1 = the "
                            "first column) or a header name. UCR files hold the label first."));
    m_form->addRow(tr("Target column"), m_target);

    m_taskType = new QComboBox;
    m_taskType->setObjectName("taskTypeCombo");
    m_taskType->addItem(tr("auto-detected"), QString());
    m_taskType->addItem(tr("regression"), QStringLiteral("regression"));
    m_taskType->addItem(tr("binary classification"), QStringLiteral("binary"));
    m_taskType->addItem(tr("multi-class classification"), QStringLiteral("multiclass"));
    m_taskType->setToolTip(tr("auto-detected: words or 2 distinct whole numbers give binary, 3 to %1 "
                              "distinct whole numbers multi-class, anything else (and a series) "
                              "regression. Choose another type to override it.")
                               .arg(kMaxAutoClasses));
    m_form->addRow(tr("Task type"), m_taskType);

    m_features = new QSpinBox;
    m_features->setObjectName("featuresSpin");
    m_features->setRange(1, 100000);
    m_features->setToolTip(tr("F, the number of features per time step: each row holds T\u00d7F values, "
                              "step by step."));
    m_form->addRow(tr("Features per step (F)"), m_features);

    m_sequenceId = new QComboBox;
    m_sequenceId->setObjectName("sequenceIdCombo");
    m_sequenceId->setEditable(true);
    m_sequenceId->setInsertPolicy(QComboBox::NoInsert);
    m_sequenceId->setToolTip(tr("The column that says which sequence a row belongs to (a header name "
                                "or a column number). Every sequence needs the same number of rows."));
    m_form->addRow(tr("Sequence id column"), m_sequenceId);

    m_window = new QSpinBox;
    m_window->setObjectName("windowSpin");
    m_window->setRange(1, 100000);
    m_window->setToolTip(tr("T, the window length: each window of T consecutive rows forecasts the "
                            "value in the row after it. The heatmap shows which lags the model uses."));
    m_form->addRow(tr("Window (T steps)"), m_window);

    m_batch = new QSpinBox;
    m_batch->setObjectName("batchSpin");
    m_batch->setRange(1, 100000);
    m_batch->setToolTip(tr("Sequences per training batch. The file needs at least this many "
                           "sequences; lower it for a small file."));
    m_form->addRow(tr("Batch size"), m_batch);

    m_standardize = new QCheckBox(tr("Standardise inputs on the training split"));
    m_standardize->setObjectName("standardizeCheck");
    m_standardize->setToolTip(tr("Scale each feature (and a regression target) to mean 0 and standard "
                                 "deviation 1, with statistics from the training split only, so nothing "
                                 "leaks from the validation data. Off: the values as they are."));
    m_form->addRow(QString(), m_standardize);
    m_instanceNorm = new QCheckBox(tr("Normalise each window (forecasts)"));
    m_instanceNorm->setObjectName("instanceNormCheck");
    m_instanceNorm->setToolTip(tr("Standardise each window by its own mean and spread and put the "
                                  "forecast back on the window's level (reversible instance "
                                  "normalisation), so a growing series is read on one scale. Off: "
                                  "the windows on the training split's scale only."));
    m_form->addRow(QString(), m_instanceNorm);

    m_testRow = new QWidget;
    auto *testLayout = new QHBoxLayout(m_testRow);
    testLayout->setContentsMargins(0, 0, 0, 0);
    m_testFile = new QLineEdit;
    m_testFile->setObjectName("testFileEdit");
    m_testFile->setClearButtonEnabled(true);
    m_testFile->setToolTip(tr("A second file with the same columns, the held-out test set: its "
                              "metric is reported every epoch and is the run's result, never used "
                              "for a choice. Validation is always 20% of this file (a series: the "
                              "latest 20%). A UCR NAME_TRAIN file uses NAME_TEST beside it."));
    auto *browse = new QPushButton(tr("Browse..."));
    browse->setObjectName("testFileBrowse");
    browse->setToolTip(tr("Choose the test file"));
    connect(browse, &QPushButton::clicked, this, &CsvImportDialog::browseTestFile);
    testLayout->addWidget(m_testFile, 1);
    testLayout->addWidget(browse);
    m_form->addRow(tr("Test file"), m_testRow);

    // The result of the check.
    m_check = new CsvCheckPanel;

    auto *top = new QWidget;
    auto *topLayout = new QHBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addWidget(formBox, 4);
    topLayout->addWidget(m_check, 5); // room for the shape on one line

    // The file itself.
    m_preview = new CsvPreview;

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    m_buttons->button(QDialogButtonBox::Ok)->setToolTip(
        tr("Use this data for the csv task (enabled when the check passes)"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, [this] {
        m_tables->cancel(); // a large file being read: stop now, not when the read ends
        reject();
    });
    // A large file: the bytes read so far, polled from the reading thread's counters.
    m_progressTimer = new QTimer(this);
    m_progressTimer->setInterval(100);
    connect(m_progressTimer, &QTimer::timeout, this, [this] {
        const auto [read, size] = m_tables->progress();
        m_check->showProgress(read, size);
    });

    auto *main = new QVBoxLayout(this);
    main->addWidget(top, 0); // as tall as the form needs; the preview takes the rest
    main->addWidget(m_preview, 1);
    main->addWidget(m_buttons);

    connect(m_layout, &QComboBox::currentIndexChanged, this, &CsvImportDialog::refresh);
    connect(m_target, &QComboBox::currentTextChanged, this, &CsvImportDialog::refresh);
    connect(m_taskType, &QComboBox::currentIndexChanged, this, &CsvImportDialog::refresh);
    connect(m_features, &QSpinBox::valueChanged, this, &CsvImportDialog::refresh);
    connect(m_sequenceId, &QComboBox::currentTextChanged, this, &CsvImportDialog::refresh);
    connect(m_window, &QSpinBox::valueChanged, this, &CsvImportDialog::refresh);
    connect(m_batch, &QSpinBox::valueChanged, this, &CsvImportDialog::refresh);
    connect(m_standardize, &QCheckBox::toggled, this, &CsvImportDialog::refresh);
    connect(m_testFile, &QLineEdit::textChanged, this, &CsvImportDialog::refresh);
}

void CsvImportDialog::fillControls(const RunSettings &initial)
{
    const QFileInfo file(initial.dataFile);
    m_fileLabel->setText(file.fileName());
    m_fileLabel->setToolTip(QDir::toNativeSeparators(file.absoluteFilePath()));
    m_testFile->setText(initial.testDataFile);

    QString layout = initial.layout;
    if (layout.isEmpty())
        layout = initial.window > 0 ? QStringLiteral("series") : QStringLiteral("wide");
    m_layout->setCurrentIndex(std::max(0, m_layout->findData(layout)));

    // The file's column names are added when the first check has read it (fillColumns).
    m_target->addItems({QStringLiteral("first"), QStringLiteral("last")});
    const QString target = !initial.target.isEmpty() ? initial.target
                           : isUcrPair()             ? QStringLiteral("first")
                                                     : QStringLiteral("last");
    m_target->setCurrentText(target);

    m_taskType->setCurrentIndex(std::max(0, m_taskType->findData(initial.taskType)));
    m_features->setValue(std::max(1, initial.features));
    if (!initial.sequenceId.isEmpty())
        m_sequenceId->setCurrentText(initial.sequenceId);
    m_window->setValue(initial.window > 0 ? initial.window : 12); // rows / 4 once they are known
    m_batch->setValue(std::max(1, initial.train.batchSize));
    m_standardize->setChecked(initial.standardize);
    m_instanceNorm->setChecked(initial.instanceNorm);
}

void CsvImportDialog::fillColumns(const CsvPreviewContent &preview)
{
    m_columnsFilled = true;
    const QSignalBlocker blockTarget(m_target), blockId(m_sequenceId), blockWindow(m_window);
    QStringList columns = preview.header;
    if (columns.isEmpty())
        for (int c = 1; c <= preview.columns; ++c)
            columns << QString::number(c);
    const QString target = m_target->currentText();
    m_target->addItems(preview.header);
    m_target->setCurrentText(target);
    const QString id = m_sequenceId->currentText();
    m_sequenceId->addItems(columns);
    if (!id.isEmpty())
        m_sequenceId->setCurrentText(id);
    if (m_initial.window <= 0)
        m_window->setValue(std::max(1, std::min(12, preview.rows > 0 ? preview.rows / 4 : 12)));
}

bool CsvImportDialog::isUcrPair() const
{
    if (!m_testFile->text().trimmed().isEmpty())
        return false;
    const std::string test = ucrTestPath(m_initial.dataFile.toStdString());
    return !test.empty() && QFileInfo::exists(QString::fromStdString(test));
}

RunSettings CsvImportDialog::settings() const
{
    RunSettings s = m_initial;
    s.task = TaskKind::Csv;
    s.layout = m_layout->currentData().toString();
    s.target = m_target->currentText().trimmed();
    s.taskType = m_taskType->currentData().toString();
    s.features = s.layout == QLatin1String("wide-multivariate") ? m_features->value() : 1;
    s.sequenceId = s.layout == QLatin1String("long") ? m_sequenceId->currentText().trimmed() : QString();
    s.window = s.layout == QLatin1String("series") ? m_window->value() : 0;
    // A new forecast sets its attention beside what it leans on (Explain, as --window does);
    // a forecast opened again keeps the user's choice.
    if (s.window > 0 && m_initial.window == 0 && s.train.explainRows == 0)
        s.train.explainRows = kForecastExplainRows;
    s.standardize = m_standardize->isChecked();
    s.instanceNorm = m_instanceNorm->isChecked();
    s.train.batchSize = m_batch->value();
    s.testDataFile = m_testFile->text().trimmed();
    // The UCR _TEST beside the data file, chosen by hand: leave it to csvTaskSpec, which then
    // reads the pair with the UCR options (label first, no header).
    const QString ucrTest = QString::fromStdString(ucrTestPath(s.dataFile.toStdString()));
    if (!s.testDataFile.isEmpty() && !ucrTest.isEmpty() &&
        QFileInfo(s.testDataFile) == QFileInfo(ucrTest))
        s.testDataFile.clear();
    return s;
}

QString CsvImportDialog::errorText() const { return m_error; }

QString CsvImportDialog::shapeText() const { return m_shape; }

void CsvImportDialog::updateVisibility()
{
    const QString layout = m_layout->currentData().toString();
    m_form->setRowVisible(m_features, layout == QLatin1String("wide-multivariate"));
    m_form->setRowVisible(m_sequenceId, layout == QLatin1String("long"));
    m_form->setRowVisible(m_window, layout == QLatin1String("series"));
    m_form->setRowVisible(m_instanceNorm, layout == QLatin1String("series"));
    if (isUcrPair()) {
        const QString test = QString::fromStdString(ucrTestPath(m_initial.dataFile.toStdString()));
        m_testFile->setPlaceholderText(tr("auto: %1").arg(QFileInfo(test).fileName()));
    } else if (layout == QLatin1String("series")) {
        m_testFile->setPlaceholderText(tr("none"));
    } else {
        m_testFile->setPlaceholderText(tr("none"));
    }
}

void CsvImportDialog::refresh()
{
    if (!m_ready)
        return;
    updateVisibility();
    const int generation = ++m_generation;
    m_latest->store(generation);
    m_checking = true;
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(false);
    m_check->showChecking();
    m_progressTimer->start();
    auto *watcher = new QFutureWatcher<CsvCheckResult>(this);
    connect(watcher, &QFutureWatcher<CsvCheckResult>::finished, this, [this, watcher] {
        const CsvCheckResult result = watcher->result();
        watcher->deleteLater();
        if (result.generation != m_generation) { // a newer check is running: its result counts
            ++m_dropped;
            return;
        }
        if (!m_columnsFilled && result.preview.parsed) {
            fillColumns(result.preview);
            if (!sameCheck(settings(), result.settings)) { // e.g. the sequence id now has a column
                refresh();
                return;
            }
        }
        showCheck(result);
    });
    const RunSettings s = settings();
    watcher->setFuture(QtConcurrent::run([s, generation, tables = m_tables, latest = m_latest] {
        return runCsvCheck(s, generation, *tables, *latest);
    }));
}

void CsvImportDialog::showCheck(const CsvCheckResult &r)
{
    m_checking = false;
    m_progressTimer->stop();
    const RunSettings &s = r.settings;
    m_preview->display(r.preview);
    m_error = r.error;
    m_shape.clear();
    // Tint the target column; the cell (or row) an error names in the data file goes red.
    const bool errorHere = r.errorLine > 0 && r.errorFile == s.dataFile.toStdString();
    const int targetColumn = columnIndex(s.target, m_preview->columns(), m_preview->header());
    // Translucent, so the text stays readable on light and dark palettes.
    QColor tint = palette().color(QPalette::Highlight);
    tint.setAlpha(50);
    QColor red = CsvCheckPanel::errorColor();
    red.setAlpha(90);
    m_preview->highlight(targetColumn, tint, errorHere ? r.errorLine : 0, r.errorColumn, red);

    const bool ok = m_error.isEmpty();
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(ok);
    if (!ok) {
        m_check->showError(m_error);
        emit checkFinished();
        return;
    }

    m_shape = csvCheckShape(r);
    const QString ucrTest = isUcrPair() ? QFileInfo(QString::fromStdString(ucrTestPath(s.dataFile.toStdString())))
                                              .fileName()
                                        : QString();
    const QString detail = csvCheckDetail(r, ucrTest);
    m_check->showResult(m_shape, detail, r.info, r.validationY);
    emit checkFinished();
}

void CsvImportDialog::browseTestFile()
{
    const QString dir = m_testFile->text().isEmpty() ? QFileInfo(m_initial.dataFile).absolutePath()
                                                     : QFileInfo(m_testFile->text()).absolutePath();
    const QString path = QFileDialog::getOpenFileName(this, tr("Test file"), dir,
                                                      tr("Sequences (*.csv *.tsv *.txt);;All files (*)"));
    if (!path.isEmpty())
        m_testFile->setText(path);
}
