// SPDX-License-Identifier: GPL-3.0-or-later
// The CSV error promise on the command line, one row per bad file: `attention-studio --headless
// --data FILE` prints exactly "attention-studio: FILE:LINE:COLUMN: message" on stderr and exits 2
// with no epoch on stdout. (The window's side of the promise: app/gui/tst_csverrorsdialog.)
#include "tests/csverrorcases.h"

#include <QFile>
#include <QProcess>
#include <QTest>

using namespace attn::test;

class TestCsvErrors : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void commandLineExitsWithTheMessage_data() { addCsvErrorCases(m_files); }
    void commandLineExitsWithTheMessage();

private:
    GeneratedCsvFiles m_files;
};

void TestCsvErrors::initTestCase() { QVERIFY(m_files.write()); }

void TestCsvErrors::commandLineExitsWithTheMessage()
{
    QFETCH(QString, file);
    QFETCH(int, line);
    QFETCH(int, column);
    QFETCH(QString, message);
    QVERIFY2(QFile::exists(file), qPrintable(file));
    const QString expected = QStringLiteral("attention-studio: %1:%2:%3: %4")
                                 .arg(file)
                                 .arg(line)
                                 .arg(column)
                                 .arg(message);

    QProcess p;
    p.start(ATTN_APP_PATH, {"--headless", "--data", file, "--epochs", "1", "--hidden", "4",
                            "--units", "4"});
    QVERIFY2(p.waitForFinished(120000), "the command line did not finish within 120 s");
    const QByteArray out = p.readAllStandardOutput();
    const QString err = QString::fromUtf8(p.readAllStandardError());
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    QCOMPARE(p.exitCode(), 2);
    const QStringList errLines = err.split(QLatin1Char('\n'));
    QVERIFY2(errLines.contains(expected),
             qPrintable(QStringLiteral("expected the line\n%1\nin stderr:\n%2").arg(expected, err)));
    QVERIFY2(!out.contains("\"epoch\""), out.constData());
    QVERIFY2(out.isEmpty(), out.constData());
}

QTEST_GUILESS_MAIN(TestCsvErrors)
#include "tst_csverrors.moc"
