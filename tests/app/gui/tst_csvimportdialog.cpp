// SPDX-License-Identifier: GPL-3.0-or-later
// CsvImportDialog on the offscreen platform, on the shipped data files: the shape and class counts
// it shows match the files and makeCsvTaskData of its settings(), guess() picks the series layout
// for a single series, every option change re-runs the check, a bad file shows the exact
// FILE:LINE:COLUMN error with OK disabled, and a binary file gets a raw preview. The check in the
// background: tst_csvimportcheck.
// ATTN_SCREENSHOT_DIR=dir saves the dialog on GunPoint and the airline series as PNGs there.
#include "app/gui/csvimportdialog.h"
#include "app/session/csvguess.h"
#include "tests/importdialoghelpers.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QMap>
#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QSpinBox>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>


using namespace importtest;

namespace {

// The labels (first whitespace-separated token of each line) of a UCR .txt file, counted by
// their shortest form ("2.0000000e+00" -> "2").
QMap<QString, int> ucrLabelCounts(const QString &path)
{
    QMap<QString, int> counts;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return counts;
    while (!file.atEnd()) {
        const QString line = QString::fromUtf8(file.readLine()).trimmed();
        if (line.isEmpty())
            continue;
        bool ok = false;
        const double label = line.section(QRegularExpression(QStringLiteral("\\s+")), 0, 0).toDouble(&ok);
        if (ok)
            ++counts[QString::number(label)];
    }
    return counts;
}

// "N = a training + b validation <what>, T = t step(s), F = f feature(s)" of the data itself.
QString expectedShape(const attn::TaskData &d, const QString &what)
{
    return QStringLiteral("N = %1 training + %2 validation%3 %4, T = %5 %6, F = %7 %8")
        .arg(d.train.size())
        .arg(d.validation.size())
        .arg(d.test.size() > 0 ? QStringLiteral(" + %1 test").arg(d.test.size()) : QString())
        .arg(what)
        .arg(d.train.steps)
        .arg(d.train.steps == 1 ? "step" : "steps")
        .arg(d.train.features)
        .arg(d.train.features == 1 ? "feature" : "features");
}

QString caughtError(const RunSettings &s)
{
    try {
        makeCsvTaskData(s);
    } catch (const std::exception &e) {
        return QString::fromUtf8(e.what());
    }
    return {};
}

void screenshot(CsvImportDialog &d, const QString &name)
{
    const QString dir = qEnvironmentVariable("ATTN_SCREENSHOT_DIR");
    if (dir.isEmpty())
        return;
    d.show();
    QVERIFY(QTest::qWaitForWindowExposed(&d));
    QVERIFY(d.grab().save(QDir(dir).filePath(name)));
}

} // namespace

class TestCsvImportDialog : public QObject {
    Q_OBJECT
private slots:
    void gunPointShowsTheUcrSplitAndItsClasses();
    void airlineIsGuessedAsASeriesAndTheWindowSetsT();
    void melbourneShowsTheDateGaps();
    void wideFileIsGuessedWideWithTargetLast();
    void badCellShowsTheExactErrorAndDisablesOk();
    void anErrorClearsWhenTheOptionsAreFixed();
    void choosingRegressionOverridesTheDetectedType();
    void multivariateAndLongLayoutsUseTheirControls();
    void binaryFileGetsARawPreview();
};

