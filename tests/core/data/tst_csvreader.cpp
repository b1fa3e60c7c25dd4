// SPDX-License-Identifier: GPL-3.0-or-later
// Reading CSV sequences (core/data/sequencecsv.h): every layout on hand-written fixtures with
// exact values, every error with its exact "FILE:LINE:COLUMN: message", and the real UCR and
// time-series files in resources/data. The tokenizer is tst_csvparser, scaling tst_standardizer.
#include "core/io/csvparser.h"
#include "core/data/sequencecsv.h"
#include "tests/csvtesthelpers.h"

#include <QTemporaryDir>
#include <QTest>
#include <cmath>
#include <cstdio>
#include <filesystem>

using namespace attn;
using namespace csvtest;

namespace {

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
};

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

QTEST_APPLESS_MAIN(TestCsvReader)
#include "tst_csvreader.moc"
