// SPDX-License-Identifier: GPL-3.0-or-later
// The CSV tokenizer (core/io/csvparser.h): delimiter and header detection, quotes, line endings,
// BOM, number parsing, the size limits and unreadable files, each error with its exact
// "FILE:LINE:COLUMN: message".
#include "core/data/sequencecsv.h"
#include "core/io/csvparser.h"
#include "tests/csvtesthelpers.h"

#include <QTemporaryDir>
#include <QTest>
#include <cmath>
#include <cstdio>
#include <filesystem>

using namespace attn;
using namespace csvtest;

class TestCsvParser : public QObject {
    Q_OBJECT
private slots:
    void delimiterDetection_data();
    void delimiterDetection();
    void headerDetection_data();
    void headerDetection();
    void quotedCrlfBom();
    void multilineQuotesAndBlankLines();
    void lineEndings();
    void quotingOff();
    void trailingDelimiterColumn();
    void parseNumbers_data();
    void parseNumbers();
    void quoteCellForMessages();
    void limits();
    void unreadableFiles();
};

void TestCsvParser::delimiterDetection_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("delimiter");
    QTest::addColumn<int>("columns");
    QTest::newRow("comma") << QByteArray("1,2,3\n4,5,6\n") << int(CsvDelimiter::Comma) << 3;
    QTest::newRow("semicolon, decimal comma")
        << QByteArray("a;b\n1,5;2\n") << int(CsvDelimiter::Semicolon) << 2;
    QTest::newRow("tab") << QByteArray("1\t2\n3\t4\n") << int(CsvDelimiter::Tab) << 2;
    QTest::newRow("space runs") << QByteArray("  1  2 3\n  4  5  6\n")
                                << int(CsvDelimiter::Whitespace) << 3;
    QTest::newRow("single column") << QByteArray("value\n1\n2\n") << int(CsvDelimiter::Comma) << 1;
    QTest::newRow("header with a space, one column")
        << QByteArray("Monthly total\n1\n2\n") << int(CsvDelimiter::Comma) << 1;
    QTest::newRow("semicolon inside quotes")
        << QByteArray("\"a;b\",c\n1,2\n") << int(CsvDelimiter::Comma) << 2;
    QTest::newRow("no final newline") << QByteArray("1;2") << int(CsvDelimiter::Semicolon) << 2;
}

void TestCsvParser::delimiterDetection()
{
    QFETCH(QByteArray, text);
    QFETCH(int, delimiter);
    QFETCH(int, columns);
    const CsvTable t = parseCsv(text.toStdString(), "mem.csv");
    QCOMPARE(q(toString(t.delimiter)), q(toString(CsvDelimiter(delimiter))));
    QCOMPARE(t.columns(), columns);
    QCOMPARE(t.rows.columns(), columns);
    // An explicit delimiter wins over detection: with tab, a comma file is one column.
    CsvFormat tab;
    tab.delimiter = CsvDelimiter::Tab;
    if (delimiter == int(CsvDelimiter::Comma) && columns > 1 && !text.contains('"'))
        QCOMPARE(parseCsv(text.toStdString(), "mem.csv", tab).columns(), 1);
}

void TestCsvParser::headerDetection_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("mode");
    QTest::addColumn<bool>("header");
    QTest::addColumn<int>("dataRows");
    const int autoMode = int(CsvHeader::Auto);
    QTest::newRow("names") << QByteArray("t1,t2,y\n1,2,3\n") << autoMode << true << 1;
    QTest::newRow("numbers") << QByteArray("1,2,3\n4,5,6\n") << autoMode << false << 2;
    QTest::newRow("date and value: half text is data")
        << QByteArray("1949-01,112\n1949-02,118\n") << autoMode << false << 2;
    QTest::newRow("Date,Passengers") << QByteArray("Date,Passengers\n1949-01,112\n") << autoMode
                                     << true << 1;
    QTest::newRow("pandas index header") << QByteArray(",a,b\n1,2,3\n") << autoMode << true << 1;
    QTest::newRow("typo in the first row stays data")
        << QByteArray("1,abc,3,4\n5,6,7,8\n") << autoMode << false << 2;
    QTest::newRow("NaN in the first row stays data")
        << QByteArray("1,NaN,3\n4,5,6\n") << autoMode << false << 2;
    QTest::newRow("forced yes") << QByteArray("1,2,3\n4,5,6\n") << int(CsvHeader::Yes) << true << 1;
    QTest::newRow("forced no") << QByteArray("t1,t2\n1,2\n") << int(CsvHeader::No) << false << 2;
}

