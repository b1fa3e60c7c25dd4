// SPDX-License-Identifier: GPL-3.0-or-later
// CSV import: the tokenizer (delimiters, header, quotes, line endings, BOM, limits), every layout
// on hand-written fixtures with exact values, every error with its exact "FILE:LINE:COLUMN:
// message", the real UCR and time-series files in resources/data, and standardisation fitted on
// the training split only.
#include "core/io/csvparser.h"
#include "core/data/sequencecsv.h"

#include <QTemporaryDir>
#include <QTest>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <functional>

using namespace attn;

namespace {

std::string fixture(const std::string &name) { return std::string(ATTN_CSV_FIXTURES) + "/" + name; }
std::string resource(const std::string &rel) { return std::string(ATTN_RESOURCE_DATA) + "/" + rel; }

// The cells of a table as text, row by row.
std::vector<std::vector<std::string>> cells(const CsvTable &t)
{
    std::vector<std::vector<std::string>> out;
    for (std::size_t r = 0; r < t.rows.size(); ++r)
        out.push_back(t.rows[r].texts());
    return out;
}

QString q(const std::string &s) { return QString::fromStdString(s); }

Mat rows(std::initializer_list<std::initializer_list<double>> values)
{
    Mat m(Eigen::Index(values.size()), Eigen::Index(values.begin()->size()));
    Eigen::Index r = 0;
    for (const auto &row : values) {
        Eigen::Index c = 0;
        for (double v : row)
            m(r, c++) = v;
        ++r;
    }
    return m;
}

/// m as text, every value in its shortest exact form: equal text <=> bitwise equal matrices, and
/// a failure shows both matrices.
std::string matText(const Mat &m)
{
    std::string out = std::to_string(m.rows()) + "x" + std::to_string(m.cols()) + ":";
    char buf[64];
    for (Eigen::Index r = 0; r < m.rows(); ++r) {
        if (r > 0)
            out += " |";
        for (Eigen::Index c = 0; c < m.cols(); ++c) {
            out += ' ';
            out.append(buf, std::to_chars(buf, buf + sizeof buf, double(m(r, c))).ptr);
        }
    }
    return out;
}
#define QCOMPARE_MAT(a, b) QCOMPARE(q(matText(a)), q(matText(b)))

/// Runs f; it must throw a CsvError with exactly this file, line, column and message.
void expectCsvError(const std::function<void()> &f, const std::string &file, int line, int column,
                    const std::string &message)
{
    try {
        f();
    } catch (const CsvError &e) {
        const std::string expected =
            file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + message;
        QCOMPARE(q(e.what()), q(expected));
        QCOMPARE(q(e.file), q(file));
        QCOMPARE(e.line, line);
        QCOMPARE(e.column, column);
        QCOMPARE(q(e.message), q(message));
        return;
    }
    QFAIL(("no CsvError; expected " + message).c_str());
}

/// Options named in the error table.
CsvOptions optionsFor(const QString &key)
{
    CsvOptions o;
    if (key == "batch32")
        o.minSequences = 32;
    else if (key == "binary")
        o.taskType = TaskType::Binary;
    else if (key == "regression")
        o.taskType = TaskType::Regression;
    else if (key == "mv-binary") {
        o.layout = CsvLayout::WideMultivariate;
        o.features = 2;
        o.taskType = TaskType::Binary;
    } else if (key == "mv-F4") {
        o.layout = CsvLayout::WideMultivariate;
        o.features = 4;
    } else if (key.startsWith("target=")) {
        o.target = CsvColumn::parse(key.mid(7).toStdString());
    } else if (key == "long") {
        o.layout = CsvLayout::Long;
        o.sequenceId = CsvColumn::named("id");
    } else if (key.startsWith("window")) {
        o.layout = CsvLayout::Series;
        o.window = key.mid(6).toInt();
    } else if (key == "first") {
        o.target = CsvColumn::first();
    }
    return o;
}

} // namespace

class TestCsvReader : public QObject {
    Q_OBJECT
private slots:
    // tokenizer
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
    // layouts
    void wide_data();
    void wide();
    void semicolonDecimalComma();
    void multivariateWithGroundTruth();
    void longForm();
    void longUnequalLengthsPadded();
    void series();
    void textLabels();
    void taskTypes();
    void splitAndUcrNames();
    // errors
    void errors_data();
    void errors();
    void splitErrors();
    // the real files
    void gunPoint_data();
    void gunPoint();
    void ecg200_data();
    void ecg200();
    void ucrTxtAndCsvAgree();
    void airline();
    void temperatures();
    // standardisation
    void standardizerByHand();
    void standardizerConstantAndErrors();
    void scalingFitsTrainOnly();
};

