// SPDX-License-Identifier: GPL-3.0-or-later
// The CSV import dialog's preview: the table of the first rows, the raw-bytes view for a file that
// is not CSV, the caption saying how the file was read, and the highlighting of target and error.
#include "app/gui/csvpreview.h"

#include <QFile>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QStackedWidget>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>

using namespace attn;

namespace {

bool sameFormat(const CsvFormat &a, const CsvFormat &b)
{
    return a.delimiter == b.delimiter && a.header == b.header && a.quoting == b.quoting;
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

} // namespace

CsvPreview::CsvPreview(QWidget *parent)
    : QGroupBox(tr("Preview"), parent)
{
    auto *previewLayout = new QVBoxLayout(this);
    m_caption = new QLabel;
    m_caption->setObjectName("previewCaption");
    m_caption->setWordWrap(true);
    previewLayout->addWidget(m_caption);
    m_stack = new QStackedWidget;
    m_table = new QTableWidget;
    m_table->setObjectName("previewTable");
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->setToolTip(tr("The first %1 rows as read with these options; the numbers at the left are "
                           "the file's line numbers. The target column is tinted, a cell named in an "
                           "error is red.")
                            .arg(kRows));
    m_raw = new QPlainTextEdit;
    m_raw->setObjectName("rawPreview");
    m_raw->setReadOnly(true);
    m_raw->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_raw->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_raw->setToolTip(tr("The start of the file as bytes (at most %1 KiB); bytes that are not "
                         "printable text are shown as \\xNN")
                          .arg(kRawBytes / 1024));
    m_stack->addWidget(m_table);
    m_stack->addWidget(m_raw);
    previewLayout->addWidget(m_stack, 1);
}

CsvPreviewContent CsvPreview::read(const QString &path, const CsvFormat &format,
                                   const CsvTable *table, const QString &parseError)
{
    CsvPreviewContent c;
    c.format = format;
    c.name = QFileInfo(path).fileName();
    if (!table) {
        c.parseError = parseError;
        QFile file(path);
        if (file.open(QIODevice::ReadOnly))
            c.raw = file.read(kRawBytes);
        return c;
    }
    c.parsed = true;
    c.columns = table->columns();
    c.rows = int(table->rows.size());
    for (const std::string &h : table->header)
        c.header << QString::fromStdString(h);
    c.delimiter = QString::fromStdString(toString(table->delimiter));
    c.headerLine = table->headerLine;
    const int shown = std::min(c.rows, kRows);
    for (int r = 0; r < shown; ++r) {
        c.lines << table->lines[std::size_t(r)];
        QStringList cells;
        QList<bool> numeric;
        for (int col = 0; col < c.columns; ++col) {
            cells << QString::fromStdString(table->rows.text(std::size_t(r), col));
            numeric << (table->rows.kind(std::size_t(r), col) == CellKind::Number);
        }
        c.cells << cells;
        c.numeric << numeric;
    }
    return c;
}

void CsvPreview::display(const CsvPreviewContent &c)
{
    if (m_format && sameFormat(*m_format, c.format))
        return;
    m_format = c.format;
    m_header = c.header;
    m_columns = c.columns;
    m_rows = c.rows;
    m_parseError = c.parseError;
    if (!c.parsed) {
        m_raw->setPlainText(rawText(c.raw));
        m_caption->setText(
            tr("%1 could not be read as CSV. Its first %L2 bytes as text (bytes that are not "
               "printable text as \\xNN):")
                .arg(c.name)
                .arg(c.raw.size()));
        m_stack->setCurrentWidget(m_raw);
        return;
    }
    const int shown = int(c.cells.size());
    m_table->clear();
    m_table->setColumnCount(m_columns);
    m_table->setRowCount(shown);
    QStringList titles = m_header;
    if (titles.isEmpty())
        for (int col = 1; col <= m_columns; ++col)
            titles << QString::number(col);
    m_table->setHorizontalHeaderLabels(titles);
    QStringList lines;
    for (int r = 0; r < shown; ++r) {
        lines << QString::number(c.lines[r]);
        for (int col = 0; col < m_columns; ++col) {
            const QString &cell = c.cells[r][col];
            auto *item = new QTableWidgetItem(cell);
            item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
            if (c.numeric[r][col])
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            if (cell.size() > 30)
                item->setToolTip(cell);
            m_table->setItem(r, col, item);
        }
    }
    m_table->setVerticalHeaderLabels(lines);
    m_table->resizeColumnsToContents();
    // At least 80 px, so a narrow file still reads as a table; a long text cell must not push
    // the rest out of view.
    for (int col = 0; col < m_columns; ++col)
        m_table->setColumnWidth(col, std::clamp(m_table->columnWidth(col), 80, 220));
    m_caption->setText(
        tr("%1: the first %2 of %L3 rows, %4-separated, %5; %6 columns. Line numbers at the left.")
            .arg(c.name)
            .arg(shown)
            .arg(m_rows)
            .arg(c.delimiter)
            .arg(m_header.isEmpty() ? tr("no header row") : tr("header on line %1").arg(c.headerLine))
            .arg(m_columns));
    m_stack->setCurrentWidget(m_table);
}

void CsvPreview::highlight(int targetColumn, const QColor &tint, int errorLine, int errorColumn,
                           const QColor &error)
{
    for (int r = 0; r < m_table->rowCount(); ++r) {
        const QTableWidgetItem *header = m_table->verticalHeaderItem(r);
        const bool errorRow = errorLine > 0 && header && header->text().toInt() == errorLine;
        for (int c = 0; c < m_table->columnCount(); ++c) {
            QTableWidgetItem *item = m_table->item(r, c);
            if (!item)
                continue;
            if (errorRow && (errorColumn == 0 || errorColumn == c + 1))
                item->setBackground(error);
            else
                item->setBackground(c == targetColumn ? QBrush(tint) : QBrush());
        }
    }
}