void TestCsvParser::headerDetection()
{
    QFETCH(QByteArray, text);
    QFETCH(int, mode);
    QFETCH(bool, header);
    QFETCH(int, dataRows);
    CsvFormat f;
    f.header = CsvHeader(mode);
    const CsvTable t = parseCsv(text.toStdString(), "mem.csv", f);
    QCOMPARE(!t.header.empty(), header);
    QCOMPARE(t.headerLine, header ? 1 : 0);
    QCOMPARE(int(t.rows.size()), dataRows);
    QCOMPARE(t.lines.front(), header ? 2 : 1);
}

void TestCsvParser::quotedCrlfBom()
{
    // BOM, quoted header with "" and a comma inside quotes, CRLF, no newline after the last row.
    const std::string path = fixture("quoted_crlf_bom.csv");
    const CsvTable t = readCsv(path);
    QCOMPARE(t.header, (std::vector<std::string>{"a", "b \"quoted\"", "c, with comma", "y"}));
    QCOMPARE(cells(t), (std::vector<std::vector<std::string>>{{"1", "2", "3", "10.5"},
                                                            {"4", "5", "6", "11.5"}}));
    QCOMPARE(t.lines, (std::vector<int>{2, 3}));
    const SequenceData d = toSequences(t, CsvOptions{});
    QCOMPARE(q(toString(d.taskType)), QString("regression")); // 10.5, 11.5: not integers
    QCOMPARE_MAT(d.data.x, rows({{1, 2, 3}, {4, 5, 6}}));
    QCOMPARE_MAT(d.data.y, rows({{10.5}, {11.5}}));
    QCOMPARE(q(d.targetName), QString("y"));
}

void TestCsvParser::multilineQuotesAndBlankLines()
{
    // A quoted field spanning two lines, mixed LF / CRLF, blank lines in the middle and at the end.
    const CsvTable t = readCsv(fixture("multiline_quote.csv"));
    QCOMPARE(t.header, (std::vector<std::string>{"note", "x1", "x2", "y"}));
    QCOMPARE(int(t.rows.size()), 3);
    QCOMPARE(q(t.rows[0][0]), QString("two\nlines"));
    QCOMPARE(q(t.rows[1][0]), QString("plain"));
    QCOMPARE(t.lines, (std::vector<int>{2, 4, 7}));
    CsvOptions o;
    o.ignore = {CsvColumn::named("note")};
    const SequenceData d = toSequences(t, o);
    QCOMPARE_MAT(d.data.x, rows({{1, 2}, {3, 4}, {5, 6}}));
    QCOMPARE(d.lines, (std::vector<int>{2, 4, 7}));
}

void TestCsvParser::lineEndings()
{
    const std::vector<std::vector<std::string>> expected{{"1", "2"}, {"3", "4"}, {"5", "6"}};
    for (const char *text :
         {"1,2\n3,4\n5,6\n", "1,2\r\n3,4\r\n5,6\r\n", "1,2\r3,4\r5,6\r", "1,2\n3,4\n5,6",
          "1,2\n3,4\n5,6\n\n\n", "\xEF\xBB\xBF" "1,2\n3,4\n5,6"}) {
        const CsvTable t = parseCsv(text, "mem.csv");
        QCOMPARE(cells(t), expected);
        QCOMPARE(t.lines, (std::vector<int>{1, 2, 3}));
    }
    // Spaces around fields are trimmed; around quoted fields too.
    const CsvTable t = parseCsv(" 1 , \"2\" ,3\t\n", "mem.csv");
    QCOMPARE(t.rows.front().texts(), (std::vector<std::string>{"1", "2", "3"}));
}