// ---------------------------------------------------------------------------------------------
// Tokenizer

void TestCsvReader::delimiterDetection_data()
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

void TestCsvReader::delimiterDetection()
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

void TestCsvReader::headerDetection_data()
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

void TestCsvReader::headerDetection()
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

void TestCsvReader::quotedCrlfBom()
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

void TestCsvReader::multilineQuotesAndBlankLines()
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

void TestCsvReader::lineEndings()
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

void TestCsvReader::quotingOff()
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

void TestCsvReader::trailingDelimiterColumn()
{
    const CsvTable t = readCsv(fixture("trailing_delimiter.csv"));
    QCOMPARE(t.header, (std::vector<std::string>{"t1", "t2", "y"}));
    QCOMPARE(cells(t), (std::vector<std::vector<std::string>>{{"1", "2", "0"}, {"3", "4", "1"}}));
    // A trailing delimiter on only some rows is a real empty cell, not dropped.
    QCOMPARE(parseCsv("1,2,\n3,4,5\n", "mem.csv").columns(), 3);
}

void TestCsvReader::parseNumbers_data()
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

void TestCsvReader::parseNumbers()
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

void TestCsvReader::quoteCellForMessages()
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

void TestCsvReader::limits()
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

void TestCsvReader::unreadableFiles()
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

// ---------------------------------------------------------------------------------------------
// Layouts

void TestCsvReader::wide_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("delimiter");
    QTest::addColumn<bool>("header");
    QTest::newRow("comma, header") << "wide_header.csv" << int(CsvDelimiter::Comma) << true;
    QTest::newRow("tab, header") << "wide_tab.tsv" << int(CsvDelimiter::Tab) << true;
    QTest::newRow("space runs, no header, blank tail")
        << "wide_spaces.txt" << int(CsvDelimiter::Whitespace) << false;
}

void TestCsvReader::wide()
{
    QFETCH(QString, file);
    QFETCH(int, delimiter);
    QFETCH(bool, header);
    const CsvTable t = readCsv(fixture(file.toStdString()));
    QCOMPARE(int(t.delimiter), delimiter);
    QCOMPARE(!t.header.empty(), header);
    const SequenceData d = toSequences(t, CsvOptions{});
    QCOMPARE(d.samples, 4);
    QCOMPARE(d.steps, 3);
    QCOMPARE(d.features, 1);
    QCOMPARE(d.data.steps, 3);
    QCOMPARE(d.data.features, 1);
    QCOMPARE_MAT(d.data.x, rows({{0.5, 1, -2}, {1.5, 0.2, 3}, {-1, 0, 0.25}, {2, 4, 8}}));
    QCOMPARE(q(toString(d.taskType)), QString("binary")); // integers 1 and 2
    QCOMPARE(d.classNames, (std::vector<std::string>{"1", "2"}));
    QCOMPARE(d.classCounts, (std::vector<int>{2, 2}));
    QCOMPARE(d.labels, (std::vector<int>{0, 1, 0, 1}));
    QCOMPARE_MAT(d.data.y, rows({{0}, {1}, {0}, {1}}));
    QCOMPARE(d.data.groundTruth.size(), Eigen::Index(0));
    QCOMPARE(d.targetColumn, 4);
    QCOMPARE(q(d.targetName), header ? QString("label") : QString("column 4"));
    QCOMPARE(d.lines, (header ? std::vector<int>{2, 3, 4, 5} : std::vector<int>{1, 2, 3, 4}));
    QCOMPARE(q(describe(d)), QString("N = 4, T = 3, F = 1; binary: 1 (2), 2 (2)"));
}

void TestCsvReader::semicolonDecimalComma()
{
    // Label first (UCR style), semicolons, decimal commas, labels -1 / 1, no header.
    CsvOptions o;
    o.target = CsvColumn::first();
    const SequenceData d = loadSequences(fixture("wide_first_semicolon.csv"), o);
    QCOMPARE_MAT(d.data.x, rows({{0.5, 1.25}, {2, 3}, {4.5, -6}}));
    QCOMPARE(q(toString(d.taskType)), QString("binary"));
    QCOMPARE(d.classNames, (std::vector<std::string>{"-1", "1"}));
    QCOMPARE_MAT(d.data.y, rows({{0}, {1}, {0}}));
    QCOMPARE(d.targetColumn, 1);
}