void TestCsvImportDialog::gunPointShowsTheUcrSplitAndItsClasses()
{
    const QString train = dataFile("ucr_gunpoint/GunPoint_TRAIN.txt");
    const RunSettings initial = guessCsvSettings(train, base());
    QCOMPARE(initial.layout, QString()); // the UCR pair is left to csvTaskSpec
    QCOMPARE(initial.target, QString());
    CsvImportDialog dialog(initial);
    QVERIFY(dialog.waitForCheck());

    QCOMPARE(dialog.errorText(), QString());
    auto *error = dialog.findChild<QLabel *>("csvError");
    QVERIFY(error);
    QCOMPARE(error->text(), QString());
    QVERIFY(error->isHidden());
    QVERIFY(okButton(dialog)->isEnabled());
    QVERIFY(dialog.shapeText().contains("N = 40 training + 10 validation + 150 test sequences"));
    QVERIFY(dialog.shapeText().contains("T = 150 steps"));
    QVERIFY(dialog.shapeText().contains("F = 1 feature"));
    QVERIFY(dialog.shapeText().contains("binary classification (detected from the target)"));
    // The label shows the same text on three lines: N / T and F / task type.
    QCOMPARE(dialog.findChild<QLabel *>("shapeLabel")->text().replace(QChar(QChar::Nbsp), ' '),
             QString(dialog.shapeText()).replace(" sequences, T", " sequences\nT"));
    QVERIFY(dialog.findChild<QLabel *>("shapeLabel")->font().bold());
    QCOMPARE(dialog.findChild<QComboBox *>("targetCombo")->currentText(), QString("first"));
    QVERIFY(dialog.findChild<QLineEdit *>("testFileEdit")->placeholderText().contains("GunPoint_TEST.txt"));

    // The class table against the labels counted in both files: 20% of each class of the
    // training file validates (5 of 24, 5 of 26), the test file's are its own column.
    const QMap<QString, int> trainCounts = ucrLabelCounts(train);
    const QMap<QString, int> testCounts = ucrLabelCounts(dataFile("ucr_gunpoint/GunPoint_TEST.txt"));
    QCOMPARE(trainCounts.size(), 2);
    auto *classes = dialog.findChild<QTableWidget *>("classTable");
    QVERIFY(classes && !classes->isHidden());
    QCOMPARE(classes->rowCount(), 2);
    for (int r = 0; r < classes->rowCount(); ++r) {
        const QString label = classes->item(r, 0)->text();
        QVERIFY2(trainCounts.contains(label), qPrintable(label));
        QCOMPARE(classes->item(r, 1)->text().toInt() + classes->item(r, 2)->text().toInt(),
                 trainCounts.value(label));
        QCOMPARE(classes->item(r, 2)->text().toInt(), 5);
        QCOMPARE(classes->item(r, 3)->text().toInt(), testCounts.value(label));
        QVERIFY(!classes->isColumnHidden(3));
    }

    // The preview: the first rows as the UCR options read them, no header, columns 1..151.
    auto *preview = dialog.findChild<QTableWidget *>("previewTable");
    QVERIFY(preview && !preview->isHidden());
    QCOMPARE(preview->rowCount(), CsvImportDialog::kPreviewRows);
    QCOMPARE(preview->columnCount(), 151);
    QCOMPARE(preview->horizontalHeaderItem(0)->text(), QString("1"));
    QCOMPARE(preview->item(0, 0)->text(), QString("2.0000000e+00"));
    QCOMPARE(preview->verticalHeaderItem(0)->text(), QString("1")); // the file's line number

    // settings(): what the dialog shows is what makeCsvTaskData makes of them; the rest is kept.
    const RunSettings s = dialog.settings();
    QVERIFY(s.task == attn::TaskKind::Csv);
    QCOMPARE(s.dataFile, train);
    QCOMPARE(s.train.seed, initial.train.seed);
    QCOMPARE(s.train.epochs, 3);
    QCOMPARE(s.model.hidden, 17);
    QCOMPARE(s.testDataFile, QString());
    const attn::TaskData data = makeCsvTaskData(s);
    QVERIFY2(dialog.shapeText().startsWith(expectedShape(data, "sequences")), qPrintable(dialog.shapeText()));

    // Choosing the _TEST file by hand keeps the UCR reading (it is the file found anyway).
    dialog.findChild<QLineEdit *>("testFileEdit")->setText(dataFile("ucr_gunpoint/GunPoint_TEST.txt"));
    QVERIFY(dialog.waitForCheck());
    QCOMPARE(dialog.settings().testDataFile, QString());
    QCOMPARE(dialog.errorText(), QString());
    dialog.findChild<QLineEdit *>("testFileEdit")->clear();
    QVERIFY(dialog.waitForCheck());

    screenshot(dialog, "importdialog-gunpoint.png");
}

