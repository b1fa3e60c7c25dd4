// SPDX-License-Identifier: GPL-3.0-or-later
// writeAttentionCsv on real short runs (max: weights, ground truth and inputs read back equal to
// the snapshots; feature: the `feature` header; the no-attention baseline: an error) and on
// hand-made sentiment snapshots (words quoted per RFC 4180, no ground truth column values).
#include "app/session/attentioncsv.h"
#include "app/session/runsettings.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <bit>
#include <charconv>
#include <limits>

namespace {

std::vector<attn::EpochSnapshot> shortRun(attn::TaskKind task, attn::AttentionKind attention, int epochs)
{
    RunSettings s = RunSettings::defaults(task);
    s.model.attention = attention;
    s.model.hidden = 16;
    s.model.attentionUnits = 16;
    s.train.epochs = epochs;
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

/// The float a cell holds, read exactly (NaN for a cell that is not a number).
float cellFloat(const QString &cell)
{
    const QByteArray text = cell.toUtf8();
    float v = std::numeric_limits<float>::quiet_NaN();
    const auto read = std::from_chars(text.data(), text.data() + text.size(), v);
    return read.ptr == text.data() + text.size() && read.ec == std::errc() ? v
                                                                          : std::numeric_limits<float>::quiet_NaN();
}

/// Exact equality (QCOMPARE on floats is fuzzy), NaN equal to NaN.
bool sameFloat(float a, float b)
{
    return std::bit_cast<quint32>(a) == std::bit_cast<quint32>(b);
}

} // namespace

class TestAttentionCsv : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void maxRunHasOneLinePerEpochRowAndStep();
    void featureRunSaysFeature();
    void wordsAreQuotedWhenNeeded();
    void baselineRunHasNoAttention();
    void badPathGivesAMessage();

private:
    QTemporaryDir m_dir;
};

void TestAttentionCsv::initTestCase()
{
    QVERIFY(m_dir.isValid());
}

void TestAttentionCsv::maxRunHasOneLinePerEpochRowAndStep()
{
    const std::vector<attn::EpochSnapshot> history =
        shortRun(attn::TaskKind::Max, attn::AttentionKind::Luong, 2);
    const QString path = m_dir.filePath("max.csv");
    QString error;
    QVERIFY2(writeAttentionCsv(history, attn::TaskKind::Max, path, &error), qPrintable(error));
    const QStringList lines = readLines(path);
    const int R = history[0].attention.rows, T = history[0].attention.cols;
    QCOMPARE(T, 10);
    QVERIFY(R > 0);
    QCOMPARE(lines.size(), int(history.size()) * R * T + 1);
    QCOMPARE(lines[0], QStringLiteral("epoch,probe_row,step,weight,ground_truth,input"));
    int line = 1;
    for (const attn::EpochSnapshot &s : history) {
        QVERIFY(!s.groundTruth.empty());
        QVERIFY(!s.probeInputs.empty());
        for (int r = 0; r < R; ++r)
            for (int t = 0; t < T; ++t, ++line) {
                const QStringList cells = lines[line].split(',');
                QCOMPARE(cells.size(), 6);
                QCOMPARE(cells[0].toInt(), s.epoch);
                QCOMPARE(cells[1].toInt(), r + 1);
                QCOMPARE(cells[2].toInt(), t + 1);
                QVERIFY(sameFloat(cellFloat(cells[3]), s.attention.at(r, t)));
                QVERIFY(sameFloat(cellFloat(cells[4]), s.groundTruth.at(r, t)));
                QVERIFY(sameFloat(cellFloat(cells[5]), s.probeInputs.at(r, t)));
            }
    }
    // The ground truth of the max task is one-hot at the argmax of the inputs.
    const QStringList first = lines[1].split(',');
    QVERIFY(first[4] == "0" || first[4] == "1");
}

void TestAttentionCsv::featureRunSaysFeature()
{
    const std::vector<attn::EpochSnapshot> history =
        shortRun(attn::TaskKind::Feature, attn::AttentionKind::Feature, 1);
    const QString path = m_dir.filePath("feature.csv");
    QString error;
    QVERIFY2(writeAttentionCsv(history, attn::TaskKind::Feature, path, &error), qPrintable(error));
    const QStringList lines = readLines(path);
    QCOMPARE(lines[0], QStringLiteral("epoch,probe_row,feature,weight,ground_truth,input"));
    const attn::Grid &a = history.back().attention;
    QCOMPARE(a.cols, 32);
    QCOMPARE(lines.size(), int(history.size()) * a.rows * a.cols + 1);
    const QStringList last = lines.last().split(',');
    QCOMPARE(last[1].toInt(), a.rows);
    QCOMPARE(last[2].toInt(), 32);
    QVERIFY(sameFloat(cellFloat(last[3]), a.at(a.rows - 1, 31)));
    QVERIFY(sameFloat(cellFloat(last[5]), history.back().probeInputs.at(a.rows - 1, 31)));
}

void TestAttentionCsv::wordsAreQuotedWhenNeeded()
{
    attn::EpochSnapshot baseline; // an epoch without attention gives no lines
    baseline.epoch = 0;
    attn::EpochSnapshot s;
    s.epoch = 3;
    s.attention = attn::Grid{2, 3, {0.5f, 0.25f, 0.25f, 0.1f, 0.7f, 0.2f}};
    s.probeInputs = attn::Grid{2, 3, {4, 9, 0, 12, 1, 2}}; // token ids: the words are written
    s.probeTokens = {{"great", "food, ok", ""}, {"say \"hi\"", "line\nbreak", "x"}};
    const QString path = m_dir.filePath("sentiment.csv");
    QString error;
    QVERIFY2(writeAttentionCsv({baseline, s}, attn::TaskKind::Sentiment, path, &error), qPrintable(error));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(QString::fromUtf8(file.readAll()),
             QStringLiteral("epoch,probe_row,step,weight,ground_truth,input\n"
                            "3,1,1,0.5,,great\n"
                            "3,1,2,0.25,,\"food, ok\"\n"
                            "3,1,3,0.25,,\n"
                            "3,2,1,0.1,,\"say \"\"hi\"\"\"\n"
                            "3,2,2,0.7,,\"line\nbreak\"\n"
                            "3,2,3,0.2,,x\n"));
}

void TestAttentionCsv::baselineRunHasNoAttention()
{
    const std::vector<attn::EpochSnapshot> history =
        shortRun(attn::TaskKind::Max, attn::AttentionKind::None, 1);
    QVERIFY(history.back().attention.empty());
    const QString path = m_dir.filePath("baseline.csv");
    QString error;
    QVERIFY(!writeAttentionCsv(history, attn::TaskKind::Max, path, &error));
    QCOMPARE(error, path + ": the run has no attention weights (no-attention baseline)");
    QVERIFY(!QFile::exists(path));
    QVERIFY(!writeAttentionCsv({}, attn::TaskKind::Max, path, &error));
    QCOMPARE(error, path + ": the run has no attention weights (no-attention baseline)");
}

void TestAttentionCsv::badPathGivesAMessage()
{
    attn::EpochSnapshot s;
    s.attention = attn::Grid{1, 2, {0.5f, 0.5f}};
    const QString path = m_dir.filePath("no/such/dir/attention.csv");
    QString error;
    QVERIFY(!writeAttentionCsv({s}, attn::TaskKind::Add, path, &error));
    QVERIFY2(error.startsWith(path + ": "), qPrintable(error));
    QVERIFY(!QFile::exists(path));
}

QTEST_MAIN(TestAttentionCsv)
#include "tst_attentioncsv.moc"