void TestCsvReader::multivariateWithGroundTruth()
{
    CsvOptions o;
    o.layout = CsvLayout::WideMultivariate;
    o.features = 2;
    const SequenceData d = loadSequences(fixture("multivariate.csv"), o);
    QCOMPARE(d.samples, 4);
    QCOMPARE(d.steps, 3);
    QCOMPARE(d.features, 2);
    // x column t*F + f: the file's time-major order.
    QCOMPARE_MAT(d.data.x, rows({{1, 10, 2, 20, 3, 30},
                             {4, 40, 5, 50, 6, 60},
                             {7, 70, 8, 80, 9, 90},
                             {0, 0, 0, 0, 0, 0}}));
    QCOMPARE_MAT(d.data.groundTruth, rows({{0, 1, 0}, {1, 0, 0}, {0, 0, 1}, {0, 0, 1}}));
    QCOMPARE(d.featureNames, (std::vector<std::string>{"t1_a", "t1_b"}));
    QCOMPARE(q(toString(d.taskType)), QString("multiclass")); // integers 0, 2, 1, 2
    QCOMPARE(d.classNames, (std::vector<std::string>{"0", "1", "2"}));
    QCOMPARE(d.classCounts, (std::vector<int>{1, 1, 2}));
    QCOMPARE(d.labels, (std::vector<int>{0, 2, 1, 2}));
    QCOMPARE_MAT(d.data.y, rows({{1, 0, 0}, {0, 0, 1}, {0, 1, 0}, {0, 0, 1}})); // one-hot
}

void TestCsvReader::longForm()
{
    CsvOptions o;
    o.layout = CsvLayout::Long;
    o.sequenceId = CsvColumn::named("id");
    o.ignore = {CsvColumn::named("step")};
    const SequenceData d = loadSequences(fixture("long.csv"), o);
    QCOMPARE(d.sequenceIds, (std::vector<std::string>{"a", "b", "c"}));
    QCOMPARE(d.samples, 3);
    QCOMPARE(d.steps, 3);
    QCOMPARE(d.features, 2);
    QCOMPARE(d.featureNames, (std::vector<std::string>{"x1", "x2"}));
    // Rows of a and b are interleaved in the file; each keeps its own file order.
    QCOMPARE_MAT(d.data.x, rows({{0.1, 1, 0.2, 2, 0.3, 3},
                             {1.1, 4, 1.2, 5, 1.3, 6},
                             {2.1, 7, 2.2, 8, 2.3, 9}}));
    QCOMPARE_MAT(d.data.groundTruth, rows({{0, 1, 0}, {1, 0, 0}, {0, 0, 1}}));
    QCOMPARE(q(toString(d.taskType)), QString("regression")); // 5.5, 7, -1
    QCOMPARE_MAT(d.data.y, rows({{5.5}, {7}, {-1}}));
    QCOMPARE(d.lines, (std::vector<int>{5, 4, 8})); // the row holding each target
}

void TestCsvReader::longUnequalLengthsPadded()
{
    // a has 3 rows, b 2: b is padded after its last row, and the padding mask says which steps
    // are real (as Keras' pad_sequences + Masking).
    CsvOptions o;
    o.layout = CsvLayout::Long;
    o.sequenceId = CsvColumn::named("id");
    const SequenceData d = loadSequences(fixture("long_ragged.csv"), o);
    QCOMPARE(d.samples, 2);
    QCOMPARE(d.steps, 3);
    QCOMPARE_MAT(d.data.x, rows({{1, 2, 3}, {4, 5, 0}}));
    QCOMPARE_MAT(d.data.mask, rows({{1, 1, 1}, {1, 1, 0}}));
    QCOMPARE_MAT(d.data.y, rows({{0}, {1}}));
    // Equal lengths: no mask at all.
    o.ignore = {CsvColumn::named("step")};
    QCOMPARE(loadSequences(fixture("long.csv"), o).data.mask.size(), Eigen::Index(0));
}

void TestCsvReader::series()
{
    CsvOptions o;
    o.layout = CsvLayout::Series;
    o.window = 2;
    const std::string path = fixture("series.csv");
    const SequenceData d = loadSequences(path, o);
    QCOMPARE(d.samples, 4);
    QCOMPARE(d.steps, 2);
    QCOMPARE(d.features, 1);
    QCOMPARE_MAT(d.data.x, rows({{1, 2}, {2, 4}, {4, 8}, {8, 16}}));
    QCOMPARE_MAT(d.data.y, rows({{4}, {8}, {16}, {32}}));
    QCOMPARE(d.dates,
             (std::vector<std::string>{"2020-01-03", "2020-01-05", "2020-01-06", "2020-01-07"}));
    QCOMPARE(d.lines, (std::vector<int>{4, 5, 6, 7}));
    QCOMPARE(d.featureNames, (std::vector<std::string>{"Sales"}));
    QCOMPARE(q(toString(d.taskType)), QString("regression"));
    QCOMPARE(d.warnings, (std::vector<std::string>{
                             path + ":5:1: date gap: 2020-01-03 is followed by 2020-01-05, 1 step "
                                    "of 1 day missing (the windows treat the rows as "
                                    "consecutive)"}));

    // One unnamed column, no header, no final newline: no dates.
    o.window = 3;
    const SequenceData v = loadSequences(fixture("series_values.csv"), o);
    QCOMPARE_MAT(v.data.x, rows({{1, 2, 3}, {2, 3, 4}}));
    QCOMPARE_MAT(v.data.y, rows({{4}, {5}}));
    QVERIFY(v.dates.empty());
    QVERIFY(v.warnings.empty());
}

