// SPDX-License-Identifier: GPL-3.0-or-later
// The CSV error promises end to end, one row per bad file: `attention-studio --headless --data
// FILE` prints exactly "attention-studio: FILE:LINE:COLUMN: message" on stderr and exits 2 with
// no epoch on stdout, and dropping the same file on the main window shows that message in a
// dialog, leaves the window's task and settings as they were, and a run still trains afterwards.
#include "app/gui/mainwindow.h"
#include "app/session/metatypes.h"
#include "app/session/runsettings.h"

#include <QApplication>
#include <QDialog>
#include <QElapsedTimer>
#include <QFile>
#include <QInputDialog>
#include <QLabel>
#include <QMessageBox>
#include <QMimeData>
#include <QPointer>
#include <QProcess>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QUrl>

namespace {

QString fixture(const char *name) { return QStringLiteral(ATTN_CSV_FIXTURES "/") + name; }

// The window's run: the add task at toy sizes, so the "still usable" run takes seconds.
RunSettings smallAddRun()
{
    RunSettings s = RunSettings::defaults(attn::TaskKind::Add);
    s.model.hidden = 4;
    s.model.attentionUnits = 4;
    s.train.epochs = 1;
    s.size = {256, 64};
    return s;
}

/// Answers every modal dialog the way a user would while it runs, and keeps what they said:
/// texts of every QLabel (QMessageBox text, informative and detailed text included). A
/// QInputDialog (the series-window question) is accepted with its default value; a QMessageBox
/// is dismissed; any other dialog (the import dialog) is rejected once its "csvError" label has
/// text, or after 3 s. After 10 s it closes whatever modal widget is left and says so.
class DialogAnswerer : public QObject {
public:
    DialogAnswerer()
    {
        connect(&m_timer, &QTimer::timeout, this, &DialogAnswerer::poll);
        m_timer.start(20);
        m_clock.start();
    }
    const QStringList &texts() const { return m_texts; }
    int dialogs() const { return m_dialogs; }
    bool timedOut() const { return m_timedOut; }
    /// Restarts the 10 s budget (one per user action).
    void restartClock() { m_clock.restart(); }

private:
    void collect(QWidget *w)
    {
        if (auto *box = qobject_cast<QMessageBox *>(w))
            m_texts << box->text() << box->informativeText() << box->detailedText();
        for (const QLabel *label : w->findChildren<QLabel *>())
            m_texts << label->text();
    }

    void poll()
    {
        QWidget *w = QApplication::activeModalWidget();
        if (!w)
            return;
        if (w != m_current) {
            m_current = w;
            m_shownFor.start();
            ++m_dialogs;
        }
        if (m_clock.elapsed() > 10000) {
            collect(w);
            m_timedOut = true;
            w->close();
            return;
        }
        auto *dialog = qobject_cast<QDialog *>(w);
        if (auto *input = qobject_cast<QInputDialog *>(w)) {
            collect(w);
            input->accept(); // the default value: 0, one sequence per row
        } else if (qobject_cast<QMessageBox *>(w)) {
            collect(w);
            dialog->reject();
        } else {
            const QLabel *error = w->findChild<QLabel *>(QStringLiteral("csvError"));
            if ((error && !error->text().isEmpty()) || m_shownFor.elapsed() > 3000) {
                collect(w);
                if (dialog)
                    dialog->reject();
                else
                    w->close();
            }
        }
    }

    QTimer m_timer;
    QElapsedTimer m_clock;
    QElapsedTimer m_shownFor;
    QPointer<QWidget> m_current;
    QStringList m_texts;
    int m_dialogs = 0;
    bool m_timedOut = false;
};

} // namespace

class TestCsvErrors : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void commandLineExitsWithTheMessage_data() { cases(); }
    void commandLineExitsWithTheMessage();
    void windowShowsTheMessageAndStaysUsable_data() { cases(); }
    void windowShowsTheMessageAndStaysUsable();

private:
    void cases();
    QTemporaryDir m_config;
    QTemporaryDir m_files;
};

void TestCsvErrors::initTestCase()
{
    registerMetaTypes();
    QVERIFY(m_config.isValid());
    QVERIFY(m_files.isValid());
    // Keep the user's real settings out of the test.
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_config.path());
    QApplication::setOrganizationName("attention-studio-test");
    QApplication::setApplicationName("tst_csverrors");

    // One data row: a split needs one training and one validation sequence.
    // Ten good sequences of two classes: fewer than one batch of 32.
    QFile tenRows(m_files.filePath("ten_rows.csv"));
    QVERIFY(tenRows.open(QIODevice::WriteOnly));
    tenRows.write("t1,t2,y\n");
    for (int i = 0; i < 10; ++i)
        tenRows.write(QByteArray::number(i) + ",2," + QByteArray::number(i % 2) + "\n");
    tenRows.close();

    // A second row of 17 MiB, over the 16 MiB limit for one row (generated, never committed).
    QFile huge(m_files.filePath("huge_line.csv"));
    QVERIFY(huge.open(QIODevice::WriteOnly));
    huge.write("1,2\n3,");
    const QByteArray chunk(1 << 20, '4');
    for (int i = 0; i < 17; ++i)
        QCOMPARE(huge.write(chunk), qint64(chunk.size()));
    huge.write("\n");
    huge.close();
}

