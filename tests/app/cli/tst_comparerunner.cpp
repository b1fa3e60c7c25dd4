// SPDX-License-Identifier: GPL-3.0-or-later
// Sweeps across machines (app/cli/comparerunner.h, docs/sweeps.md) as a user runs them: a 4-run
// compare trained as 2 shards into one result directory and merged prints exactly what the
// unsharded compare prints; a shard run again reads its results back instead of training; a
// damaged or missing result file, results of two sweeps and bad options are refused with a
// message naming the file or the option; --threads 1 and --threads 2 print the same output.
#include "tests/apprun.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

class TestCompareRunner : public QObject {
    Q_OBJECT
private slots:
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