void TestCsvReader::textLabels()
{
    const SequenceData d = loadSequences(fixture("text_labels.csv"), CsvOptions{});
    QCOMPARE(q(toString(d.taskType)), QString("multiclass"));
    QVERIFY(d.textClasses);
    QCOMPARE(d.classNames, (std::vector<std::string>{"bird", "cat", "dog"}));
    QCOMPARE(d.classCounts, (std::vector<int>{1, 2, 1}));
    QCOMPARE(d.labels, (std::vector<int>{2, 1, 0, 1}));
    QCOMPARE(q(describe(d)),
             QString("N = 4, T = 2, F = 1; multiclass: \"bird\" (1), \"cat\" (2), \"dog\" (1)"));
}

void TestCsvReader::taskTypes()
{
    const std::string path = fixture("wide_header.csv");
    CsvOptions o;
    o.taskType = TaskType::Regression;
    QCOMPARE_MAT(loadSequences(path, o).data.y, rows({{1}, {2}, {1}, {2}}));
    o.taskType = TaskType::MultiClass;
    const SequenceData m = loadSequences(path, o);
    QCOMPARE(q(toString(m.taskType)), QString("multiclass"));
    QCOMPARE_MAT(m.data.y, rows({{1, 0}, {0, 1}, {1, 0}, {0, 1}}));
    // Auto: up to kMaxAutoClasses distinct integers are classes, one more is regression; a
    // non-integer target is regression.
    auto table = [](int distinct, const char *extra) {
        std::string text = "x,y\n";
        for (int i = 0; i < distinct; ++i)
            text += std::to_string(i) + "," + std::to_string(i) + extra + "\n";
        return parseCsv(text, "mem.csv");
    };
    QCOMPARE(q(toString(toSequences(table(kMaxAutoClasses, ""), {}).taskType)),
             QString("multiclass"));
    QCOMPARE(q(toString(toSequences(table(kMaxAutoClasses + 1, ""), {}).taskType)),
             QString("regression"));
    QCOMPARE(q(toString(toSequences(table(2, ".5"), {}).taskType)), QString("regression"));
    QCOMPARE(q(toString(toSequences(table(2, ""), {}).taskType)), QString("binary"));
    CsvOptions multi;
    multi.taskType = TaskType::MultiClass;
    const CsvTable many = table(kMaxClasses + 1, "");
    expectCsvError([&] { toSequences(many, multi); }, "mem.csv", kMaxClasses + 2, 2,
                   "too many classes: more than 1000 distinct targets (expected at most 1000)");
    // Names for the command line.
    QCOMPARE(int(*taskTypeFromString("binary")), int(TaskType::Binary));
    QVERIFY(!taskTypeFromString("bogus"));
    QCOMPARE(int(*csvLayoutFromString("series")), int(CsvLayout::Series));
    QCOMPARE(int(CsvColumn::parse("FIRST").kind), int(CsvColumn::Kind::First));
    QCOMPARE(int(CsvColumn::parse("last").kind), int(CsvColumn::Kind::Last));
    QCOMPARE(CsvColumn::parse("3").index, 3);
    QCOMPARE(q(CsvColumn::parse("Temp").name), QString("Temp"));
    QCOMPARE(int(CsvColumn::parse("0").kind), int(CsvColumn::Kind::Name));
}

