// SPDX-License-Identifier: GPL-3.0-or-later
// The CSV import dialog: a form of reading options, the file's first rows (or its raw bytes when
// it is not CSV at all) and the result of the complete check (makeCsvTaskData) after each change.
#include "app/gui/csvimportdialog.h"

#include "core/data/csvtask.h"
#include "core/data/sequencecsv.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QStackedWidget>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>

using namespace attn;

namespace {

const QColor kErrorColor(0xc6, 0x28, 0x28);
const QColor kWarningColor(0xb2, 0x6a, 0x00);

bool sameFormat(const CsvFormat &a, const CsvFormat &b)
{
    return a.delimiter == b.delimiter && a.header == b.header && a.quoting == b.quoting;
}

// "1 feature", "3 features".
QString count(qint64 n, const QString &one, const QString &many)
{
    return QStringLiteral("%1 %2").arg(n).arg(n == 1 ? one : many);
}

// The first bytes of a file that is not CSV, readable: printable ASCII, tabs, line feeds and valid
// UTF-8 letters as they are; everything else (NUL, CR, C0/C1 controls, invalid UTF-8) as \xNN.
QString rawText(const QByteArray &bytes)
{
    QString out;
    const auto escape = [&out](unsigned char b) {
        out += QStringLiteral("\\x") + QStringLiteral("%1").arg(unsigned(b), 2, 16, QChar('0')).toUpper();
    };
    for (qsizetype i = 0; i < bytes.size();) {
        const auto b = static_cast<unsigned char>(bytes[i]);
        if (b == '\n' || b == '\t' || (b >= 0x20 && b < 0x7f)) {
            out += QChar(b);
            ++i;
            continue;
        }
        const int n = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
        if (n > 0 && i + n <= bytes.size()) {
            bool continuation = true;
            for (int k = 1; k < n; ++k)
                continuation = continuation && (static_cast<unsigned char>(bytes[i + k]) & 0xc0) == 0x80;
            const QString decoded = continuation ? QString::fromUtf8(bytes.constData() + i, n) : QString();
            if (!decoded.isEmpty() && !decoded.contains(QChar::ReplacementCharacter) &&
                (n == 4 || decoded.at(0).isPrint())) {
                out += decoded;
                i += n;
                continue;
            }
        }
        escape(b);
        ++i;
    }
    return out;
}

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

QString taskTypeName(TaskType type)
{
    switch (type) {
    case TaskType::Regression:
        return QObject::tr("regression");
    case TaskType::Binary:
        return QObject::tr("binary classification");
    case TaskType::MultiClass:
        return QObject::tr("multi-class classification");
    case TaskType::Auto:
        break;
    }
    return QObject::tr("auto");
}

} // namespace

CsvImportDialog::CsvImportDialog(const RunSettings &initial, QWidget *parent)
    : QDialog(parent), m_initial(initial)
{
    m_initial.task = TaskKind::Csv;
    setWindowTitle(tr("Open CSV sequences: %1").arg(QFileInfo(initial.dataFile).fileName()));
    buildUi();
    fillControls(m_initial);
    m_ready = true;
    refresh();
    resize(900, 600);
}

