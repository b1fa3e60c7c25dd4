// SPDX-License-Identifier: GPL-3.0-or-later
// The bad CSV files of the CSV error promise (one QTest data row each: file, line, column and
// the exact message), shared by the command-line test (app/cli/tst_csverrors) and the window
// test (app/gui/tst_csverrorsdialog). Needs ATTN_CSV_FIXTURES, the folder of tests/data/csv.
#pragma once

#include <QByteArray>
#include <QFile>
#include <QString>
#include <QTemporaryDir>
#include <QTest>

namespace attn::test {

inline QString csvFixture(const char *name) { return QStringLiteral(ATTN_CSV_FIXTURES "/") + name; }

/// The bad file generated at run time (never committed) in a temporary folder.
class GeneratedCsvFiles {
public:
    /// Writes huge_line.csv; false on any I/O failure.
    bool write()
    {
        if (!m_dir.isValid())
            return false;
        // A second row of 17 MiB, over the 16 MiB limit for one row.
        QFile huge(path("huge_line.csv"));
        if (!huge.open(QIODevice::WriteOnly))
            return false;
        huge.write("1,2\n3,");
        const QByteArray chunk(1 << 20, '4');
        for (int i = 0; i < 17; ++i)
            if (huge.write(chunk) != qint64(chunk.size()))
                return false;
        huge.write("\n");
        huge.close();
        return true;
    }
    QString path(const char *name) const { return m_dir.filePath(QString::fromUtf8(name)); }

private:
    QTemporaryDir m_dir;
};

/// Adds the columns file, line, column, message and one row per bad file.
inline void addCsvErrorCases(const GeneratedCsvFiles &files)
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");
    QTest::addColumn<QString>("message");
    auto row = [](const char *name, const QString &file, int line, int column, const char *message) {
        QTest::newRow(name) << file << line << column << QString::fromUtf8(message);
    };
    row("ragged row", csvFixture("ragged.csv"), 3, 0, "ragged row: 3 fields, expected 4 like line 1");
    row("non-numeric cell", csvFixture("nonnumeric.csv"), 3, 2,
        "non-numeric cell \"abc\" (expected a number)");
    row("NaN", csvFixture("nan.csv"), 1, 2, "non-finite cell \"NaN\" (expected a finite number)");
    row("Inf", csvFixture("inf.csv"), 2, 3, "non-finite cell \"-inf\" (expected a finite number)");
    row("empty file", csvFixture("empty.csv"), 1, 0, "empty file (expected a header or rows of values)");
    row("header only", csvFixture("header_only.csv"), 1, 0,
        "header only: no data rows after the header (expected at least one row of values)");
    row("single class", csvFixture("single_class.csv"), 2, 3,
        "single class: every target is 1 (expected at least 2 classes)");
    row("binary file (NUL)", csvFixture("binary.bin"), 2, 2,
        "binary file: NUL byte at byte offset 9 (expected CSV text)");
    row("broken UTF-8", csvFixture("bad_utf8.csv"), 3, 2,
        "invalid UTF-8: byte 0xE9 at byte offset 19 (expected UTF-8 text; re-save the file as "
        "UTF-8)");
    row("UTF-16 with BOM", csvFixture("utf16.csv"), 1, 1,
        "UTF-16 text (byte order mark 0xFF 0xFE) (expected UTF-8 text; re-save the file as UTF-8)");
    row("huge line", files.path("huge_line.csv"), 2, 0,
        "line too long: the row is over 16777216 bytes (expected at most 16 MiB per row)");
    row("unclosed quote", csvFixture("unterminated.csv"), 3, 2,
        "unterminated quoted field: no closing quote before the end of the file (expected \" to "
        "end the field that opens here)");
}

} // namespace attn::test