void TestCsvErrors::cases()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");
    QTest::addColumn<QString>("message");
    auto row = [](const char *name, const QString &file, int line, int column, const char *message) {
        QTest::newRow(name) << file << line << column << QString::fromUtf8(message);
    };
    row("ragged row", fixture("ragged.csv"), 3, 0, "ragged row: 3 fields, expected 4 like line 1");
    row("non-numeric cell", fixture("nonnumeric.csv"), 3, 2,
        "non-numeric cell \"abc\" (expected a number)");
    row("NaN", fixture("nan.csv"), 1, 2, "non-finite cell \"NaN\" (expected a finite number)");
    row("Inf", fixture("inf.csv"), 2, 3, "non-finite cell \"-inf\" (expected a finite number)");
    row("empty file", fixture("empty.csv"), 1, 0, "empty file (expected a header or rows of values)");
    row("header only", fixture("header_only.csv"), 1, 0,
        "header only: no data rows after the header (expected at least one row of values)");
    // Fewer sequences than one batch (the csv default batch size, 32) needs.
    row("too few rows", m_files.filePath("ten_rows.csv"), 11, 0,
        "too few rows: 10 sequences (expected at least 32)");
    row("single class", fixture("single_class.csv"), 2, 3,
        "single class: every target is 1 (expected at least 2 classes)");
    row("binary file (NUL)", fixture("binary.bin"), 2, 2,
        "binary file: NUL byte at byte offset 9 (expected CSV text)");
    row("broken UTF-8", fixture("bad_utf8.csv"), 3, 2,
        "invalid UTF-8: byte 0xE9 at byte offset 19 (expected UTF-8 text; re-save the file as "
        "UTF-8)");
    row("UTF-16 with BOM", fixture("utf16.csv"), 1, 1,
        "UTF-16 text (byte order mark 0xFF 0xFE) (expected UTF-8 text; re-save the file as UTF-8)");
    row("huge line", m_files.filePath("huge_line.csv"), 2, 0,
        "line too long: the row is over 16777216 bytes (expected at most 16 MiB per row)");
    row("unclosed quote", fixture("unterminated.csv"), 3, 2,
        "unterminated quoted field: no closing quote before the end of the file (expected \" to "
        "end the field that opens here)");
}

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

void TestCsvErrors::windowShowsTheMessageAndStaysUsable()
{
    QFETCH(QString, file);
    QFETCH(int, line);
    QFETCH(int, column);
    QFETCH(QString, message);
    QVERIFY2(QFile::exists(file), qPrintable(file));
    const QString expected =
        QStringLiteral("%1:%2:%3: %4").arg(file).arg(line).arg(column).arg(message);

    MainWindow window(smallAddRun());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    const QVariantMap before = runSettingsToMap(window.settings());
    QCOMPARE(int(window.settings().task), int(attn::TaskKind::Add));

    DialogAnswerer answerer;
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(file)});
    const QPointF at = QRectF(window.rect()).center();
    QDragEnterEvent enter(at.toPoint(), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(&window, &enter);
    QVERIFY2(enter.isAccepted(), "the window refuses to take the file");
    QDropEvent drop(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(&window, &drop); // returns once every dialog is answered
    QTRY_VERIFY_WITH_TIMEOUT(QApplication::activeModalWidget() == nullptr, 10000);
    QVERIFY2(!answerer.timedOut(), "a dialog stayed open for 10 s");

    bool shown = false;
    for (const QString &text : answerer.texts())
        shown = shown || text.contains(expected);
    QVERIFY2(shown, qPrintable(QStringLiteral("expected\n%1\nin a dialog; the dialogs said:\n%2")
                                   .arg(expected, answerer.texts().join(QLatin1Char('\n')))));

    // The window kept its previous data and settings ...
    QCOMPARE(int(window.settings().task), int(attn::TaskKind::Add));
    QCOMPARE(window.settings().dataFile, QString());
    QCOMPARE(runSettingsToMap(window.settings()), before);
    QVERIFY(window.history().empty());

    // ... and still trains: a run starts and delivers a trained epoch, with no dialog.
    const int dialogsBefore = answerer.dialogs();
    answerer.restartClock();
    window.startTraining();
    QTRY_VERIFY_WITH_TIMEOUT(!window.history().empty() && window.history().back().epoch >= 1,
                             60000);
    QTRY_COMPARE_WITH_TIMEOUT(window.controller()->state(), TrainingWorker::State::Finished, 60000);
    QCOMPARE(answerer.dialogs(), dialogsBefore);
    QCOMPARE(int(window.settings().task), int(attn::TaskKind::Add));
}

QTEST_MAIN(TestCsvErrors)
#include "tst_csverrors.moc"
