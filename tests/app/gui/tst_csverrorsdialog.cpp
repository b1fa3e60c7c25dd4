// SPDX-License-Identifier: GPL-3.0-or-later
// The CSV error promise in the window, one row per bad file: dropping the file on the main window
// shows "FILE:LINE:COLUMN: message" in a dialog, leaves the window's task and settings as they
// were, and a run still trains afterwards. (The command line's side: app/cli/tst_csverrors.)
#include "app/gui/mainwindow.h"
#include "app/session/runsettings.h"
#include "tests/csverrorcases.h"
#include "tests/settingsisolation.h"

#include <QApplication>
#include <QDialog>
#include <QElapsedTimer>
#include <QFile>
#include <QInputDialog>
#include <QLabel>
#include <QMessageBox>
#include <QMimeData>
#include <QPointer>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QUrl>

using namespace attn::test;

namespace {

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

class TestCsvErrorsDialog : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void windowShowsTheMessageAndStaysUsable_data() { addCsvErrorCases(m_files); }
    void windowShowsTheMessageAndStaysUsable();

private:
    QTemporaryDir m_config;
    GeneratedCsvFiles m_files;
};

void TestCsvErrorsDialog::initTestCase()
{
    QVERIFY(m_config.isValid());
    testsupport::isolateSettings(m_config, "tst_csverrorsdialog");

    QVERIFY(m_files.write());
}

void TestCsvErrorsDialog::windowShowsTheMessageAndStaysUsable()
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

QTEST_MAIN(TestCsvErrorsDialog)
#include "tst_csverrorsdialog.moc"
