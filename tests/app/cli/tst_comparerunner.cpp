// SPDX-License-Identifier: GPL-3.0-or-later
// The headless compare (app/cli/comparerunner.h) as a user runs it: its JSON lines, table, CSV
// and PNG, its option and failure messages. Sweeps across machines (docs/sweeps.md): a 4-run
// compare trained as 2 shards into one result directory and merged prints exactly what the
// unsharded compare prints; a shard run again reads its results back instead of training; a
// damaged or missing result file, results of two sweeps and bad options are refused with a
// message naming the file or the option; --threads 1 and --threads 2 print the same output.
#include "tests/apprun.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <map>

class TestCompareRunner : public QObject {
    Q_OBJECT
private slots:
    void printsRunsTableAndFiles();
    void reportsAFailedCompare();
    void shardsAndMergeGiveTheUnshardedTable();
    void damagedResultFilesAreNamed();
    void mergeRefusesMissingRunsAndMixedSweeps();
    void threadsGiveTheSameOutput();
    void rejectsBadOptions_data();
    void rejectsBadOptions();

private:
    /// A tiny 2 mechanisms x 2 seeds compare on the max task (a fraction of a second per run).
    static QStringList compare(const QStringList &extra = {})
    {
        return QStringList{"--headless", "--task", "max", "--compare", "luong,none", "--runs", "2",
                           "--seed", "5", "--epochs", "2", "--hidden", "4", "--units", "4",
                           "--train-size", "128", "--val-size", "32", "--batch-size", "32"} +
               extra;
    }
    static QStringList jsonFiles(const QString &dir)
    {
        return QDir(dir).entryList({"*.json"}, QDir::Files, QDir::Name);
    }
};