void TestCsvImportDialog::airlineIsGuessedAsASeriesAndTheWindowSetsT()
{
    const QString path = dataFile("ts_airline_passengers/Airline.csv");
    const RunSettings initial = guessCsvSettings(path, base());
    QCOMPARE(initial.layout, QString("series"));
    QCOMPARE(initial.window, 12); // min(12, 144 / 4)
    QCOMPARE(base().train.explainRows, 0);
    QCOMPARE(initial.train.explainRows, kForecastExplainRows); // a new forecast measures attributions
    RunSettings explainOff = initial; // a forecast opened again keeps the user's choice
    explainOff.train.explainRows = 0;
    QCOMPARE(guessCsvSettings(path, explainOff).train.explainRows, 0);
    QCOMPARE(initial.target, QString()); // Passengers is the last column
    QCOMPARE(initial.train.seed, base().train.seed);
    CsvImportDialog dialog(initial);
    QVERIFY(dialog.waitForCheck());

    QCOMPARE(dialog.errorText(), QString());
    QVERIFY(okButton(dialog)->isEnabled());
    auto *window = dialog.findChild<QSpinBox *>("windowSpin");
    QCOMPARE(window->value(), 12);
    QVERIFY(window->isVisibleTo(&dialog));
    QVERIFY(!dialog.findChild<QSpinBox *>("featuresSpin")->isVisibleTo(&dialog));
    QVERIFY(!dialog.findChild<QComboBox *>("sequenceIdCombo")->isVisibleTo(&dialog));
    QVERIFY(dialog.findChild<QTableWidget *>("classTable")->isHidden());
    QCOMPARE(dialog.findChild<QComboBox *>("layoutCombo")->currentData().toString(), QString("series"));
    QVERIFY2(dialog.shapeText().startsWith(expectedShape(makeCsvTaskData(dialog.settings()), "windows")),
             qPrintable(dialog.shapeText()));
    QVERIFY(dialog.shapeText().contains("T = 12 steps"));
    QVERIFY(dialog.shapeText().contains("regression"));

    auto *preview = dialog.findChild<QTableWidget *>("previewTable");
    QCOMPARE(preview->columnCount(), 2);
    QCOMPARE(preview->horizontalHeaderItem(0)->text(), QString("Date"));
    QCOMPARE(preview->horizontalHeaderItem(1)->text(), QString("Passengers"));
    QCOMPARE(preview->item(0, 1)->text(), QString("112"));
    QCOMPARE(preview->verticalHeaderItem(0)->text(), QString("2")); // line 1 is the header

    screenshot(dialog, "importdialog-airline.png");

    window->setValue(24);
    QVERIFY(dialog.waitForCheck());
    QCOMPARE(dialog.settings().window, 24);
    QVERIFY2(dialog.shapeText().contains("T = 24 steps"), qPrintable(dialog.shapeText()));
    const attn::TaskData data = makeCsvTaskData(dialog.settings());
    QCOMPARE(data.train.size() + data.validation.size(), 144 - 24); // one window per next value
    QVERIFY(dialog.shapeText().startsWith(expectedShape(data, "windows")));
}

void TestCsvImportDialog::melbourneShowsTheDateGaps()
{
    const RunSettings initial =
        guessCsvSettings(dataFile("ts_melbourne_daily_min_temp/daily-min-temperatures.csv"), base());
    QCOMPARE(initial.layout, QString("series"));
    QCOMPARE(initial.window, 12);
    CsvImportDialog dialog(initial);
    QVERIFY(dialog.waitForCheck());
    QCOMPARE(dialog.errorText(), QString());
    attn::CsvTaskInfo info;
    makeCsvTaskData(dialog.settings(), &info);
    QVERIFY(!info.warnings.empty()); // the README: 1984-12-31 and 1988-12-31 are missing
    auto *warnings = dialog.findChild<QLabel *>("csvWarnings");
    QVERIFY(!warnings->isHidden());
    for (const std::string &w : info.warnings)
        QVERIFY2(warnings->text().contains(QString::fromStdString(w)), qPrintable(warnings->text()));
    QCOMPARE(dialog.findChild<QTableWidget *>("previewTable")->horizontalHeaderItem(1)->text(), QString("Temp"));
}

void TestCsvImportDialog::wideFileIsGuessedWideWithTargetLast()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath("wide.csv");
    QByteArray text = "a,b,c,label\n";
    for (int i = 0; i < 10; ++i)
        text += QByteArray::number(i) + ",2,3," + QByteArray::number(i % 2) + "\n";
    QVERIFY(writeFile(path, text));
    const RunSettings initial = guessCsvSettings(path, base());
    QCOMPARE(initial.layout, QString("wide"));
    QCOMPARE(initial.target, QString());
    CsvImportDialog dialog(initial);
    QVERIFY(dialog.waitForCheck());
    // Ten sequences are fewer than one batch of the default 32: usable, with a note that each
    // epoch trains the 8 training sequences as one batch; a smaller batch removes the note.
    QCOMPARE(dialog.errorText(), QString());
    QVERIFY(okButton(dialog)->isEnabled());
    auto *warnings = dialog.findChild<QLabel *>("csvWarnings");
    QVERIFY2(warnings->text().contains("the batch size 32 is more than the 8 training sequences: "
                                       "each epoch trains them as one batch of 8"),
             qPrintable(warnings->text()));
    dialog.findChild<QSpinBox *>("batchSpin")->setValue(4);
    QVERIFY(dialog.waitForCheck());
    QCOMPARE(dialog.errorText(), QString());
    QVERIFY(!warnings->text().contains("batch size"));
    QCOMPARE(dialog.settings().train.batchSize, 4);
    QCOMPARE(dialog.findChild<QComboBox *>("targetCombo")->currentText(), QString("last"));
    QVERIFY(dialog.findChild<QComboBox *>("targetCombo")->findText("label") >= 0); // header names
    QVERIFY(dialog.shapeText().contains("T = 3 steps"));
    QVERIFY(dialog.shapeText().contains("binary"));
    // Choosing a column by its header name: column a (0..9: 10 classes) becomes the target.
    dialog.findChild<QComboBox *>("targetCombo")->setCurrentText("a");
    QVERIFY(dialog.waitForCheck());
    QCOMPARE(dialog.settings().target, QString("a"));
    QVERIFY2(dialog.shapeText().contains("multi-class"), qPrintable(dialog.shapeText() + dialog.errorText()));
}

