// SPDX-License-Identifier: GPL-3.0-or-later
// writeMetricsCsv on the snapshots of a real short run: one row per epoch with the run's own
// numbers, and a path that cannot be written gives a message naming it.
#include "app/session/metricscsv.h"
#include "app/session/runsettings.h"
#include "tests/fullfilesystem.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <cerrno>
#include <cmath>
#include <cstring>

class TestMetricsCsv : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void metricsCsvHasOneRowPerEpoch();
    void badPathsGiveAMessage();
    void fullDiskKeepsTheOldFile();

private:
    std::vector<attn::EpochSnapshot> m_history;
    QTemporaryDir m_dir;
};

void TestMetricsCsv::initTestCase()
{
    RunSettings s = RunSettings::defaults(attn::TaskKind::Max);
    s.model.hidden = 16;
    s.model.attentionUnits = 16;
    s.train.epochs = 4;
    s.size = {1024, 128};
    auto trainer = makeTrainer(s);
    m_history.push_back(trainer->evaluateSnapshot());
    while (!trainer->finished())
        m_history.push_back(*trainer->trainEpoch());
    QCOMPARE(int(m_history.size()), 5);
    QVERIFY(m_dir.isValid());
}

void TestMetricsCsv::metricsCsvHasOneRowPerEpoch()
{
    const QString path = m_dir.filePath("metrics.csv");
    QString error;
    QVERIFY2(writeMetricsCsv(m_history, path, &error), qPrintable(error));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly | QIODevice::Text));
    const QStringList lines = QString::fromUtf8(file.readAll()).split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 6);
    QCOMPARE(lines[0], QStringLiteral("epoch,seconds,train_loss,val_loss,metric_name,metric,"
                                      "alignment,samples_per_second"));
    for (int epoch = 0; epoch <= 4; ++epoch) {
        const QStringList cells = lines[epoch + 1].split(',');
        QCOMPARE(cells.size(), 8);
        QCOMPARE(cells[0].toInt(), epoch);
        QCOMPARE(cells[4], QStringLiteral("mae"));
        // 9 significant digits are written: equal to 1e-8 relative.
        const auto &s = m_history[std::size_t(epoch)];
        QVERIFY(std::abs(cells[3].toDouble() - s.valLoss) <= 1e-8 * std::abs(s.valLoss));
        QVERIFY(std::abs(cells[6].toDouble() - *s.alignment) <= 1e-8);
    }
}

void TestMetricsCsv::badPathsGiveAMessage()
{
    const QString csv = m_dir.filePath("no/such/dir/metrics.csv");
    QString error;
    QVERIFY(!writeMetricsCsv(m_history, csv, &error));
    QVERIFY2(error.startsWith(csv + ": "), qPrintable(error));
    QVERIFY(!QFile::exists(csv));
}

void TestMetricsCsv::fullDiskKeepsTheOldFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath("metrics.csv");
    QString error;
    QVERIFY2(writeMetricsCsv({m_history.front()}, path, &error), qPrintable(error));
    const QByteArray old = attn::test::fileBytes(path);
    {
        // Room for less than the new file (real write failure, EFBIG, as on a full disk).
        attn::test::FileSizeLimit limit(std::size_t(old.size()) + 64);
        QVERIFY(limit.active());
        QVERIFY(!writeMetricsCsv(m_history, path, &error));
    }
    QCOMPARE(error, path + ": cannot write the file: " + QString::fromUtf8(std::strerror(EFBIG)));
    QCOMPARE(attn::test::fileBytes(path), old);
    QCOMPARE(attn::test::entriesOf(dir.path()), QStringList{"metrics.csv"});
}

QTEST_MAIN(TestMetricsCsv)
#include "tst_metricscsv.moc"
