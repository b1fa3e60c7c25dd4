// SPDX-License-Identifier: GPL-3.0-or-later
// CsvImportDialog's check in the background (app/gui/csvcheck.h) on the offscreen platform: a
// new target, task type or validation file does not parse the data file again (it may even be
// gone), OK stays disabled while a check runs, and a superseded check's late result is dropped.
#include "app/gui/csvcheck.h"
#include "app/gui/csvimportdialog.h"
#include "app/session/csvguess.h"
#include "tests/importdialoghelpers.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QThreadPool>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>

using namespace importtest;

class TestCsvImportCheck : public QObject {
    Q_OBJECT
private slots:
    void aNewTargetDoesNotReadTheFileAgain();
    void aStaleCheckIsDroppedAndOkWaitsForTheLatest();
};

void TestCsvImportCheck::aNewTargetDoesNotReadTheFileAgain()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath("wide.csv");
    QByteArray text = "a,b,c,label\n";
    for (int i = 0; i < 40; ++i)
        text += QByteArray::number(i) + "," + QByteArray::number(i % 3) + ",3," + QByteArray::number(i % 2) + "\n";
    QVERIFY(writeFile(path, text));
    RunSettings small = base();
    small.train.batchSize = 4;
    CsvImportDialog dialog(guessCsvSettings(path, small));
    QVERIFY(dialog.waitForCheck());
    QCOMPARE(dialog.errorText(), QString());
    QVERIFY(dialog.shapeText().contains("binary"));
    QCOMPARE(dialog.fileReads(), 1);

    // The file is gone: what follows can only come from the table parsed above.
    QVERIFY(QFile::remove(path));
    dialog.findChild<QComboBox *>("targetCombo")->setCurrentText("b");
    QVERIFY(dialog.waitForCheck());
    QCOMPARE(dialog.errorText(), QString());
    QVERIFY2(dialog.shapeText().contains("multi-class"), qPrintable(dialog.shapeText()));
    QVERIFY(dialog.shapeText().contains("T = 3 steps"));
    selectData(dialog.findChild<QComboBox *>("taskTypeCombo"), "regression");
    QVERIFY(dialog.waitForCheck());
    QVERIFY(dialog.shapeText().contains("regression (chosen)"));
    dialog.findChild<QCheckBox *>("standardizeCheck")->setChecked(false);
    QVERIFY(dialog.waitForCheck());
    QCOMPARE(dialog.errorText(), QString());
    QCOMPARE(dialog.fileReads(), 1);

    // A validation file is another file: read once, the data file still not again.
    const QString valid = dir.filePath("valid.csv");
    QVERIFY(writeFile(valid, text));
    dialog.findChild<QLineEdit *>("testFileEdit")->setText(valid);
    QVERIFY(dialog.waitForCheck());
    QCOMPARE(dialog.errorText(), QString());
    QVERIFY2(dialog.shapeText().contains("N = 32 training + 8 validation + 40 test"),
             qPrintable(dialog.shapeText()));
    QCOMPARE(dialog.fileReads(), 2);
}

void TestCsvImportCheck::aStaleCheckIsDroppedAndOkWaitsForTheLatest()
{
    // The first check is held back until the second has finished (on a second thread).
    QThreadPool::globalInstance()->setMaxThreadCount(std::max(2, QThread::idealThreadCount()));
    std::atomic<bool> release{false};
    setCsvCheckHook([&release](int generation) {
        while (generation == 1 && !release)
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
    });
    CsvImportDialog dialog(guessCsvSettings(dataFile("ts_airline_passengers/Airline.csv"), base()));
    auto *status = dialog.findChild<QLabel *>("checkStatus");
    QVERIFY(dialog.isChecking());
    QVERIFY(!okButton(dialog)->isEnabled());
    QVERIFY(status->isVisibleTo(&dialog));
    QCOMPARE(dialog.shapeText(), QString());

    dialog.findChild<QSpinBox *>("windowSpin")->setValue(6);
    QVERIFY(dialog.waitForCheck());
    QVERIFY2(dialog.shapeText().contains("T = 6 steps"), qPrintable(dialog.shapeText() + dialog.errorText()));
    QVERIFY(okButton(dialog)->isEnabled());
    QVERIFY(!status->isVisibleTo(&dialog));
    QCOMPARE(dialog.droppedChecks(), 0);

    // The first check (window 12) now finishes: its result is dropped, not shown.
    release = true;
    QTRY_COMPARE(dialog.droppedChecks(), 1);
    QVERIFY(dialog.shapeText().contains("T = 6 steps"));
    QVERIFY(!dialog.isChecking());
    QVERIFY(okButton(dialog)->isEnabled());
    setCsvCheckHook({});
}

QTEST_MAIN(TestCsvImportCheck)
#include "tst_csvimportcheck.moc"