void TestCsvParser::quotingOff()
{
    // Free text with a leading, unbalanced quote (as in the imdb sentiment file): with quoting,
    // an error; without, each line splits at its tab.
    const std::string text = "\"The film\" is ok  \t1\nA \"great one  \t1\nbad  \t0\n";
    expectCsvError([&] { parseCsv(text, "imdb.txt"); }, "imdb.txt", 1, 1,
                   "unexpected 'i' after the closing quote (expected a tab or the end of the "
                   "line)");
    CsvFormat raw;
    raw.quoting = false;
    const CsvTable t = parseCsv(text, "imdb.txt", raw);
    QCOMPARE(int(t.delimiter), int(CsvDelimiter::Tab));
    QCOMPARE(cells(t), (std::vector<std::vector<std::string>>{
                         {"\"The film\" is ok", "1"}, {"A \"great one", "1"}, {"bad", "0"}}));
}

void TestCsvParser::trailingDelimiterColumn()
{
    const CsvTable t = readCsv(fixture("trailing_delimiter.csv"));
    QCOMPARE(t.header, (std::vector<std::string>{"t1", "t2", "y"}));
    QCOMPARE(cells(t), (std::vector<std::vector<std::string>>{{"1", "2", "0"}, {"3", "4", "1"}}));
    // A trailing delimiter on only some rows is a real empty cell, not dropped.
    QCOMPARE(parseCsv("1,2,\n3,4,5\n", "mem.csv").columns(), 3);
}

void TestCsvParser::parseNumbers_data()
{
    QTest::addColumn<QString>("cell");
    QTest::addColumn<bool>("decimalComma");
    QTest::addColumn<int>("kind");
    QTest::addColumn<double>("value");
    const int N = int(CellKind::Number), T = int(CellKind::Text), E = int(CellKind::Empty),
              NF = int(CellKind::NonFinite), O = int(CellKind::Overflow);
    QTest::newRow("1.5") << "1.5" << false << N << 1.5;
    QTest::newRow("+2 with spaces") << " +2 " << false << N << 2.0;
    QTest::newRow("exponent") << "-0.25e1" << false << N << -2.5;
    QTest::newRow("UCR label") << "-1.0000000e+00" << false << N << -1.0;
    QTest::newRow(".5") << ".5" << false << N << 0.5;
    QTest::newRow("12.") << "12." << false << N << 12.0;
    QTest::newRow("underflow") << "1e-400" << false << N << 0.0;
    QTest::newRow("abc") << "abc" << false << T << 0.0;
    QTest::newRow("1.5x") << "1.5x" << false << T << 0.0;
    QTest::newRow("hex") << "0x1A" << false << T << 0.0;
    QTest::newRow("+-1") << "+-1" << false << T << 0.0;
    QTest::newRow("date") << "1949-01" << false << T << 0.0;
    QTest::newRow("empty") << "" << false << E << 0.0;
    QTest::newRow("spaces") << "  " << false << E << 0.0;
    QTest::newRow("nan") << "nan" << false << NF << 0.0;
    QTest::newRow("-Inf") << "-Inf" << false << NF << 0.0;
    QTest::newRow("infinity") << "infinity" << false << NF << 0.0;
    QTest::newRow("1e999") << "1e999" << false << O << 0.0;
    QTest::newRow("-1e999") << "-1e999" << false << O << 0.0;
    QTest::newRow("decimal comma") << "1,5" << true << N << 1.5;
    QTest::newRow("comma without decimalComma") << "1,5" << false << T << 0.0;
    QTest::newRow("comma and point") << "1,000.5" << true << T << 0.0;
}

