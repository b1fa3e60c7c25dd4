// SPDX-License-Identifier: GPL-3.0-or-later
// guessCsvSettings (app/session/csvguess.h): a date and a value column make a series in windows of
// min(12, rows / 4), also when the file is longer than the 64 KiB read; the value column is the
// target wherever it is; a new forecast turns the faithfulness measures on; a wide file, a UCR
// pair and a file that cannot be read are not series; a lone UCR training file reads its labels
// first.
#include "app/session/csvguess.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

class TestCsvGuess : public QObject {
    Q_OBJECT
private slots:
    void seriesLongerThanTheHead();
    void shortSeriesWindowAndValueColumnFirst();
    void notSeries();

private:
    QString write(const QString &name, const QByteArray &text)
    {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly) || f.write(text) != text.size())
            qFatal("cannot write %s", qPrintable(path));
        return path;
    }
    QTemporaryDir m_dir;
};

void TestCsvGuess::seriesLongerThanTheHead()
{
    QByteArray text = "Date,Sales\n";
    for (int i = 0; i < 20000; ++i) // about 300 KB: the guess reads only its first 64 KiB
        text += QByteArray::number(2000 + i / 365) + "-01-01," + QByteArray::number(i % 97) + ".5\n";
    QVERIFY(text.size() > 4 * 64 * 1024);
    const RunSettings base = RunSettings::defaults(attn::TaskKind::Csv);
    const RunSettings s = guessCsvSettings(write("long.csv", text), base);
    QCOMPARE(s.layout, QString("series"));
    QCOMPARE(s.window, 12);
    QCOMPARE(s.target, QString()); // the value column is last
    QCOMPARE(s.train.explainRows, kForecastExplainRows);
    // A forecast opened again keeps the user's choice of measures.
    RunSettings forecast = base;
    forecast.window = 12;
    QCOMPARE(guessCsvSettings(write("long2.csv", text), forecast).train.explainRows, 0);
}

void TestCsvGuess::shortSeriesWindowAndValueColumnFirst()
{
    QByteArray text = "Passengers,Month\n";
    for (int i = 0; i < 30; ++i)
        text += QByteArray::number(100 + i) + ",m" + QByteArray::number(i) + "\n";
    const RunSettings s = guessCsvSettings(write("short.csv", text), RunSettings::defaults(attn::TaskKind::Csv));
    QCOMPARE(s.layout, QString("series"));
    QCOMPARE(s.window, 7); // 30 rows / 4
    QCOMPARE(s.target, QString("Passengers"));
}

void TestCsvGuess::notSeries()
{
    const RunSettings base = RunSettings::defaults(attn::TaskKind::Csv);
    const RunSettings wide = guessCsvSettings(write("wide.csv", "1,2,3\n4,5,6\n7,8,9\n"), base);
    QCOMPARE(wide.layout, QString("wide"));
    QCOMPARE(wide.window, 0);
    QCOMPARE(wide.train.explainRows, 0);
    const RunSettings missing = guessCsvSettings(m_dir.filePath("missing.csv"), base);
    QCOMPARE(missing.layout, QString("wide"));
    QCOMPARE(missing.window, 0);
    // A UCR NAME_TRAIN file beside its NAME_TEST: the pair's own options (layout left empty).
    const QString train = write("Tiny_TRAIN.txt", "1 0.5 0.25\n2 0.1 0.2\n");
    write("Tiny_TEST.txt", "1 0.5 0.25\n");
    const RunSettings pair = guessCsvSettings(train, base);
    QCOMPARE(pair.layout, QString());
    QCOMPARE(pair.dataFile, train);
    // Alone, a NAME_TRAIN file with whole-number labels first reads them as the target, as a
    // pair does (the window's import dialog then shows target "first", not "last").
    const QString lone = write("Lone_TRAIN.txt", "1 0.5 0.25\n2 0.1 0.2\n1 0.3 0.7\n");
    const RunSettings alone = guessCsvSettings(lone, base);
    QCOMPARE(alone.layout, QString("wide"));
    QCOMPARE(alone.target, QString("first"));
}

QTEST_GUILESS_MAIN(TestCsvGuess)
#include "tst_csvguess.moc"
