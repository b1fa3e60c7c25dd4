// SPDX-License-Identifier: GPL-3.0-or-later
// CsvPreview: the "Preview" box of the CSV import dialog. A file's first rows as read with the
// chosen format (the file's line numbers at the left), or its first bytes as text when it cannot be
// read as CSV; the target column tinted and the cell (or row) an error names in red. The content
// is made off the GUI thread from the parsed table (read()) and shown on it (display()).
#pragma once

#include "core/io/csvparser.h"

#include <QByteArray>
#include <QColor>
#include <QGroupBox>
#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

/// What the preview shows of a file: its first rows as parsed, or its first bytes.
struct CsvPreviewContent {
    attn::CsvFormat format;      // the format the file was read with
    QString name;                // the file name
    bool parsed = false;
    QString parseError;          // readCsv's message when not parsed
    QStringList header;          // column names (empty: no header)
    int columns = 0;
    int rows = 0;                // data rows in the file
    QString delimiter;           // as resolved: "comma", ...
    int headerLine = 0;
    QList<int> lines;            // the file line of each shown row
    QList<QStringList> cells;    // the shown rows' cells
    QList<QList<bool>> numeric;  // which of them are numbers (right-aligned)
    QByteArray raw;              // the first kRawBytes bytes when not parsed
};

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

    /// The content for path read with format: the first kRows rows of table, or (table null, the
    /// file did not parse: parseError) the file's first kRawBytes bytes. Safe on any thread.
    static CsvPreviewContent read(const QString &path, const attn::CsvFormat &format,
                                  const attn::CsvTable *table, const QString &parseError);
    /// Shows content: the rows, or the raw bytes as text (bytes that are not printable as \xNN).
    /// Does nothing if its format is the one shown last (the path is the dialog's and never
    /// changes).
    void display(const CsvPreviewContent &content);
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
