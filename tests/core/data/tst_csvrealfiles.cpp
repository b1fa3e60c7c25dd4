// SPDX-License-Identifier: GPL-3.0-or-later
// Reading the real files in resources/data as published (each folder's README.md lists their
// quirks): UCR GunPoint and ECG200 in both formats, the airline series and the Melbourne
// temperatures with their date gaps, every value and warning checked.
#include "core/data/sequencecsv.h"
#include "tests/csvtesthelpers.h"

#include <QTest>
#include <cmath>

using namespace attn;
using namespace csvtest;

class TestCsvRealFiles : public QObject {
    Q_OBJECT
private slots:
    void gunPoint_data();
    void gunPoint();
    void ecg200_data();
    void ecg200();
    void ucrTxtAndCsvAgree();
    void airline();
    void temperatures();
};

void TestCsvRealFiles::gunPoint_data()
{
    QTest::addColumn<QString>("ext");
    QTest::newRow("txt (space runs)") << "txt";
    QTest::newRow("csv") << "csv";
}

void TestCsvRealFiles::gunPoint()
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

void TestCsvRealFiles::ecg200_data()
{
    QTest::addColumn<QString>("ext");
    QTest::newRow("txt (space runs)") << "txt";
    QTest::newRow("csv") << "csv";
}

void TestCsvRealFiles::ecg200()
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

void TestCsvRealFiles::ucrTxtAndCsvAgree()
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

void TestCsvRealFiles::airline()
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

void TestCsvRealFiles::temperatures()
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

QTEST_APPLESS_MAIN(TestCsvRealFiles)
#include "tst_csvrealfiles.moc"