void TestCompareRunner::printsRunsTableAndFiles()
{
    QTemporaryDir dir;
    const AppResult r = runApp({"--headless", "--task", "max", "--compare", "luong,none", "--runs", "2",
                              "--seed", "21", "--epochs", "2", "--hidden", "8", "--units", "8",
                              "--train-size", "512", "--val-size", "128", "--export-dir",
                              dir.filePath("out")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QList<QByteArray> lines = r.out.trimmed().split('\n');
    QVERIFY2(lines.size() >= 4 + 4, r.out.constData());
    const char *mechanisms[] = {"luong", "none", "luong", "none"};
    const int seeds[] = {21, 21, 22, 22};
    std::map<QString, std::vector<double>> best;
    std::map<QString, long long> parameters;
    for (int i = 0; i < 4; ++i) {
        QJsonParseError error;
        const QJsonObject o = QJsonDocument::fromJson(lines[i], &error).object();
        QCOMPARE(error.error, QJsonParseError::NoError);
        QCOMPARE(o["mechanism"].toString(), QString(mechanisms[i]));
        QCOMPARE(o["seed"].toInteger(), seeds[i]);
        QVERIFY(o["best_metric"].isDouble() && o["best_metric"].toDouble() > 0);
        QVERIFY(o["best_epoch"].toInt() == 1 || o["best_epoch"].toInt() == 2);
        QVERIFY(o["parameters"].toInteger() > 0);
        best[mechanisms[i]].push_back(o["best_metric"].toDouble());
        parameters[mechanisms[i]] = o["parameters"].toInteger();
    }
    // Then the Markdown table: the two rows summarise the JSON lines.
    const QString table = QString::fromUtf8(r.out.mid(r.out.indexOf("| mechanism")));
    QVERIFY2(table.startsWith("| mechanism | runs | min | mean | std | parameters |\n"), r.out.constData());
    for (const char *m : {"luong", "none"}) {
        const auto &v = best[m];
        const QString row = QString("| %1 | 2 | %2 | %3 | ")
                                .arg(m)
                                .arg(std::min(v[0], v[1]), 0, 'f', 4)
                                .arg((v[0] + v[1]) / 2, 0, 'f', 4);
        QVERIFY2(table.contains(row), qPrintable(row + "\n" + table));
        QVERIFY(table.contains(QString(" | %1 |\n").arg(parameters[m])));
    }

    QFile csv(dir.filePath("out/compare.csv"));
    QVERIFY(csv.open(QIODevice::ReadOnly | QIODevice::Text));
    const QList<QByteArray> rows = csv.readAll().trimmed().split('\n');
    QCOMPARE(rows.size(), 3);
    QCOMPARE(rows[0], QByteArray("mechanism,runs,min,mean,std,parameters"));
    QVERIFY(rows[1].startsWith("luong,2,"));
    QVERIFY(rows[2].startsWith("none,2,"));
    QCOMPARE(rows[1].split(',')[2].toDouble(), std::min(best["luong"][0], best["luong"][1]));
    const QImage png(dir.filePath("out/compare.png"));
    QVERIFY(!png.isNull());
    QVERIFY(png.width() >= 400 && png.height() >= 300);
}

void TestCompareRunner::reportsAFailedCompare()
{
    // Sentences of punctuation only hold no words: known only once the file is read, so the
    // run fails (status 1); a --train-size below the batch is refused at parse (2).
    QTemporaryDir dir;
    QFile sentences(dir.filePath("few.txt"));
    QVERIFY(sentences.open(QIODevice::WriteOnly));
    sentences.write("!!!\t1\n???\t0\n...\t1\n---\t0\n;;;\t1\n");
    sentences.close();
    const AppResult r = runApp({"--headless", "--task", "sentiment", "--compare", "luong,none",
                              "--runs", "1", "--sentences", sentences.fileName()});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("attention-studio: compare failed: ") && r.err.contains("hold no words"),
             r.err.constData());
    QVERIFY(r.out.isEmpty());
}

void TestCompareRunner::shardsAndMergeGiveTheUnshardedTable()
{
    QTemporaryDir tmp;
    const AppResult whole = runApp(compare());
    QVERIFY2(whole.exitCode == 0, whole.err.constData());
    QVERIFY2(whole.out.contains("| mechanism | runs | min | mean | std | parameters |"), whole.out.constData());

    const QString results = tmp.filePath("results");
    const AppResult first = runApp(compare({"--shard", "1/2", "--result-dir", results}));
    QVERIFY2(first.exitCode == 0, first.err.constData());
    QCOMPARE(jsonFiles(results).size(), 2);
    const AppResult second = runApp(compare({"--shard", "2/2", "--result-dir", results}));
    QVERIFY2(second.exitCode == 0, second.err.constData());
    QVERIFY2(second.err.contains("shard 2/2: 2 runs of 4 (2 trained, 0 read back"), second.err.constData());
    QCOMPARE(jsonFiles(results).size(), 4);
    // A shard prints its runs' lines, no table: both shards together are the compare's lines.
    QVERIFY(!first.out.contains("| mechanism"));
    QCOMPARE(first.out + second.out, whole.out.left(whole.out.indexOf("\n\n") + 1));

    const AppResult merged = runApp({"--headless", "--merge", results, "--export-dir", tmp.filePath("out")});
    QVERIFY2(merged.exitCode == 0, merged.err.constData());
    QCOMPARE(merged.out, whole.out); // byte for byte: the run lines and the table
    QVERIFY(QFileInfo(tmp.filePath("out/compare.csv")).size() > 0);
    QVERIFY(QFileInfo(tmp.filePath("out/compare.png")).size() > 0);

    // Run ids are stable: the same settings give the same file names, and each file's run_id is
    // the one its JSON line prints.
    const QString firstFile = jsonFiles(results).first();
    QVERIFY2(firstFile.startsWith("luong-s5-") || firstFile.startsWith("none-s5-"), qPrintable(firstFile));
    QVERIFY(whole.out.contains("\"run_id\":\"" + firstFile.chopped(5).toUtf8() + "\""));

    // A preempted job started again: its runs are read back, not trained, and printed the same.
    const QDateTime written = QFileInfo(QDir(results).filePath(firstFile)).lastModified();
    const AppResult again = runApp(compare({"--shard", "1/2", "--result-dir", results}));
    QVERIFY2(again.exitCode == 0, again.err.constData());
    QVERIFY2(again.err.contains("(0 trained, 2 read back"), again.err.constData());
    QCOMPARE(again.out, first.out);
    QCOMPARE(QFileInfo(QDir(results).filePath(firstFile)).lastModified(), written);

    // The whole grid into a result directory: the table as well, and the same files.
    const AppResult resumed = runApp(compare({"--result-dir", results}));
    QVERIFY2(resumed.exitCode == 0, resumed.err.constData());
    QCOMPARE(resumed.out, whole.out);
}

void TestCompareRunner::damagedResultFilesAreNamed()
{
    QTemporaryDir tmp;
    const QString results = tmp.filePath("results");
    const AppResult first = runApp(compare({"--shard", "1/2", "--result-dir", results}));
    QVERIFY2(first.exitCode == 0, first.err.constData());
    const QString path = QDir(results).filePath(jsonFiles(results).first());
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadWrite));
    const QByteArray full = file.readAll();
    file.resize(full.size() / 2); // cut short, as a copy interrupted half-way
    file.close();

    AppResult merged = runApp({"--headless", "--merge", results});
    QCOMPARE(merged.exitCode, 2);
    QVERIFY2(merged.err.startsWith(("attention-studio: --merge: " + path + ": not valid JSON (").toUtf8()),
             merged.err.constData());
    QVERIFY2(merged.err.contains("a partial or damaged result file"), merged.err.constData());
    QVERIFY(merged.out.isEmpty());

    // Valid JSON that is not a result, or contradicts itself.
    QJsonObject o = QJsonDocument::fromJson(full).object();
    QJsonObject run = o["run"].toObject();
    run["best_epoch"] = QStringLiteral("two");
    o["run"] = run;
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(QJsonDocument(o).toJson());
    file.close();
    merged = runApp({"--headless", "--merge", results});
    QCOMPARE(merged.exitCode, 2);
    QCOMPARE(QString::fromUtf8(merged.err),
             "attention-studio: --merge: " + path + ": run.best_epoch is missing or not a number\n");

    run["best_epoch"] = 1;
    run["best_metric"] = run["best_metric"].toDouble() + 1.0;
    o["run"] = run;
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(QJsonDocument(o).toJson());
    file.close();
    merged = runApp({"--headless", "--merge", results});
    QCOMPARE(merged.exitCode, 2);
    QVERIFY2(merged.err.contains(path.toUtf8() + ": run.best_metric and run.best_epoch are not"),
             merged.err.constData());

    // The shard started again names the file and trains that run again; then the merge works.
    const AppResult again = runApp(compare({"--shard", "1/2", "--result-dir", results}));
    QVERIFY2(again.exitCode == 0, again.err.constData());
    QVERIFY2(again.err.contains(("attention-studio: --result-dir: " + path + ": run.best_metric").toUtf8()) &&
                 again.err.contains("; training luong seed 5 again\n"),
             again.err.constData());
    QVERIFY2(again.err.contains("(1 trained, 1 read back"), again.err.constData());
    QCOMPARE(again.out, first.out); // the run trained again gives the same result
}

