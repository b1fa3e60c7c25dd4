// SPDX-License-Identifier: GPL-3.0-or-later
// CsvRows, the compact cells of a parsed CSV file (float, as in the app): every cell gives back its
// exact text, kind and value whether it is stored as a bare number or kept on the side; a numeric
// table costs about sizeof(CsvNumber) bytes per value; readCsv, which parses the file in blocks,
// gives the same table and the same errors (byte offsets too) as parseCsv on the whole text; and
// the predictor's column insertion.
#include "core/io/csvparser.h"

#include <QTemporaryDir>
#include <QTest>

#include <charconv>
#include <cstdio>
#include <functional>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

using namespace attn;

namespace {

QString q(const std::string &s) { return QString::fromStdString(s); }

std::vector<std::vector<std::string>> cells(const CsvTable &t)
{
    std::vector<std::vector<std::string>> out;
    for (std::size_t r = 0; r < t.rows.size(); ++r)
        out.push_back(t.rows[r].texts());
    return out;
}

bool writeFile(const std::string &path, const std::string &text)
{
    std::FILE *f = std::fopen(path.c_str(), "wb");
    if (!f)
        return false;
    const bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
    return std::fclose(f) == 0 && ok;
}

std::string errorOf(const std::function<void()> &f)
{
    try {
        f();
    } catch (const CsvError &e) {
        return e.what();
    }
    return "no error";
}

// Checks every cell of t against the text it was written as.
void checkCells(const CsvTable &t, const std::vector<std::vector<std::string>> &expected)
{
    QCOMPARE(t.rows.size(), expected.size());
    for (std::size_t r = 0; r < expected.size(); ++r)
        for (int c = 0; c < int(expected[r].size()); ++c) {
            const std::string &cell = expected[r][std::size_t(c)];
            const CellValue v = parseNumber(cell, t.decimalComma());
            QCOMPARE(q(t.rows.text(r, c)), q(cell));
            QCOMPARE(int(t.rows.kind(r, c)), int(v.kind));
            CsvNumber value = -7;
            QCOMPARE(t.rows.number(r, c, value), v.kind == CellKind::Number);
            if (v.kind == CellKind::Number)
                QCOMPARE(value, CsvNumber(v.value));
        }
}

} // namespace

class TestCsvRows : public QObject {
    Q_OBJECT
private slots:
    void everyCellKeepsItsTextKindAndValue();
    void randomCellsRoundTrip();
    void decimalCommaCells();
    void numericTableCostsAboutOneScalarPerValue();
    void readCsvInBlocksMatchesParseCsv();
    void insertedColumnOfEqualCells();
};

void TestCsvRows::everyCellKeepsItsTextKindAndValue()
{
    const std::vector<std::vector<std::string>> expected{
        {"0.123457", "1", "-0", "1.0", "007", "1e-3", "0.12345678901234567", "+5"},
        {"123456789", "abc", "", "nan", "1e999", " spaced ", "-12.5", "0.000001"},
        {"9999999", "10000000", "1e-400", "0.1", ".5", "5.", "-0.0", "3.14159"},
        {"1.234570000000000000e-01", "-2.5e+03", "0.30000000000000004", "1E5", "1e+400",
         "2.0000000e+00", "1.5e-07", "1e5"}};
    std::string text;
    for (const auto &row : expected) {
        for (std::size_t c = 0; c < row.size(); ++c) {
            if (c)
                text += ',';
            text += '"';
            text += row[c];
            text += '"';
        }
        text += '\n';
    }
    CsvFormat noHeader;
    noHeader.header = CsvHeader::No;
    const CsvTable t = parseCsv(text, "mem.csv", noHeader);
    QCOMPARE(t.columns(), 8);
    checkCells(t, expected);
    QCOMPARE(t.rows[1].texts(), expected[1]);
}

void TestCsvRows::randomCellsRoundTrip()
{
    // Cells built from the characters numbers are made of: most parse, many only as text.
    std::mt19937 rng(5);
    const std::string alphabet = "0123456789000.-e+x";
    std::vector<std::vector<std::string>> expected(3000, std::vector<std::string>(7));
    std::string text;
    for (auto &row : expected) {
        for (std::size_t c = 0; c < row.size(); ++c) {
            const int len = 1 + int(rng() % 12);
            std::string cell;
            if (rng() % 2) { // a plain decimal such as 12.0045
                cell = std::to_string(rng() % 100000);
                if (rng() % 2) {
                    cell += '.';
                    cell += std::to_string(rng() % 100000);
                }
            } else {
                for (int i = 0; i < len; ++i)
                    cell += alphabet[rng() % alphabet.size()];
            }
            row[c] = cell;
            if (c)
                text += ',';
            text += cell;
        }
        text += '\n';
    }
    CsvFormat noHeader;
    noHeader.header = CsvHeader::No;
    noHeader.delimiter = CsvDelimiter::Comma;
    checkCells(parseCsv(text, "mem.csv", noHeader), expected);
}

void TestCsvRows::decimalCommaCells()
{
    const CsvTable t = parseCsv("1,5;2;0,25\n3;4,75;1.5\n-0,5;10;7,0\n", "mem.csv");
    QVERIFY(t.decimalComma());
    checkCells(t, {{"1,5", "2", "0,25"}, {"3", "4,75", "1.5"}, {"-0,5", "10", "7,0"}});
    CsvNumber v = 0;
    QVERIFY(t.rows.number(0, 0, v));
    QCOMPARE(v, CsvNumber(1.5));
    const CsvTable dots = parseCsv("a;b\n1.5;2.25\n3.5;4\n", "mem.csv");
    checkCells(dots, {{"1.5", "2.25"}, {"3.5", "4"}});
}