void TestCsvImportDialog::badCellShowsTheExactErrorAndDisablesOk()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath("bad.csv");
    QByteArray text;
    for (int line = 1; line <= 10; ++line)
        text += line == 3 ? QByteArray("7,abc,9,1\n") : QByteArray::number(line) + ",2,3," + QByteArray::number(line % 2) + "\n";
    QVERIFY(writeFile(path, text));
    CsvImportDialog dialog(guessCsvSettings(path, base()));
    QVERIFY(dialog.waitForCheck());

    const QString expected = caughtError(dialog.settings());
    QVERIFY2(expected.startsWith(path + ":3:2: "), qPrintable(expected));
    QCOMPARE(dialog.errorText(), expected);
    auto *error = dialog.findChild<QLabel *>("csvError");
    QCOMPARE(error->text(), expected);
    QVERIFY(error->isVisibleTo(&dialog));
    QVERIFY(!okButton(dialog)->isEnabled());
    QCOMPARE(dialog.shapeText(), QString());
    QVERIFY(dialog.findChild<QTableWidget *>("classTable")->isHidden());
    // The file parses as CSV, so the preview is the table (the bad cell is in it).
    auto *preview = dialog.findChild<QTableWidget *>("previewTable");
    QVERIFY(!preview->isHidden());
    QCOMPARE(preview->item(2, 1)->text(), QString("abc"));
    QCOMPARE(preview->verticalHeaderItem(2)->text(), QString("3"));
    screenshot(dialog, "importdialog-error.png");
}

void TestCsvImportDialog::anErrorClearsWhenTheOptionsAreFixed()
{
    CsvImportDialog dialog(guessCsvSettings(dataFile("ts_airline_passengers/Airline.csv"), base()));
    QVERIFY(dialog.waitForCheck());
    auto *error = dialog.findChild<QLabel *>("csvError");
    auto *window = dialog.findChild<QSpinBox *>("windowSpin");
    window->setValue(200); // longer than the series: no window at all
    QVERIFY(dialog.waitForCheck());
    const QString expected = caughtError(dialog.settings());
    QVERIFY(!expected.isEmpty());
    QCOMPARE(error->text(), expected);
    QVERIFY(!error->isHidden());
    QVERIFY(!okButton(dialog)->isEnabled());
    window->setValue(6);
    QVERIFY(dialog.waitForCheck());
    QCOMPARE(error->text(), QString());
    QVERIFY(error->isHidden());
    QVERIFY(okButton(dialog)->isEnabled());
    QVERIFY(dialog.shapeText().contains("T = 6 steps"));
}

void TestCsvImportDialog::choosingRegressionOverridesTheDetectedType()
{
    CsvImportDialog dialog(guessCsvSettings(dataFile("ucr_ecg200/ECG200_TRAIN.txt"), base()));
    QVERIFY(dialog.waitForCheck());
    QVERIFY2(dialog.shapeText().contains("binary classification (detected from the target)"),
             qPrintable(dialog.shapeText()));
    auto *classes = dialog.findChild<QTableWidget *>("classTable");
    QCOMPARE(classes->rowCount(), 2);
    QCOMPARE(classes->item(0, 0)->text(), QString("-1")); // ECG200's labels are -1 and 1
    QCOMPARE(classes->item(1, 0)->text(), QString("1"));

    selectData(dialog.findChild<QComboBox *>("taskTypeCombo"), "regression");
    QVERIFY(dialog.waitForCheck());
    QCOMPARE(dialog.settings().taskType, QString("regression"));
    QVERIFY2(dialog.shapeText().contains("regression (chosen)"), qPrintable(dialog.shapeText()));
    QVERIFY(!dialog.shapeText().contains("binary"));
    QVERIFY(classes->isHidden());
    QVERIFY(okButton(dialog)->isEnabled());

    // Standardisation is passed on as chosen.
    auto *standardize = dialog.findChild<QCheckBox *>("standardizeCheck");
    QVERIFY(standardize->isChecked());
    standardize->setChecked(false);
    QVERIFY(dialog.waitForCheck());
    QCOMPARE(dialog.settings().standardize, false);
    QCOMPARE(dialog.errorText(), QString());
}

