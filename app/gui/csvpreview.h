// SPDX-License-Identifier: GPL-3.0-or-later
// CsvPreview: the "Preview" box of the CSV import dialog. A file's first rows as read with the
// chosen format (the file's line numbers at the left), or its first bytes as text when it cannot be
// read as CSV; the target column tinted and the cell (or row) an error names in red.
#pragma once

#include "core/io/csvparser.h"

#include <QColor>
#include <QGroupBox>
#include <QString>
#include <QStringList>
#include <optional>

class QLabel;
class QPlainTextEdit;
class QStackedWidget;
class QTableWidget;

class CsvPreview : public QGroupBox {
    Q_OBJECT
public:
    /// Rows of the file shown in the table ("previewTable").
    static constexpr int kRows = 20;
    /// Bytes of the file shown as raw text ("rawPreview") when it cannot be parsed at all.
    static constexpr qint64 kRawBytes = 64 * 1024;

    explicit CsvPreview(QWidget *parent = nullptr);

    /// Reads path with format and shows its first kRows rows, or its first kRawBytes bytes as text
    /// (bytes that are not printable as \xNN) if it does not parse. Does nothing if format is the
    /// one shown last (the path is the dialog's and never changes).
    void load(const QString &path, const attn::CsvFormat &format);
    /// The parsed table's column names (empty: no header), columns and data rows (0 if it did
    /// not parse), and readCsv's message when it did not.
    QStringList header() const { return m_header; }
    int columns() const { return m_columns; }
    int rows() const { return m_rows; }
    QString parseError() const { return m_parseError; }

    /// Backgrounds of the shown cells: column targetColumn (0-based, -1: none) in tint; in the row
    /// of file line errorLine (0: none) the cell in errorColumn (1-based; 0: every cell) in error.
    void highlight(int targetColumn, const QColor &tint, int errorLine, int errorColumn,
                   const QColor &error);

private:
    // The format the file was last read with.
    std::optional<attn::CsvFormat> m_format;
    QStringList m_header;
    int m_columns = 0;
    int m_rows = 0;
    QString m_parseError;

    QLabel *m_caption = nullptr;
    QStackedWidget *m_stack = nullptr;
    QTableWidget *m_table = nullptr;
    QPlainTextEdit *m_raw = nullptr;
};
