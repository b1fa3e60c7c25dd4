// SPDX-License-Identifier: GPL-3.0-or-later
// CompareWindow on the offscreen platform: the task's mechanisms as checkboxes, a tiny real
// compare in the worker thread whose table fills run by run and matches summarize() of the
// results, CSV and PNG export, stop between batches, a failing run reported in the window, the
// metric named from the task as the command line names it (a CSV classification file: accuracy,
// max), and the choices persisting per task (QSettings in a temporary directory).
#include "app/gui/comparewindow.h"

#include "core/train/compare.h"
#include "widgets/comparecurvesview.h"
#include "tests/settingsisolation.h"

#include <QApplication>
#include <QCheckBox>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QSettings>
#include <QProgressBar>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using attn::AttentionKind;

namespace {

// The max task at a toy size: H = 8, 512 training samples, 2 epochs, seeds from 5.
RunSettings tinyMax()
{
    RunSettings s = RunSettings::defaults(attn::TaskKind::Max);
    s.model.hidden = 8;
    s.model.attentionUnits = 8;
    s.size = {512, 128};
    s.train.epochs = 2;
    s.train.seed = 5;
    return s;
}

// Qt Test cannot print attn::AttentionKind: compare names instead.
QString names(const std::vector<AttentionKind> &kinds)
{
    QStringList out;
    for (AttentionKind k : kinds)
        out << QString::fromStdString(attn::toString(k));
    return out.join(',');
}

QStringList column(const QTableWidget *table, int c)
{
    QStringList out;
    for (int r = 0; r < table->rowCount(); ++r)
        out << (table->item(r, c) ? table->item(r, c)->text() : QString());
    return out;
}

} // namespace

class TestCompareWindow : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void offersTheTasksMechanisms();
    void tinyCompareFillsTheTableAndExports();
    void stopEndsTheCompareBetweenBatches();
    void reportsAFailedRun();
    void refusesToStartWithoutMechanisms();
    void namesTheMetricFromTheTask();
    void choicesPersistPerTask();

private:
    QTemporaryDir m_config;
};

void TestCompareWindow::initTestCase()
{
    QVERIFY(m_config.isValid());
    testsupport::isolateSettings(m_config, "tst_comparewindow");
}

void TestCompareWindow::offersTheTasksMechanisms()
{
    CompareWindow max(RunSettings::defaults(attn::TaskKind::Max));
    QCOMPARE(max.findChildren<QCheckBox *>().size(), int(attn::applicableAttention(attn::TaskKind::Max).size()));
    // The published mechanism and the baseline are checked to begin with.
    QCOMPARE(names(max.checkedMechanisms()), QString("luong,none"));
    QCOMPARE(max.runs(), 10);

    CompareWindow feature(RunSettings::defaults(attn::TaskKind::Feature));
    QCOMPARE(feature.findChildren<QCheckBox *>().size(), 2);
    feature.setCheckedMechanisms({AttentionKind::None, AttentionKind::Luong}); // luong does not apply
    QCOMPARE(names(feature.checkedMechanisms()), QString("none"));
}