void TestCsvReader::splitAndUcrNames()
{
    QCOMPARE(q(ucrTestPath("d/GunPoint_TRAIN.txt")), QString("d/GunPoint_TEST.txt"));
    QCOMPARE(q(ucrTestPath("ECG200_TRAIN.csv")), QString("ECG200_TEST.csv"));
    QCOMPARE(q(ucrTestPath("a_TRAIN/x.csv")), QString()); // only the file name counts
    QCOMPARE(q(ucrTestPath("x.csv")), QString());
    const std::string notUcr = fixture("wide_header.csv");
    expectCsvError([&] { loadUcr(notUcr); }, notUcr, 0, 0,
                   "not a UCR training file name (expected NAME_TRAIN.txt or NAME_TRAIN.csv "
                   "beside NAME_TEST)");
    // The test file is read against the training file's classes.
    const SplitData s = loadUcr(fixture("split_TRAIN.csv"));
    QCOMPARE(s.train.classNames, (std::vector<std::string>{"1", "2"}));
    QCOMPARE_MAT(s.train.data.y, rows({{0}, {1}, {0}}));
    QCOMPARE(s.test.classNames, s.train.classNames);
    QCOMPARE(q(toString(s.test.taskType)), QString("binary"));
    QCOMPARE_MAT(s.test.data.x, rows({{1, 2, 3}, {4, 5, 6}}));
    QCOMPARE_MAT(s.test.data.y, rows({{1}, {0}}));
}

// ---------------------------------------------------------------------------------------------
// Errors: each message exactly, with file, line and column

void TestCsvReader::errors_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("options");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");
    QTest::addColumn<QString>("message");
    auto row = [](const char *name, const char *file, const char *options, int line, int column,
                  const char *message) {
        QTest::newRow(name) << file << options << line << column << message;
    };
    row("ragged row", "ragged.csv", "", 3, 0, "ragged row: 3 fields, expected 4 like line 1");
    row("non-numeric cell", "nonnumeric.csv", "", 3, 2,
        "non-numeric cell \"abc\" (expected a number)");
    row("NaN", "nan.csv", "", 1, 2, "non-finite cell \"NaN\" (expected a finite number)");
    row("Inf", "inf.csv", "", 2, 3, "non-finite cell \"-inf\" (expected a finite number)");
    row("out of range", "overflow.csv", "", 1, 2,
        "number \"1e999\" is out of range (expected a finite number)");
    row("empty cell", "empty_cell.csv", "", 1, 2, "empty cell (expected a number)");
    row("empty file", "empty.csv", "", 1, 0, "empty file (expected a header or rows of values)");
    row("blank lines only", "blank_lines.csv", "", 1, 0,
        "empty file (expected a header or rows of values)");
    row("header only", "header_only.csv", "", 1, 0,
        "header only: no data rows after the header (expected at least one row of values)");
    row("too few rows for a batch", "too_few.csv", "batch32", 4, 0,
        "too few rows: 3 sequences (expected at least 32)");
    row("single class", "single_class.csv", "", 2, 3,
        "single class: every target is 1 (expected at least 2 classes)");
    row("single class, binary chosen", "single_class.csv", "binary", 2, 3,
        "single class: every target is 1 (expected at least 2 classes)");
    row("binary file (NUL)", "binary.bin", "", 2, 2,
        "binary file: NUL byte at byte offset 9 (expected CSV text)");
    row("invalid UTF-8", "bad_utf8.csv", "", 3, 2,
        "invalid UTF-8: byte 0xE9 at byte offset 19 (expected UTF-8 text; re-save the file as "
        "UTF-8)");
    row("UTF-16", "utf16.csv", "", 1, 1,
        "UTF-16 text (byte order mark 0xFF 0xFE) (expected UTF-8 text; re-save the file as "
        "UTF-8)");
    row("unterminated quote", "unterminated.csv", "", 3, 2,
        "unterminated quoted field: no closing quote before the end of the file (expected \" to "
        "end the field that opens here)");
    row("text after a closing quote", "after_quote.csv", "", 2, 2,
        "unexpected 'x' after the closing quote (expected ',' or the end of the line)");
    row("no such target name", "wide_header.csv", "target=Temp", 1, 0,
        "no target column named \"Temp\" (the header has: t1, t2, t3, label)");
    row("target name without a header", "wide_first_semicolon.csv", "target=y", 1, 0,
        "no header row, so no target column named \"y\" (expected first, last or a column "
        "number)");
    row("target number out of range", "wide_header.csv", "target=9", 1, 0,
        "no target column 9 (expected a column number from 1 to 4)");
    row("binary target with 3 classes", "multivariate.csv", "mv-binary", 4, 10,
        "binary target with more than 2 classes: 0, 2, 1 (expected exactly 2)");
    row("values not a multiple of F", "multivariate.csv", "mv-F4", 1, 0,
        "6 value columns do not split into steps of 4 features (expected a multiple of 4)");
    row("ground truth not one per step", "multivariate.csv", "", 1, 0,
        "ground-truth columns gt_1, gt_2, gt_3 do not match the 6 steps (expected gt_1..gt_6)");
    row("long: two targets", "long_target_differs.csv", "long", 5, 3,
        "target \"8\" differs from \"7\" on line 4 of sequence \"b\" (expected one target per "
        "sequence)");
    row("series: too few rows for the window", "series.csv", "window6", 7, 0,
        "too few rows: 6 rows make 0 windows of 6 steps (expected at least 7 rows)");
    row("words as a regression target", "text_labels.csv", "regression", 2, 3,
        "non-numeric cell \"dog\" (expected a number)");
    row("long: no target", "long_no_target.csv", "long", 2, 3,
        "no target for sequence \"a\" (expected a value in this column on at least one of its "
        "rows)");
    row("empty class label", "text_empty_label.csv", "", 3, 2,
        "empty cell (expected a class label)");
    // A bad value in a series is an error, not a skipped row: a skip would silently shift every
    // later window by one step.
    row("series: bad value", "series_bad_value.csv", "window1", 3, 2,
        "non-numeric cell \"?0.2\" (expected a number)");
}