void TestCompareRunner::mergeRefusesMissingRunsAndMixedSweeps()
{
    QTemporaryDir tmp;
    const QString results = tmp.filePath("results");
    const AppResult first = runApp(compare({"--shard", "1/2", "--result-dir", results}));
    QVERIFY2(first.exitCode == 0, first.err.constData());
    AppResult merged = runApp({"--headless", "--merge", results});
    QCOMPARE(merged.exitCode, 1);
    QVERIFY2(merged.err.contains("--merge: 2 of 4 runs missing: luong seed 6, none seed 6; run their "
                                 "shards again"),
             merged.err.constData());

    // Another sweep (other epochs) in a second folder, merged with the first: refused.
    const QString other = tmp.filePath("other");
    QStringList otherArgs = compare({"--shard", "2/2", "--result-dir", other});
    otherArgs[otherArgs.indexOf("--epochs") + 1] = "1";
    const AppResult second = runApp(otherArgs);
    QVERIFY2(second.exitCode == 0, second.err.constData());
    merged = runApp({"--headless", "--merge", results, other}); // DIR... as positional arguments
    QCOMPARE(merged.exitCode, 2);
    QVERIFY2(merged.err.contains("are results of different sweeps"), merged.err.constData());

    merged = runApp({"--headless", "--merge", tmp.filePath("empty-does-not-exist")});
    QCOMPARE(merged.exitCode, 2);
    QVERIFY2(merged.err.contains("--merge: '" + tmp.filePath("empty-does-not-exist").toUtf8() +
                                 "' is not a directory"),
             merged.err.constData());
    QVERIFY(QDir().mkpath(tmp.filePath("empty")));
    merged = runApp({"--headless", "--merge", tmp.filePath("empty")});
    QCOMPARE(merged.exitCode, 2);
    QVERIFY2(merged.err.contains("--merge: no result file (*.json) in"), merged.err.constData());
}