void TestCompareWindow::tinyCompareFillsTheTableAndExports()
{
    // One run at a time, so that runs finish (and the table fills) in grid order; in parallel
    // they finish in any order and the results are the same (tst_compare, tst_comparerunner).
    RunSettings sequential = tinyMax();
    sequential.threads = 1;
    CompareWindow window(sequential);
    window.show();
    window.setCheckedMechanisms({AttentionKind::None, AttentionKind::Bahdanau});
    window.setRuns(2);
    QStringList runsSeen; // the table's runs column after every finished run
    connect(&window, &CompareWindow::resultsChanged, this,
            [&] { runsSeen << column(window.table(), 1).join(' '); });
    QSignalSpy ended(&window, &CompareWindow::compareEnded);
    QVERIFY(window.start());
    QVERIFY(window.isRunning());
    QVERIFY(!window.start()); // one compare at a time
    QVERIFY(ended.wait(240000));
    QCOMPARE(ended.first().first().toBool(), false);
    QVERIFY(!window.isRunning());

    // Mechanisms in the task's order (bahdanau before none), seed-major runs.
    QCOMPARE(runsSeen, (QStringList{"1 0", "1 1", "2 1", "2 2"}));
    const auto &results = window.results();
    QCOMPARE(results.size(), std::size_t(4));
    const std::uint64_t seeds[] = {5, 5, 6, 6};
    for (int i = 0; i < 4; ++i) {
        QCOMPARE(names({results[std::size_t(i)].mechanism}), QString(i % 2 ? "none" : "bahdanau"));
        QCOMPARE(results[std::size_t(i)].seed, seeds[i]);
    }
    const std::vector<attn::CompareRow> rows = attn::summarize(results, false);
    QCOMPARE(column(window.table(), 0), (QStringList{"bahdanau", "none"}));
    QCOMPARE(window.table()->horizontalHeaderItem(2)->text(), QString("min")); // MAE: lower is better
    for (int r = 0; r < 2; ++r) {
        QCOMPARE(window.table()->item(r, 2)->text(), QString::number(rows[std::size_t(r)].best, 'f', 4));
        QCOMPARE(window.table()->item(r, 3)->text(), QString::number(rows[std::size_t(r)].mean, 'f', 4));
        QCOMPARE(window.table()->item(r, 4)->text(), QString::number(rows[std::size_t(r)].std, 'f', 4));
        QCOMPARE(window.table()->item(r, 5)->text(), QLocale().toString(rows[std::size_t(r)].parameters));
    }
    QCOMPARE(window.curves()->runCount(), 4);
    QCOMPARE(window.curves()->mechanisms(), (QStringList{"bahdanau", "none"}));
    QCOMPARE(window.progressBar()->value(), window.progressBar()->maximum());
    QVERIFY2(window.statusText().startsWith("Finished: 4 runs"), qPrintable(window.statusText()));

    QTemporaryDir dir;
    QString error;
    QVERIFY2(window.exportCsv(dir.filePath("compare.csv"), &error), qPrintable(error));
    QFile csv(dir.filePath("compare.csv"));
    QVERIFY(csv.open(QIODevice::ReadOnly | QIODevice::Text));
    const QList<QByteArray> lines = csv.readAll().trimmed().split('\n');
    QCOMPARE(lines.size(), 3);
    QCOMPARE(lines[0], QByteArray("mechanism,runs,min,mean,std,parameters"));
    for (int r = 0; r < 2; ++r) {
        const QList<QByteArray> cells = lines[r + 1].split(',');
        QCOMPARE(cells[0], QByteArray(r == 0 ? "bahdanau" : "none"));
        QCOMPARE(cells[1], QByteArray("2"));
        QCOMPARE(cells[2].toDouble(), rows[std::size_t(r)].best); // exact: shortest round-trip form
        QCOMPARE(cells[3].toDouble(), rows[std::size_t(r)].mean);
        QCOMPARE(cells[4].toDouble(), rows[std::size_t(r)].std);
        QCOMPARE(cells[5].toLongLong(), rows[std::size_t(r)].parameters);
    }
    QVERIFY(!window.exportCsv(dir.filePath("no/such/dir/compare.csv"), &error));
    QVERIFY2(error.startsWith(dir.filePath("no/such/dir/compare.csv") + ": "), qPrintable(error));

    QVERIFY(window.exportPng(dir.filePath("compare.png"), QSize(640, 360), 1.5, &error));
    const QImage png(dir.filePath("compare.png"));
    QCOMPARE(png.size(), QSize(960, 540));
}