void TestCsvParser::parseNumbers()
{
    QFETCH(QString, cell);
    QFETCH(bool, decimalComma);
    QFETCH(int, kind);
    QFETCH(double, value);
    const CellValue v = parseNumber(cell.toStdString(), decimalComma);
    QCOMPARE(int(v.kind), kind);
    if (v.kind == CellKind::Number)
        QCOMPARE(v.value, value);
}

void TestCsvParser::quoteCellForMessages()
{
    QCOMPARE(q(quoteCell("a\"b\nc\t")), QString("\"a\\\"b\\nc\\t\""));
    QCOMPARE(q(quoteCell(std::string(45, 'x'))), q("\"" + std::string(40, 'x') + "...\""));
    std::string e41;
    for (int i = 0; i < 41; ++i)
        e41 += "\xC3\xA9"; // é: the cut falls between characters, never inside one
    std::string e40;
    for (int i = 0; i < 40; ++i)
        e40 += "\xC3\xA9";
    QCOMPARE(q(quoteCell(e41)), q("\"" + e40 + "...\""));
}

void TestCsvParser::limits()
{
    // One row over kMaxRowBytes.
    std::string huge(kMaxRowBytes + 10, '1');
    expectCsvError([&] { parseCsv(huge, "big.csv"); }, "big.csv", 1, 0,
                   "line too long: the row is over 16777216 bytes (expected at most 16 MiB per "
                   "row)");
    // The same inside a quoted field: the message points at the quote that may be unclosed.
    huge = "1,2\n3,\"" + std::string(kMaxRowBytes + 10, 'x');
    expectCsvError([&] { parseCsv(huge, "big.csv"); }, "big.csv", 2, 0,
                   "line too long: the row is over 16777216 bytes (expected at most 16 MiB per "
                   "row); the quoted field opened on line 2, column 2 may lack its closing quote");
    // kMaxFields fields are fine, one more is not.
    std::string fields;
    fields.reserve(2 * std::size_t(kMaxFields) + 2);
    for (int i = 0; i < kMaxFields - 1; ++i)
        fields += "1,";
    fields += "1\n";
    QCOMPARE(parseCsv(fields, "wide.csv").columns(), kMaxFields);
    fields.back() = ',';
    fields += "1\n";
    expectCsvError([&] { parseCsv(fields, "wide.csv"); }, "wide.csv", 1, kMaxFields + 1,
                   "too many fields: more than 1000000 in one row (expected at most 1000000)");
    // A file over kMaxFileBytes is refused before it is read (a sparse file costs no disk).
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string path = dir.filePath("huge.csv").toStdString();
    std::fclose(std::fopen(path.c_str(), "wb"));
    std::filesystem::resize_file(path, kMaxFileBytes + 1);
    expectCsvError([&] { readCsv(path); }, path, 0, 0,
                   "file too large: 1073741825 bytes (expected at most 1073741824 bytes)");
}

void TestCsvParser::unreadableFiles()
{
    const std::string missing = fixture("no_such_file.csv");
    expectCsvError([&] { readCsv(missing); }, missing, 0, 0,
                   "cannot open the file: No such file or directory (expected a readable CSV "
                   "file)");
    const std::string dir = fixture(".");
    expectCsvError([&] { readCsv(dir); }, dir, 0, 0, "is a directory (expected a CSV file)");
    // A device is refused unread: /dev/zero would otherwise be read up to the 1 GiB limit.
    expectCsvError([&] { readCsv("/dev/zero"); }, "/dev/zero", 0, 0,
                   "is not a regular file (a device, a pipe or a socket) (expected a CSV file)");
}

QTEST_APPLESS_MAIN(TestCsvParser)
#include "tst_csvparser.moc"