void TestCsvReader::errors()
{
    QFETCH(QString, file);
    QFETCH(QString, options);
    QFETCH(int, line);
    QFETCH(int, column);
    QFETCH(QString, message);
    const std::string path = fixture(file.toStdString());
    const CsvOptions o = optionsFor(options);
    expectCsvError([&] { loadSequences(path, o); }, path, line, column, message.toStdString());
}

void TestCsvReader::splitErrors()
{
    const std::string badClass = fixture("badclass_TEST.csv");
    expectCsvError([&] { loadUcr(fixture("badclass_TRAIN.csv")); }, badClass, 2, 1,
                   "class 3 is not one of the training file's classes (1, 2)");
    const std::string badShape = fixture("badshape_TEST.csv");
    expectCsvError([&] { loadUcr(fixture("badshape_TRAIN.csv")); }, badShape, 1, 0,
                   "T = 2 steps of F = 1 features (expected T = 3, F = 1 like the training file " +
                       fixture("badshape_TRAIN.csv") + ")");
    const std::string missingTest = fixture("nothing_TEST.csv");
    expectCsvError([&] { loadSplit(fixture("split_TRAIN.csv"), missingTest, ucrOptions()); },
                   missingTest, 0, 0,
                   "cannot open the file: No such file or directory (expected a readable CSV "
                   "file)");
    // Options that make no sense are a programming error, not a file error.
    CsvOptions o;
    o.layout = CsvLayout::Series;
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             loadSequences(fixture("series.csv"), o)); // window 0
    o.layout = CsvLayout::Long;
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, loadSequences(fixture("long.csv"), o));
}

// ---------------------------------------------------------------------------------------------
// The real files, as published (resources/data/*/README.md lists their quirks)

void TestCsvReader::gunPoint_data()
{
    QTest::addColumn<QString>("ext");
    QTest::newRow("txt (space runs)") << "txt";
    QTest::newRow("csv") << "csv";
}

void TestCsvReader::gunPoint()
{
    QFETCH(QString, ext);
    const SplitData s =
        loadUcr(resource("ucr_gunpoint/GunPoint_TRAIN." + ext.toStdString()), 32);
    QCOMPARE(s.train.samples, 50);
    QCOMPARE(s.test.samples, 150);
    for (const SequenceData *d : {&s.train, &s.test}) {
        QCOMPARE(d->steps, 150);
        QCOMPARE(d->features, 1);
        QCOMPARE(d->data.x.cols(), Eigen::Index(150));
        QCOMPARE(q(toString(d->taskType)), QString("binary"));
        QCOMPARE(d->classNames, (std::vector<std::string>{"1", "2"}));
    }
    QCOMPARE(s.train.classCounts, (std::vector<int>{24, 26}));
    QCOMPARE(s.test.classCounts, (std::vector<int>{76, 74}));
    // First line: label 2.0000000e+00, then -6.4788540e-01, -6.4199155e-01, ...
    QCOMPARE(s.train.labels.front(), 1);
    QCOMPARE(s.train.data.y(0, 0), 1.0);
    QCOMPARE(s.train.data.x(0, 0), -6.4788540e-01);
    QCOMPARE(s.train.data.x(0, 1), -6.4199155e-01);
    QCOMPARE(q(describe(s.train)), QString("N = 50, T = 150, F = 1; binary: 1 (24), 2 (26)"));
}

void TestCsvReader::ecg200_data()
{
    QTest::addColumn<QString>("ext");
    QTest::newRow("txt (space runs)") << "txt";
    QTest::newRow("csv") << "csv";
}