void TestCompareWindow::stopEndsTheCompareBetweenBatches()
{
    RunSettings slow = tinyMax();
    slow.size = {20000, 128};
    slow.train.epochs = 1000; // minutes per run: only a stop ends it within the wait below
    CompareWindow window(slow);
    window.setRuns(3);
    QSignalSpy ended(&window, &CompareWindow::compareEnded);
    QVERIFY(window.start());
    QTRY_VERIFY_WITH_TIMEOUT(window.progressBar()->value() > 0, 60000); // inside the first run
    window.stop();
    QVERIFY(ended.wait(60000));
    QCOMPARE(ended.first().first().toBool(), true);
    QVERIFY(window.results().empty());
    QCOMPARE(window.statusText(), QString("Stopped after 0 runs"));
    QVERIFY(!window.isRunning());
    QVERIFY(window.start()); // and it can start again; the destructor stops it
}

void TestCompareWindow::reportsAFailedRun()
{
    RunSettings bad = tinyMax();
    bad.model.heads = 3; // does not divide H = 8: self-attention cannot be built
    CompareWindow window(bad);
    window.setCheckedMechanisms({AttentionKind::SelfAttention});
    QSignalSpy ended(&window, &CompareWindow::compareEnded);
    QVERIFY(window.start());
    QVERIFY(ended.wait(60000));
    QCOMPARE(ended.first().first().toBool(), true);
    QVERIFY2(window.statusText().startsWith("Failed: ") && window.statusText().contains("divisible"),
             qPrintable(window.statusText()));
    QString error;
    QVERIFY(!window.exportCsv("unused.csv", &error));
    QCOMPARE(error, QString("unused.csv: no finished run to export yet"));
}

void TestCompareWindow::refusesToStartWithoutMechanisms()
{
    CompareWindow window(tinyMax());
    window.setCheckedMechanisms({});
    QVERIFY(!window.start());
    QCOMPARE(window.statusText(), QString("Check at least one mechanism."));
    QVERIFY(!window.isRunning());
}

void TestCompareWindow::namesTheMetricFromTheTask()
{
    // GunPoint is a two-class file: accuracy, higher is better, as the command line says.
    RunSettings csv = RunSettings::defaults(attn::TaskKind::Csv);
    csv.dataFile = QStringLiteral(ATTN_RESOURCE_DATA "/ucr_gunpoint/GunPoint_TRAIN.txt");
    CompareWindow gunPoint(csv);
    QCOMPARE(gunPoint.table()->horizontalHeaderItem(2)->text(), QString("max"));
    QString caption;
    for (QLabel *label : gunPoint.findChildren<QLabel *>())
        if (label->text().startsWith("Best validation"))
            caption = label->text();
    QVERIFY2(caption.startsWith("Best validation accuracy (%) of each run over its epochs sized "
                                "to the data (early stopping); max,"),
             qPrintable(caption));
    // A regression task: MAE, lower is better.
    CompareWindow add(RunSettings::defaults(attn::TaskKind::Add));
    QCOMPARE(add.table()->horizontalHeaderItem(2)->text(), QString("min"));
}

void TestCompareWindow::choicesPersistPerTask()
{
    QSettings().remove("compare");
    {
        CompareWindow window(tinyMax());
        window.setRuns(4);
        window.setCheckedMechanisms({AttentionKind::Bahdanau, AttentionKind::Local});
    }
    CompareWindow again(tinyMax());
    QCOMPARE(again.runs(), 4);
    QCOMPARE(names(again.checkedMechanisms()), QString("bahdanau,local"));
    // Another task keeps its own (here: the defaults).
    CompareWindow add(RunSettings::defaults(attn::TaskKind::Add));
    QCOMPARE(add.runs(), 10);
    QCOMPARE(names(add.checkedMechanisms()), names({attn::taskDefaults(attn::TaskKind::Add).model.attention,
                                                    AttentionKind::None}));
}

QTEST_MAIN(TestCompareWindow)
#include "tst_comparewindow.moc"