void TestCsvImportDialog::multivariateAndLongLayoutsUseTheirControls()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    // Wide multivariate: 6 values = T 3 x F 2, then the target.
    const QString wide = dir.filePath("multi.csv");
    QByteArray text;
    for (int i = 0; i < 10; ++i)
        text += "1,2,3,4,5," + QByteArray::number(i) + "," + QByteArray::number(i % 2) + "\n";
    QVERIFY(writeFile(wide, text));
    RunSettings small = base();
    small.train.batchSize = 4;
    CsvImportDialog multi(guessCsvSettings(wide, small));
    QVERIFY(multi.waitForCheck());
    QVERIFY(multi.shapeText().contains("T = 6 steps, F = 1 feature"));
    selectData(multi.findChild<QComboBox *>("layoutCombo"), "wide-multivariate");
    QVERIFY(multi.waitForCheck());
    auto *features = multi.findChild<QSpinBox *>("featuresSpin");
    QVERIFY(features->isVisibleTo(&multi));
    features->setValue(2);
    QVERIFY(multi.waitForCheck());
    QCOMPARE(multi.settings().features, 2);
    QVERIFY2(multi.shapeText().contains("T = 3 steps, F = 2 features"), qPrintable(multi.shapeText()));
    features->setValue(4); // 6 values do not split into steps of 4
    QVERIFY(multi.waitForCheck());
    QCOMPARE(multi.errorText(), caughtError(multi.settings()));
    QVERIFY(!multi.errorText().isEmpty());

    // Long: one step per row, sequences by the id column.
    const QString longPath = dir.filePath("long.csv");
    text = "id,x,y\n";
    for (int s = 0; s < 6; ++s)
        for (int t = 0; t < 4; ++t)
            text += "s" + QByteArray::number(s) + "," + QByteArray::number(t) + "," + QByteArray::number(s % 2) + "\n";
    QVERIFY(writeFile(longPath, text));
    CsvImportDialog longDialog(guessCsvSettings(longPath, small));
    QVERIFY(longDialog.waitForCheck());
    selectData(longDialog.findChild<QComboBox *>("layoutCombo"), "long");
    QVERIFY(longDialog.waitForCheck());
    auto *id = longDialog.findChild<QComboBox *>("sequenceIdCombo");
    QVERIFY(id->isVisibleTo(&longDialog));
    QCOMPARE(id->currentText(), QString("id"));
    QCOMPARE(longDialog.settings().sequenceId, QString("id"));
    QVERIFY2(longDialog.shapeText().contains("T = 4 steps, F = 1 feature"),
             qPrintable(longDialog.shapeText() + longDialog.errorText()));
    QVERIFY(longDialog.shapeText().startsWith(expectedShape(makeCsvTaskData(longDialog.settings()), "sequences")));
}

void TestCsvImportDialog::binaryFileGetsARawPreview()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath("nul.csv");
    QVERIFY(writeFile(path, QByteArray("1,2,3\n4,5,6\n7,8", 15) + QByteArray(1, '\0') + QByteArray("9\r\n")));
    CsvImportDialog dialog(guessCsvSettings(path, base()));
    QVERIFY(dialog.waitForCheck());
    const QString expected = caughtError(dialog.settings());
    QVERIFY(!expected.isEmpty());
    QCOMPARE(dialog.errorText(), expected);
    QCOMPARE(dialog.findChild<QLabel *>("csvError")->text(), expected);
    QVERIFY(!okButton(dialog)->isEnabled());
    auto *raw = dialog.findChild<QPlainTextEdit *>("rawPreview");
    QVERIFY(raw && raw->isVisibleTo(&dialog));
    QVERIFY(!dialog.findChild<QTableWidget *>("previewTable")->isVisibleTo(&dialog));
    QCOMPARE(raw->toPlainText(), QString("1,2,3\n4,5,6\n7,8\\x009\\x0D\n"));
    screenshot(dialog, "importdialog-raw.png");
}

QTEST_MAIN(TestCsvImportDialog)
#include "tst_csvimportdialog.moc"