void TestCsvReader::ecg200()
{
    QFETCH(QString, ext);
    const SplitData s = loadUcr(resource("ucr_ecg200/ECG200_TRAIN." + ext.toStdString()), 32);
    QCOMPARE(s.train.samples, 100);
    QCOMPARE(s.test.samples, 100);
    QCOMPARE(s.train.steps, 96);
    QCOMPARE(s.test.steps, 96);
    // Labels -1 / 1 (not 0 / 1): binary, -1 -> 0, 1 -> 1.
    QCOMPARE(q(toString(s.train.taskType)), QString("binary"));
    QCOMPARE(s.train.classNames, (std::vector<std::string>{"-1", "1"}));
    QCOMPARE(s.train.classCounts, (std::vector<int>{31, 69}));
    QCOMPARE(s.test.classCounts, (std::vector<int>{36, 64}));
    QCOMPARE(s.train.labels.front(), 0);
    QCOMPARE(s.train.data.y(0, 0), 0.0);
    QCOMPARE(s.train.data.x(0, 0), 5.0205548e-01);
}

void TestCsvReader::ucrTxtAndCsvAgree()
{
    // The .csv files hold the same tokens as the .txt files: the same numbers, bit for bit.
    for (const char *name : {"ucr_gunpoint/GunPoint_TEST", "ucr_ecg200/ECG200_TEST"}) {
        const CsvOptions o = ucrOptions();
        const SequenceData a = loadSequences(resource(std::string(name) + ".txt"), o);
        const SequenceData b = loadSequences(resource(std::string(name) + ".csv"), o);
        QVERIFY(a.data.x == b.data.x);
        QVERIFY(a.data.y == b.data.y);
    }
}

void TestCsvReader::airline()
{
    CsvOptions o;
    o.layout = CsvLayout::Series;
    o.window = 12;
    o.minSequences = 32;
    const SequenceData d = loadSequences(resource("ts_airline_passengers/Airline.csv"), o);
    QCOMPARE(d.samples, 144 - 12);
    QCOMPARE(d.steps, 12);
    QCOMPARE(d.features, 1);
    QCOMPARE(q(toString(d.taskType)), QString("regression"));
    QCOMPARE(q(d.targetName), QString("Passengers"));
    QCOMPARE(d.data.x(0, 0), 112.0); // 1949-01
    QCOMPARE(d.data.x(0, 1), 118.0); // 1949-02
    QCOMPARE(d.data.y(0, 0), 115.0); // 1950-01, the 13th month
    QCOMPARE(d.data.y(131, 0), 432.0); // 1960-12
    QCOMPARE(q(d.dates.front()), QString("1950-01"));
    QCOMPARE(q(d.dates.back()), QString("1960-12"));
    QCOMPARE(d.lines.front(), 14);
    QVERIFY(d.warnings.empty()); // every month present
    // Each window's target is the next window's last input.
    for (Eigen::Index i = 0; i + 1 < d.data.x.rows(); ++i)
        QCOMPARE(d.data.x(i + 1, 11), d.data.y(i, 0));
}

void TestCsvReader::temperatures()
{
    // Quoted header and dates, CRLF, no final newline, and two missing days (1984-12-31,
    // 1988-12-31). The values all parse: the file loads; each gap is a warning, not an error.
    CsvOptions o;
    o.layout = CsvLayout::Series;
    o.window = 30;
    o.minSequences = 32;
    const std::string path = resource("ts_melbourne_daily_min_temp/daily-min-temperatures.csv");
    const SequenceData d = loadSequences(path, o);
    QCOMPARE(d.samples, 3650 - 30);
    QCOMPARE(d.steps, 30);
    QCOMPARE(q(d.targetName), QString("Temp"));
    QCOMPARE(d.data.x(0, 0), 20.7);  // 1981-01-01
    QCOMPARE(d.data.y(0, 0), 15.4);  // 1981-01-31
    QCOMPARE(q(d.dates.front()), QString("1981-01-31"));
    QCOMPARE(d.lines.front(), 32);
    QCOMPARE(q(d.dates.back()), QString("1990-12-31"));
    QCOMPARE(d.data.y(d.samples - 1, 0), 13.0); // the last line, without a newline
    QCOMPARE(d.warnings,
             (std::vector<std::string>{
                 path + ":1462:1: date gap: 1984-12-30 is followed by 1985-01-01, 1 step of 1 "
                        "day missing (the windows treat the rows as consecutive)",
                 path + ":2922:1: date gap: 1988-12-30 is followed by 1989-01-01, 1 step of 1 "
                        "day missing (the windows treat the rows as consecutive)"}));
}

// ---------------------------------------------------------------------------------------------
// Standardisation

