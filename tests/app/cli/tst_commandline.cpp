// SPDX-License-Identifier: GPL-3.0-or-later
// The command line where a headless user is: no display, no XDG_RUNTIME_DIR. --help, --version
// and bad use answer without a window system; a headless run writes nothing on stderr; output
// paths that cannot be written are refused (status 2) before any epoch is trained; the window
// without a display says so instead of aborting.
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

class TestCommandLine : public QObject {
    Q_OBJECT
private slots:
    void helpAndVersionNeedNoDisplay();
    void badUseNeedsNoDisplay();
    void headlessRunLeavesStderrEmpty();
    void unwritableOutputsAreRefusedBeforeTraining_data();
    void unwritableOutputsAreRefusedBeforeTraining();
    void windowWithoutDisplaySaysSo();

private:
    struct Result {
        int exitCode;
        QByteArray out, err;
    };
    /// Runs the app with no display, no platform override and no XDG_RUNTIME_DIR.
    static Result runBare(const QStringList &args)
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const char *name : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "XDG_RUNTIME_DIR"})
            env.remove(name);
        QProcess p;
        p.setProcessEnvironment(env);
        p.start(ATTN_APP_PATH, args);
        if (!p.waitForFinished(120000))
            return {-1, {}, "timeout"};
        return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
                p.readAllStandardOutput(), p.readAllStandardError()};
    }
};

void TestCommandLine::helpAndVersionNeedNoDisplay()
{
    const Result help = runBare({"--help"});
    QCOMPARE(help.exitCode, 0);
    QVERIFY2(help.out.contains("--headless") && help.out.contains("--export-dir"), help.out);
    QVERIFY2(help.err.isEmpty(), help.err);
    const Result version = runBare({"--version"});
    QCOMPARE(version.exitCode, 0);
    QVERIFY2(version.out.startsWith("attention-studio "), version.out);
    QVERIFY2(version.err.isEmpty(), version.err);
}

void TestCommandLine::badUseNeedsNoDisplay()
{
    for (const QStringList &args : {QStringList{"--bogus"}, QStringList{"--task", "sum"},
                                    QStringList{"--headless", "--train"}}) {
        const Result r = runBare(args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.startsWith("attention-studio: "), r.err);
        QVERIFY2(r.err.contains("Try 'attention-studio --help'"), r.err);
        QVERIFY(r.out.isEmpty());
    }
}

void TestCommandLine::headlessRunLeavesStderrEmpty()
{
    QTemporaryDir dir;
    const Result r = runBare({"--headless", "--task", "max", "--epochs", "1", "--hidden", "8",
                              "--units", "8", "--train-size", "256", "--val-size", "64",
                              "--export-dir", dir.filePath("out"), "--gif", dir.filePath("r.gif")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.err.isEmpty(), r.err.constData());
    QCOMPARE(r.out.trimmed().split('\n').size(), 2); // epoch 1 and the final line
    QVERIFY(QFile::exists(dir.filePath("out/heatmap.png")));
    QVERIFY(QFile::exists(dir.filePath("r.gif")));
}

void TestCommandLine::unwritableOutputsAreRefusedBeforeTraining_data()
{
    QTest::addColumn<QString>("option");
    QTest::addColumn<QString>("path"); // relative to a temporary folder holding a file "file"
    QTest::addColumn<QString>("message");
    QTest::newRow("gif in a file") << "gif" << "file/replay.gif" << "--gif: '";
    QTest::newRow("gif is a folder") << "gif" << "." << "is a directory";
    QTest::newRow("export dir is a file") << "export-dir" << "file" << "is not a directory";
    QTest::newRow("export dir under a file") << "export-dir" << "file/out" << "--export-dir: ";
    QTest::newRow("model under a file") << "save-model" << "file/model" << "--save-model: ";
    QTest::newRow("missing predict file") << "predict" << "none.csv" << "cannot read";
}

void TestCommandLine::unwritableOutputsAreRefusedBeforeTraining()
{
    QFETCH(QString, option);
    QFETCH(QString, path);
    QFETCH(QString, message);
    QTemporaryDir dir;
    QFile file(dir.filePath("file"));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.close();
    // 500 epochs would take minutes: a refusal after training would time the test out.
    const Result r = runBare({"--headless", "--task", "max", "--epochs", "500",
                              "--" + option, dir.filePath(path)});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(message.toUtf8()), r.err.constData());
    QVERIFY2(r.out.isEmpty(), "no epoch may be trained before the refusal");
}

void TestCommandLine::windowWithoutDisplaySaysSo()
{
    const Result r = runBare({"--task", "add"});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("no display"), r.err.constData());
}

QTEST_GUILESS_MAIN(TestCommandLine)
#include "tst_commandline.moc"