void TestCsvRows::numericTableCostsAboutOneScalarPerValue()
{
    const int rows = 6000, cols = 100;
    std::mt19937 rng(3);
    std::string text;
    std::uniform_real_distribution<float> uniform(-100.0f, 100.0f);
    char buf[64];
    for (int r = 0; r < rows; ++r) {
        for (int c = 0; c < cols; ++c) {
            if (c)
                text += ',';
            if (c % 2) { // a decimal of up to 6 digits
                text += std::to_string(rng() % 100000);
                text += '.';
                text += std::to_string(1 + rng() % 9);
            } else { // a float's shortest text, as numpy and pandas write float32 data
                const auto end = std::to_chars(buf, buf + sizeof buf, uniform(rng),
                                               std::chars_format::fixed).ptr;
                text.append(buf, end);
            }
        }
        text += '\n';
    }
    const CsvTable t = parseCsv(text, "mem.csv");
    QCOMPARE(int(t.rows.size()), rows);
    const double perValue = double(t.rows.bytes()) / (double(rows) * cols);
    QVERIFY2(perValue < double(sizeof(CsvNumber)) + 1.0, qPrintable(QString::number(perValue)));
    QVERIFY(perValue >= double(sizeof(CsvNumber)));
    // The same table with a text cell per row keeps those texts on the side, and only those.
    const CsvTable mixed = parseCsv("id,x\nabc,1.5\nxyz,2\n", "mem.csv");
    QCOMPARE(q(mixed.rows.text(1, 0)), QString("xyz"));
    QCOMPARE(q(mixed.rows.text(1, 1)), QString("2"));
}

void TestCsvRows::readCsvInBlocksMatchesParseCsv()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    // Over 3 MiB (several 64 KiB blocks and window drops), 2-byte letters and quoted fields that
    // span lines at every alignment to the block boundaries.
    std::string text = "name,note,x,y\n";
    for (int r = 0; text.size() < (std::size_t(3) << 20); ++r) {
        text += "\xC3\xA9t\xC3\xA9";
        text += std::to_string(r);
        if (r % 7 == 0) {
            text += ",\"two\nlines, ";
            text.append(std::size_t(r % 13), 'x');
            text += '"';
        } else {
            text += ",n";
        }
        text += ',';
        text += std::to_string(r % 1000);
        text += ".25,";
        text += std::to_string(r % 2);
        text += '\n';
    }
    const std::string path = (dir.path() + "/big.csv").toStdString();
    QVERIFY(writeFile(path, text));
    const CsvTable a = readCsv(path);
    const CsvTable b = parseCsv(text, path);
    QCOMPARE(a.header, b.header);
    QCOMPARE(a.lines, b.lines);
    QVERIFY(cells(a) == cells(b));
    QCOMPARE(q(a.rows.text(0, 0)), QString::fromUtf8("\xC3\xA9t\xC3\xA9" "0"));

    // Errors far into the file: the same message, with the same byte offset and line.
    const std::string nul = text + "1,2,3" + std::string(1, '\0') + ",4\n";
    QVERIFY(writeFile(path, nul));
    const std::string nulError = errorOf([&] { readCsv(path); });
    QCOMPARE(q(nulError), q(errorOf([&] { parseCsv(nul, path); })));
    QVERIFY2(nulError.find("byte offset " + std::to_string(text.size() + 5)) != std::string::npos,
             nulError.c_str());
    const std::string open = text + "\"never closed,1,2,3\n" + std::string(200000, 'z');
    QVERIFY(writeFile(path, open));
    QCOMPARE(q(errorOf([&] { readCsv(path); })), q(errorOf([&] { parseCsv(open, path); })));
    const std::string broken = text + "a\xC3,b,c,d\n";
    QVERIFY(writeFile(path, broken));
    QCOMPARE(q(errorOf([&] { readCsv(path); })), q(errorOf([&] { parseCsv(broken, path); })));
}

void TestCsvRows::insertedColumnOfEqualCells()
{
    CsvTable t = parseCsv("1,2\n3,4\n5,6\n", "mem.csv");
    for (auto &row : t.rows)
        row.insert(row.begin(), "cat");
    QCOMPARE(t.columns(), 3);
    QCOMPARE(cells(t), (std::vector<std::vector<std::string>>{
                           {"cat", "1", "2"}, {"cat", "3", "4"}, {"cat", "5", "6"}}));
    QCOMPARE(int(t.rows.kind(2, 0)), int(CellKind::Text));
    for (auto &row : t.rows)
        row.insert(row.end(), "0");
    CsvNumber v = -1;
    QVERIFY(t.rows.number(1, 3, v));
    QCOMPARE(v, CsvNumber(0));
    QCOMPARE(q(t.rows.text(1, 2)), QString("4"));
    // Cells that differ cannot be a column.
    CsvTable u = parseCsv("1,2\n3,4\n", "mem.csv");
    u.rows[0].insert(u.rows[0].end(), "a");
    QVERIFY_THROWS_EXCEPTION(std::logic_error, u.rows[1].insert(u.rows[1].end(), "b"));
}

QTEST_APPLESS_MAIN(TestCsvRows)
#include "tst_csvrows.moc"
