// SPDX-License-Identifier: GPL-3.0-or-later
// writeAttributionCsv on a real short run with explainRows (add: every value read back equal to
// the snapshots, shares summing to 1 per row and method, ground truth at the two numbers), the
// feature task's header, and a run without --explain refused with no file written.
#include "app/session/attributioncsv.h"
#include "app/session/runsettings.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <charconv>
#include <cmath>
#include <limits>
#include <map>

namespace {

std::vector<attn::EpochSnapshot> shortRun(attn::TaskKind task, int explainRows)
{
    RunSettings s = RunSettings::defaults(task);
    s.model.hidden = 16;
    s.model.attentionUnits = 16;
    s.train.epochs = 1;
    s.train.explainRows = explainRows;
    s.size = {512, 64};
    auto trainer = makeTrainer(s);
    std::vector<attn::EpochSnapshot> history{trainer->evaluateSnapshot()};
    while (!trainer->finished())
        history.push_back(*trainer->trainEpoch());
    return history;
}

QStringList readLines(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return {};
    return QString::fromUtf8(file.readAll()).split('\n', Qt::SkipEmptyParts);
}

float cellFloat(const QString &cell)
{
    const QByteArray text = cell.toUtf8();
    float v = std::numeric_limits<float>::quiet_NaN();
    const auto read = std::from_chars(text.data(), text.data() + text.size(), v);
    return read.ptr == text.data() + text.size() && read.ec == std::errc()
               ? v
               : std::numeric_limits<float>::quiet_NaN();
}

} // namespace

class TestAttributionCsv : public QObject {
    Q_OBJECT
private slots:
    void addValuesReadBack();
    void featureHeader();
    void refusesARunWithoutAttributions();
};

void TestAttributionCsv::addValuesReadBack()
{
    const auto history = shortRun(attn::TaskKind::Add, 16);
    QTemporaryDir dir;
    const QString path = dir.filePath("attributions_epochs.csv");
    QString error;
    QVERIFY2(writeAttributionCsv(history, attn::TaskKind::Add, path, &error), qPrintable(error));
    const QStringList lines = readLines(path);
    QCOMPARE(lines.first(), QString("epoch,probe_row,method,step,value,share,ground_truth"));
    const int P = history.back().attention.rows, T = 20, methods = 5;
    QCOMPARE(P, 10);
    QCOMPARE(lines.size(), 1 + 2 * P * methods * T); // epochs 0 and 1
    std::map<std::pair<int, QString>, double> shareSums; // (epoch * 100 + row, method) -> sum
    const QStringList names = attributionMethodNames();
    for (int i = 1; i < lines.size(); ++i) {
        const QStringList cells = lines[i].split(',');
        QCOMPARE(cells.size(), 7);
        const int epoch = cells[0].toInt(), row = cells[1].toInt() - 1, step = cells[3].toInt() - 1;
        const attn::EpochSnapshot &s = history[std::size_t(epoch)];
        QCOMPARE(s.epoch, epoch);
        const attn::FaithfulnessSummary &f = *s.faithfulness;
        const attn::Grid *grids[] = {&s.attention, &f.probeGradient, &f.probeInputXGradient,
                                     &f.probeLeaveOneOut, &f.probeIntegratedGradients};
        const int m = int(names.indexOf(cells[2]));
        QVERIFY(m >= 0);
        QCOMPARE(cellFloat(cells[4]), grids[m]->at(row, step)); // shortest round-trip text
        QVERIFY(cellFloat(cells[5]) >= 0 && cellFloat(cells[5]) <= 1);
        shareSums[{epoch * 100 + row, cells[2]}] += double(cellFloat(cells[5]));
        // add's probe rows: the numbers at steps 4 and 9 (0-based).
        QCOMPARE(cellFloat(cells[6]), (step == 4 || step == 9) ? 1.0f : 0.0f);
    }
    QCOMPARE(int(shareSums.size()), 2 * P * methods);
    for (const auto &[key, sum] : shareSums)
        QVERIFY2(std::abs(sum - 1.0) < 1e-4, qPrintable(key.second));
}

void TestAttributionCsv::featureHeader()
{
    const auto history = shortRun(attn::TaskKind::Feature, 8);
    QTemporaryDir dir;
    const QString path = dir.filePath("a.csv");
    QString error;
    QVERIFY2(writeAttributionCsv(history, attn::TaskKind::Feature, path, &error), qPrintable(error));
    const QStringList lines = readLines(path);
    QCOMPARE(lines.first(), QString("epoch,probe_row,method,feature,value,share,ground_truth"));
    const attn::Grid &a = history.back().attention;
    QCOMPARE(lines.size(), 1 + 2 * a.rows * 5 * a.cols);
}

void TestAttributionCsv::refusesARunWithoutAttributions()
{
    const auto history = shortRun(attn::TaskKind::Max, 0);
    QTemporaryDir dir;
    const QString path = dir.filePath("a.csv");
    QString error;
    QVERIFY(!writeAttributionCsv(history, attn::TaskKind::Max, path, &error));
    QVERIFY2(error.startsWith(path + ": ") && error.contains("--explain"), qPrintable(error));
    QVERIFY(!QFile::exists(path));
}

QTEST_GUILESS_MAIN(TestAttributionCsv)
#include "tst_attributioncsv.moc"