void TestCsvReader::standardizerByHand()
{
    // T = 2, F = 2: feature 0 in columns 0, 2; feature 1 in columns 1, 3.
    const Mat train = rows({{1, 10, 3, 30}, {5, 50, 7, 70}});
    Mat validation = rows({{9, 90, 11, 110}});
    Standardizer s;
    s.fit(train, 2);
    // Feature 0: {1, 3, 5, 7}: mean 4, population std sqrt(5). Feature 1: ten times that.
    QCOMPARE(s.mean(), (std::vector<double>{4, 40}));
    QVERIFY(std::abs(s.scale()[0] - std::sqrt(5.0)) < 1e-12);
    QVERIFY(std::abs(s.scale()[1] - 10 * std::sqrt(5.0)) < 1e-12);
    Mat z = train;
    s.transform(z);
    for (int f = 0; f < 2; ++f) {
        const double m = (z(0, f) + z(0, f + 2) + z(1, f) + z(1, f + 2)) / 4;
        const double v = (z(0, f) * z(0, f) + z(0, f + 2) * z(0, f + 2) + z(1, f) * z(1, f) +
                          z(1, f + 2) * z(1, f + 2)) / 4;
        QVERIFY(std::abs(m) < 1e-12);
        QVERIFY(std::abs(v - 1) < 1e-12);
    }
    // Validation uses the training statistics: (9 - 4) / sqrt(5), (110 - 40) / (10 sqrt(5)).
    s.transform(validation);
    QVERIFY(std::abs(validation(0, 0) - 5 / std::sqrt(5.0)) < 1e-12);
    QVERIFY(std::abs(validation(0, 3) - 70 / (10 * std::sqrt(5.0))) < 1e-12);
    s.inverseTransform(validation);
    QVERIFY((validation - rows({{9, 90, 11, 110}})).cwiseAbs().maxCoeff() < 1e-12);
}

void TestCsvReader::standardizerConstantAndErrors()
{
    // A constant feature keeps scale 1 and becomes exactly 0.
    Standardizer s;
    s.fit(rows({{3, 1}, {3, 2}}), 2);
    QCOMPARE(s.scale()[0], 1.0);
    Mat x = rows({{3, 1}});
    s.transform(x);
    QCOMPARE(x(0, 0), 0.0);
    Standardizer unfitted;
    QVERIFY_THROWS_EXCEPTION(ShapeError, unfitted.transform(x));
    Mat three = rows({{1, 2, 3}});
    QVERIFY_THROWS_EXCEPTION(ShapeError, s.transform(three));
    QVERIFY_THROWS_EXCEPTION(ShapeError, s.fit(three, 2));
    QVERIFY_THROWS_EXCEPTION(ShapeError, s.fit(three, 0));
}

void TestCsvReader::scalingFitsTrainOnly()
{
    // Airline windows: the first 100 train, the last 32 validate. The series rises, so
    // validation stays far above the training mean after scaling: its own statistics are unused.
    CsvOptions o;
    o.layout = CsvLayout::Series;
    o.window = 12;
    const SequenceData all = loadSequences(resource("ts_airline_passengers/Airline.csv"), o);
    Dataset train = all.data, validation = all.data;
    train.x = all.data.x.topRows(100);
    train.y = all.data.y.topRows(100);
    validation.x = all.data.x.bottomRows(32);
    validation.y = all.data.y.bottomRows(32);
    const Mat rawValidationY = validation.y;

    const Scaling s = fitScaling(train, all.taskType);
    QVERIFY(s.target.isFitted()); // regression: the target is scaled too
    const double trainMean = train.x.mean();
    applyScaling(s, train);
    applyScaling(s, validation);
    QVERIFY(std::abs(train.x.mean()) < 1e-9);
    QVERIFY(std::abs(train.y.mean()) < 1e-9);
    QVERIFY(validation.x.mean() > 1.0);
    QCOMPARE(s.input.mean().front(), trainMean);
    for (Eigen::Index i = 0; i < 32; ++i)
        QVERIFY(std::abs(validation.y(i, 0) - (rawValidationY(i, 0) - s.target.mean()[0]) /
                                                    s.target.scale()[0]) < 1e-12);

    // Classification: inputs scaled, labels untouched.
    CsvOptions wide;
    SequenceData gp = loadSequences(fixture("wide_header.csv"), wide);
    const Scaling c = fitScaling(gp.data, gp.taskType);
    QVERIFY(!c.target.isFitted());
    const Mat labels = gp.data.y;
    applyScaling(c, gp.data);
    QCOMPARE_MAT(gp.data.y, labels);
}

QTEST_APPLESS_MAIN(TestCsvReader)
#include "tst_csvreader.moc"