RunSettings CsvImportDialog::guess(const QString &path, const RunSettings &base)
{
    RunSettings s = base;
    s.task = TaskKind::Csv;
    s.dataFile = path;
    s.testDataFile.clear();
    s.target.clear();
    s.window = 0;
    s.layout.clear();
    s.features = 1;
    s.sequenceId.clear();
    s.taskType.clear();
    const std::string file = path.toStdString();
    const std::string test = ucrTestPath(file);
    if (!test.empty() && QFileInfo::exists(QString::fromStdString(test)))
        return s; // csvTaskSpec reads the published pair with the UCR options
    s.layout = QStringLiteral("wide");
    try {
        const CsvTable table = readCsv(file);
        const int rows = int(table.rows.size());
        const int sample = std::min(rows, 100); // enough to tell a value column from a date column
        std::vector<int> numeric;
        int other = 0;
        for (int c = 0; c < table.columns(); ++c) {
            bool numbers = sample > 0;
            for (int r = 0; r < sample && numbers; ++r)
                numbers = parseNumber(table.rows[r][c], table.decimalComma()).kind == CellKind::Number;
            if (numbers)
                numeric.push_back(c);
            else
                ++other;
        }
        if (numeric.size() == 1 && other <= 1) {
            s.layout = QStringLiteral("series");
            s.window = std::max(1, std::min(12, rows / 4));
            const int c = numeric.front();
            if (c != table.columns() - 1)
                s.target = table.header.empty() ? QString::number(c + 1)
                                                : QString::fromStdString(table.header[c]);
        }
    } catch (const std::exception &) {
        // The dialog shows the file's error; wide is as good a start as any.
    }
    return s;
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

    m_testRow = new QWidget;
    auto *testLayout = new QHBoxLayout(m_testRow);
    testLayout->setContentsMargins(0, 0, 0, 0);
    m_testFile = new QLineEdit;
    m_testFile->setObjectName("testFileEdit");
    m_testFile->setClearButtonEnabled(true);
    m_testFile->setToolTip(tr("A second file with the same columns, used as the validation set. "
                              "Empty: 20% of the sequences are held out (a series: the latest 20%); "
                              "a UCR NAME_TRAIN file uses NAME_TEST beside it."));
    auto *browse = new QPushButton(tr("Browse..."));
    browse->setObjectName("testFileBrowse");
    browse->setToolTip(tr("Choose the validation file"));
    connect(browse, &QPushButton::clicked, this, &CsvImportDialog::browseTestFile);
    testLayout->addWidget(m_testFile, 1);
    testLayout->addWidget(browse);
    m_form->addRow(tr("Validation file"), m_testRow);

    // The result of the check.
    auto *checkBox = new QGroupBox(tr("What the model will see"));
    auto *checkLayout = new QVBoxLayout(checkBox);
    m_shapeLabel = new QLabel;
    m_shapeLabel->setObjectName("shapeLabel");
    m_shapeLabel->setWordWrap(true);
    m_shapeLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont bold = m_shapeLabel->font();
    bold.setBold(true);
    m_shapeLabel->setFont(bold);
    m_shapeLabel->setToolTip(tr("N sequences of T steps with F features each, after the split into "
                                "training and validation"));
    checkLayout->addWidget(m_shapeLabel);
    m_detailLabel = new QLabel;
    m_detailLabel->setObjectName("detailLabel");
    m_detailLabel->setWordWrap(true);
    checkLayout->addWidget(m_detailLabel);
    m_errorLabel = new QLabel;
    m_errorLabel->setObjectName("csvError");
    m_errorLabel->setWordWrap(true);
    m_errorLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_errorLabel->setStyleSheet(QStringLiteral("color: %1;").arg(kErrorColor.name()));
    m_errorLabel->setToolTip(tr("Why the file cannot be used as it is: FILE:LINE:COLUMN: message"));
    checkLayout->addWidget(m_errorLabel);
    m_warnings = new QLabel;
    m_warnings->setObjectName("csvWarnings");
    m_warnings->setWordWrap(true);
    m_warnings->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_warnings->setStyleSheet(QStringLiteral("color: %1;").arg(kWarningColor.name()));
    m_warnings->setToolTip(tr("Notes that do not stop the import, e.g. missing dates in a series "
                              "(the windows treat the rows as consecutive)"));
    checkLayout->addWidget(m_warnings);
    m_classTable = new QTableWidget(0, 3);
    m_classTable->setObjectName("classTable");
    m_classTable->setHorizontalHeaderLabels({tr("Class"), tr("Training"), tr("Validation")});
    m_classTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_classTable->setSelectionMode(QAbstractItemView::NoSelection);
    m_classTable->verticalHeader()->hide();
    m_classTable->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_classTable->setToolTip(tr("Sequences per class in each split (the labels as written in the file)"));
    checkLayout->addWidget(m_classTable);
    checkLayout->addStretch(1);

    auto *top = new QWidget;
    auto *topLayout = new QHBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addWidget(formBox, 4);
    topLayout->addWidget(checkBox, 5); // room for the shape on one line

    // The file itself.
    auto *previewBox = new QGroupBox(tr("Preview"));
    auto *previewLayout = new QVBoxLayout(previewBox);
    m_previewCaption = new QLabel;
    m_previewCaption->setObjectName("previewCaption");
    m_previewCaption->setWordWrap(true);
    previewLayout->addWidget(m_previewCaption);
    m_previewStack = new QStackedWidget;
    m_preview = new QTableWidget;
    m_preview->setObjectName("previewTable");
    m_preview->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_preview->verticalHeader()->setDefaultSectionSize(m_preview->fontMetrics().height() + 6);
    m_preview->setToolTip(tr("The first %1 rows as read with these options; the numbers at the left are "
                             "the file's line numbers. The target column is tinted, a cell named in an "
                             "error is red.")
                              .arg(kPreviewRows));
    m_rawPreview = new QPlainTextEdit;
    m_rawPreview->setObjectName("rawPreview");
    m_rawPreview->setReadOnly(true);
    m_rawPreview->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_rawPreview->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_rawPreview->setToolTip(tr("The start of the file as bytes (at most %1 KiB); bytes that are not "
                                "printable text are shown as \\xNN")
                                 .arg(kRawPreviewBytes / 1024));
    m_previewStack->addWidget(m_preview);
    m_previewStack->addWidget(m_rawPreview);
    previewLayout->addWidget(m_previewStack, 1);


    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    m_buttons->button(QDialogButtonBox::Ok)->setToolTip(
        tr("Use this data for the csv task (enabled when the check passes)"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *main = new QVBoxLayout(this);
    main->addWidget(top, 0); // as tall as the form needs; the preview takes the rest
    main->addWidget(previewBox, 1);
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

    CsvFormat format;
    try {
        format = csvTaskSpec(initial).options;
    } catch (const std::exception &) {
        // A bad layout or task type name: the check reports it; read the preview as auto.
    }
    refreshPreview(format);

    QString layout = initial.layout;
    if (layout.isEmpty())
        layout = initial.window > 0 ? QStringLiteral("series") : QStringLiteral("wide");
    m_layout->setCurrentIndex(std::max(0, m_layout->findData(layout)));

    QStringList columns = m_header;
    if (columns.isEmpty())
        for (int c = 1; c <= m_columns; ++c)
            columns << QString::number(c);
    m_target->addItems({QStringLiteral("first"), QStringLiteral("last")});
    if (!m_header.isEmpty())
        m_target->addItems(m_header);
    const QString target = !initial.target.isEmpty() ? initial.target
                           : isUcrPair()             ? QStringLiteral("first")
                                                     : QStringLiteral("last");
    m_target->setCurrentText(target);

    m_taskType->setCurrentIndex(std::max(0, m_taskType->findData(initial.taskType)));
    m_features->setValue(std::max(1, initial.features));
    m_sequenceId->addItems(columns);
    if (!initial.sequenceId.isEmpty())
        m_sequenceId->setCurrentText(initial.sequenceId);
    m_window->setValue(initial.window > 0 ? initial.window
                                          : std::max(1, std::min(12, m_rows > 0 ? m_rows / 4 : 12)));
    m_batch->setValue(std::max(1, initial.train.batchSize));
    m_standardize->setChecked(initial.standardize);
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
    s.standardize = m_standardize->isChecked();
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
    if (isUcrPair()) {
        const QString test = QString::fromStdString(ucrTestPath(m_initial.dataFile.toStdString()));
        m_testFile->setPlaceholderText(tr("auto: %1").arg(QFileInfo(test).fileName()));
    } else if (layout == QLatin1String("series")) {
        m_testFile->setPlaceholderText(tr("none: the latest 20%"));
    } else {
        m_testFile->setPlaceholderText(tr("none: 20% at random"));
    }
}

void CsvImportDialog::refreshPreview(const CsvFormat &format)
{
    if (m_previewFormat && sameFormat(*m_previewFormat, format))
        return;
    m_previewFormat = format;
    m_header.clear();
    m_columns = 0;
    m_rows = 0;
    m_parseError.clear();
    const QString name = QFileInfo(m_initial.dataFile).fileName();
    try {
        const CsvTable table = readCsv(m_initial.dataFile.toStdString(), format);
        m_columns = table.columns();
        m_rows = int(table.rows.size());
        for (const std::string &h : table.header)
            m_header << QString::fromStdString(h);
        const int shown = std::min(m_rows, kPreviewRows);
        m_preview->clear();
        m_preview->setColumnCount(m_columns);
        m_preview->setRowCount(shown);
        QStringList titles = m_header;
        if (titles.isEmpty())
            for (int c = 1; c <= m_columns; ++c)
                titles << QString::number(c);
        m_preview->setHorizontalHeaderLabels(titles);
        QStringList lines;
        for (int r = 0; r < shown; ++r) {
            lines << QString::number(table.lines[r]);
            for (int c = 0; c < m_columns; ++c) {
                const QString cell = QString::fromStdString(table.rows[r][c]);
                auto *item = new QTableWidgetItem(cell);
                item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
                if (parseNumber(table.rows[r][c], table.decimalComma()).kind == CellKind::Number)
                    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
                if (cell.size() > 30)
                    item->setToolTip(cell);
                m_preview->setItem(r, c, item);
            }
        }
        m_preview->setVerticalHeaderLabels(lines);
        m_preview->resizeColumnsToContents();
        // At least 80 px, so a narrow file still reads as a table; a long text cell must not push
        // the rest out of view.
        for (int c = 0; c < m_columns; ++c)
            m_preview->setColumnWidth(c, std::clamp(m_preview->columnWidth(c), 80, 220));
        m_previewCaption->setText(
            tr("%1: the first %2 of %L3 rows, %4-separated, %5; %6 columns. Line numbers at the left.")
                .arg(name)
                .arg(shown)
                .arg(m_rows)
                .arg(QString::fromStdString(toString(table.delimiter)))
                .arg(table.header.empty() ? tr("no header row")
                                          : tr("header on line %1").arg(table.headerLine))
                .arg(m_columns));
        m_previewStack->setCurrentWidget(m_preview);
    } catch (const std::exception &e) {
        m_parseError = QString::fromUtf8(e.what());
        QFile file(m_initial.dataFile);
        QByteArray bytes;
        if (file.open(QIODevice::ReadOnly))
            bytes = file.read(kRawPreviewBytes);
        m_rawPreview->setPlainText(rawText(bytes));
        m_previewCaption->setText(
            tr("%1 could not be read as CSV. Its first %L2 bytes as text (bytes that are not "
               "printable text as \\xNN):")
                .arg(name)
                .arg(bytes.size()));
        m_previewStack->setCurrentWidget(m_rawPreview);
    }
}

void CsvImportDialog::refresh()
{
    if (!m_ready)
        return;
    updateVisibility();
    const RunSettings s = settings();
    CsvFormat format;
    try {
        format = csvTaskSpec(s).options;
    } catch (const std::exception &) {
        // makeCsvTaskData below reports the bad option.
    }
    refreshPreview(format);

    m_error.clear();
    m_shape.clear();
    CsvTaskInfo info;
    TaskData data;
    std::string errorFile;
    int errorLine = 0, errorColumn = 0;
    try {
        data = makeCsvTaskData(s, &info);
    } catch (const CsvError &e) {
        m_error = QString::fromUtf8(e.what());
        errorFile = e.file;
        errorLine = e.line;
        errorColumn = e.column;
    } catch (const std::exception &e) {
        m_error = QString::fromUtf8(e.what());
    }

    // Tint the target column; the cell (or row) an error names in the data file goes red.
    const bool errorHere = errorLine > 0 && errorFile == s.dataFile.toStdString();
    const int targetColumn = columnIndex(s.target, m_columns, m_header);
    // Translucent, so the text stays readable on light and dark palettes.
    QColor tint = palette().color(QPalette::Highlight);
    tint.setAlpha(50);
    QColor red = kErrorColor;
    red.setAlpha(90);
    for (int r = 0; r < m_preview->rowCount(); ++r) {
        const QTableWidgetItem *header = m_preview->verticalHeaderItem(r);
        const bool errorRow = errorHere && header && header->text().toInt() == errorLine;
        for (int c = 0; c < m_preview->columnCount(); ++c) {
            QTableWidgetItem *item = m_preview->item(r, c);
            if (!item)
                continue;
            if (errorRow && (errorColumn == 0 || errorColumn == c + 1))
                item->setBackground(red);
            else
                item->setBackground(c == targetColumn ? QBrush(tint) : QBrush());
        }
    }

    const bool ok = m_error.isEmpty();
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(ok);
    m_errorLabel->setText(m_error);
    m_errorLabel->setVisible(!ok);
    if (!ok) {
        m_shapeLabel->clear();
        m_shapeLabel->hide();
        m_detailLabel->setText(tr("The file cannot be used with these options. Change them, or fix "
                                  "the file at the line and column named below."));
        m_warnings->clear();
        m_warnings->hide();
        m_classTable->hide();
        return;
    }

    const bool series = s.layout == QLatin1String("series");
    QString origin;
    if (!s.taskType.isEmpty())
        origin = tr("chosen");
    else if (series)
        origin = tr("a series forecasts its next value");
    else
        origin = tr("detected from the target");
    m_shape = tr("N = %1 training + %2 validation %3, T = %4, F = %5\n%6 (%7)")
                  .arg(data.train.size())
                  .arg(data.validation.size())
                  .arg(series ? tr("windows") : tr("sequences"))
                  .arg(count(data.train.steps, tr("step"), tr("steps")))
                  .arg(count(data.train.features, tr("feature"), tr("features")))
                  .arg(taskTypeName(info.taskType), origin);
    // Shown as "N = ..." / "T = ..., F = ..." / task type, with no-break spaces inside "T = 12
    // steps" etc., so a narrow window wraps only after a comma.
    QStringList parts = m_shape.section(QLatin1Char('\n'), 0, 0).split(QStringLiteral(", "));
    for (QString &part : parts)
        part.replace(QLatin1Char(' '), QChar(QChar::Nbsp));
    m_shapeLabel->setText(parts.front() + QLatin1Char('\n') + parts.mid(1).join(QStringLiteral(", ")) +
                          QLatin1Char('\n') + m_shape.section(QLatin1Char('\n'), 1));
    m_shapeLabel->show();

    QString validation;
    if (!s.testDataFile.isEmpty())
        validation = tr("Validation: %1.").arg(QFileInfo(s.testDataFile).fileName());
    else if (isUcrPair())
        validation = tr("Validation: %1, the published test split.")
                         .arg(QFileInfo(QString::fromStdString(ucrTestPath(s.dataFile.toStdString())))
                                  .fileName());
    else if (series)
        validation = tr("Validation: the latest 20% of the windows (no shuffle, so overlapping windows "
                        "do not leak).");
    else
        validation = tr("Validation: 20% of the sequences, drawn with seed %1.").arg(s.train.seed);
    m_detailLabel->setText(validation + QLatin1Char(' ') +
                           (s.standardize ? tr("Inputs%1 standardised on the training split.")
                                                .arg(info.taskType == TaskType::Regression
                                                         ? tr(" and target")
                                                         : QString())
                                          : tr("Values used as they are in the file.")));

    QStringList warnings;
    const int maxWarnings = 5;
    for (std::size_t i = 0; i < info.warnings.size() && int(i) < maxWarnings; ++i)
        warnings << QString::fromStdString(info.warnings[i]);
    if (int(info.warnings.size()) > maxWarnings)
        warnings << tr("... and %1 more").arg(int(info.warnings.size()) - maxWarnings);
    m_warnings->setText(warnings.join(QLatin1Char('\n')));
    m_warnings->setVisible(!warnings.isEmpty());

    const int classes = int(info.classNames.size());
    if (classes == 0) {
        m_classTable->hide();
        return;
    }
    // Validation counts from the targets: one logit (0/1) for binary, one-hot rows otherwise.
    std::vector<int> validationCounts(classes, 0);
    const Mat &y = data.validation.y;
    for (Eigen::Index r = 0; r < y.rows(); ++r) {
        Eigen::Index k = 0;
        if (y.cols() == 1)
            k = y(r, 0) > Scalar(0.5) ? 1 : 0;
        else
            y.row(r).maxCoeff(&k);
        if (k < classes)
            ++validationCounts[k];
    }
    m_classTable->setRowCount(classes);
    for (int k = 0; k < classes; ++k) {
        const QString values[] = {QString::fromStdString(info.classNames[k]),
                                  QString::number(k < int(info.trainClassCounts.size())
                                                      ? info.trainClassCounts[k]
                                                      : 0),
                                  QString::number(validationCounts[k])};
        for (int c = 0; c < 3; ++c) {
            auto *item = new QTableWidgetItem(values[c]);
            item->setTextAlignment(c == 0 ? Qt::AlignLeft | Qt::AlignVCenter : Qt::AlignRight | Qt::AlignVCenter);
            m_classTable->setItem(k, c, item);
        }
    }
    m_classTable->resizeRowsToContents();
    // As tall as its rows (up to 8, then it scrolls), so no empty grid is left under them.
    const int visibleRows = std::min(classes, 8);
    int height = m_classTable->horizontalHeader()->height() + 2 * m_classTable->frameWidth();
    for (int k = 0; k < visibleRows; ++k)
        height += m_classTable->rowHeight(k);
    m_classTable->setFixedHeight(height);
    m_classTable->show();
}

void CsvImportDialog::browseTestFile()
{
    const QString dir = m_testFile->text().isEmpty() ? QFileInfo(m_initial.dataFile).absolutePath()
                                                     : QFileInfo(m_testFile->text()).absolutePath();
    const QString path = QFileDialog::getOpenFileName(this, tr("Validation file"), dir,
                                                      tr("Sequences (*.csv *.tsv *.txt);;All files (*)"));
    if (!path.isEmpty())
        m_testFile->setText(path);
}