void TestCompareRunner::threadsGiveTheSameOutput()
{
    // Runs trained one at a time or two at once print the same lines and table, byte for byte
    // (the compare's output has no time fields).
    const AppResult one = runApp(compare({"--threads", "1"}));
    QVERIFY2(one.exitCode == 0, one.err.constData());
    const AppResult two = runApp(compare({"--threads", "2"}));
    QVERIFY2(two.exitCode == 0, two.err.constData());
    QCOMPARE(two.out, one.out);
    QVERIFY(one.out.count("\"run_id\"") == 4);

    // Into a result directory, two at once: the same files a merge reads back to the same output.
    QTemporaryDir tmp;
    const AppResult stored = runApp(compare({"--threads", "2", "--result-dir", tmp.filePath("r")}));
    QVERIFY2(stored.exitCode == 0, stored.err.constData());
    QCOMPARE(stored.out, one.out);
    const AppResult merged = runApp({"--headless", "--merge", tmp.filePath("r")});
    QCOMPARE(merged.out, one.out);
}

void TestCompareRunner::rejectsBadOptions_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    const QStringList h = {"--headless", "--task", "max"};
    const QStringList c = h + QStringList{"--compare", "luong,none", "--result-dir", "r"};
    QTest::newRow("unknown") << h + QStringList{"--compare", "luong,cosine"}
                             << "--compare: unknown mechanism 'cosine' (expected luong";
    QTest::newRow("not applicable") << h + QStringList{"--compare", "feature,none"}
                                    << "--compare: 'feature' does not apply to the task max";
    QTest::newRow("runs 0") << h + QStringList{"--compare", "luong", "--runs", "0"}
                            << "--runs: expected a whole number from 1 to 1000, got '0'";
    QTest::newRow("runs 1001") << h + QStringList{"--compare", "luong", "--runs", "1001"}
                               << "--runs: expected a whole number from 1 to 1000, got '1001'";
    QTest::newRow("runs alone") << h + QStringList{"--runs", "3"} << "--runs needs --compare";
    QTest::newRow("window") << QStringList{"--compare", "luong,none"}
                            << "--compare needs --headless";
    QTest::newRow("with attention") << h + QStringList{"--compare", "luong", "--attention", "luong"}
                                    << "--attention and --compare exclude each other";
    QTest::newRow("with gif") << h + QStringList{"--compare", "luong", "--gif", "x.gif"}
                              << "--gif and --compare exclude each other";
    QTest::newRow("shard 0/2") << c + QStringList{"--shard", "0/2"}
                               << "--shard: expected K/N with 1 <= K <= N (e.g. 3/10), got '0/2'";
    QTest::newRow("shard 3/2") << c + QStringList{"--shard", "3/2"}
                               << "--shard: expected K/N with 1 <= K <= N (e.g. 3/10), got '3/2'";
    QTest::newRow("shard text") << c + QStringList{"--shard", "two"}
                                << "--shard: expected K/N with 1 <= K <= N (e.g. 3/10), got 'two'";
    QTest::newRow("shard alone") << h + QStringList{"--shard", "1/2"} << "--shard needs --compare";
    QTest::newRow("result-dir alone") << h + QStringList{"--result-dir", "r"}
                                      << "--result-dir needs --compare";
    QTest::newRow("shard without dir") << h + QStringList{"--compare", "luong", "--shard", "1/2"}
                                       << "--shard needs --result-dir DIR";
    QTest::newRow("shard export") << c + QStringList{"--shard", "1/2", "--export-dir", "x"}
                                  << "--export-dir with --shard: export the merged table";
    QTest::newRow("merge window") << QStringList{"--merge", "r"} << "--merge needs --headless";
    QTest::newRow("merge compare") << h + QStringList{"--compare", "luong", "--merge", "r"}
                                   << "--merge takes its runs from the result files; --compare does not apply";
    QTest::newRow("positional") << h + QStringList{"r"} << "unexpected argument 'r'";
    QTest::newRow("threads -1") << h + QStringList{"--threads", "-1"}
                                << "--threads: expected a whole number from 0 to 1024, got '-1'";
    QTest::newRow("threads text") << h + QStringList{"--threads", "all"}
                                  << "--threads: expected a whole number from 0 to 1024, got 'all'";
}

void TestCompareRunner::rejectsBadOptions()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    QTemporaryDir tmp;
    QProcess p;
    p.setWorkingDirectory(tmp.path()); // "r" and "x" would be created here
    p.start(ATTN_APP_PATH, args);
    QVERIFY(p.waitForFinished(60000));
    QCOMPARE(p.exitCode(), 2);
    const QByteArray err = p.readAllStandardError();
    QVERIFY2(QString::fromUtf8(err).contains(message), err.constData());
    QVERIFY(p.readAllStandardOutput().isEmpty());
}

QTEST_GUILESS_MAIN(TestCompareRunner)

#include "tst_comparerunner.moc"
