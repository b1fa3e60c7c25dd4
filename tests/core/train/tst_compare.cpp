// SPDX-License-Identifier: GPL-3.0-or-later
// Compare mode (core/train/compare.h): the best-metric rule, the per-mechanism statistics on hand-made
// runs (exact max/min, mean and sample std), the grid order and seeds, the table formats, the
// mechanism list parser's messages, shards. Real training: tst_compareruns; the command line
// (`--headless --compare ... --runs N`): tst_comparerunner.
#include "core/train/compare.h"
#include "tests/comparenames.h"

#include <QTest>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

using namespace attn;
using namespace comparetest;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::vector<EpochSnapshot> historyOf(const std::vector<double> &metrics, const std::string &name)
{
    std::vector<EpochSnapshot> h;
    for (std::size_t i = 0; i < metrics.size(); ++i) {
        EpochSnapshot s;
        s.epoch = int(i) + 1;
        s.totalEpochs = int(metrics.size());
        s.metric = metrics[i];
        s.metricName = name;
        h.push_back(s);
    }
    return h;
}

CompareRun handRun(AttentionKind mechanism, double best, long long parameters)
{
    CompareRun r;
    r.mechanism = mechanism;
    r.bestMetric = best;
    r.parameters = parameters;
    return r;
}

} // namespace

class TestCompare : public QObject {
    Q_OBJECT
private slots:
    void bestMetricIsMaxAccuracyOrMinMae();
    void summarizeGivesExactStatistics();
    void summarizeSingleRunAndNaN();
    void gridIsSeedMajorWithSharedSeeds();
    void tablesAsMarkdownAndCsv();
    void parsesMechanismLists();
    void rejectsBadMechanismLists_data();
    void rejectsBadMechanismLists();
    void shardsSliceTheGrid();
    void rejectsBadShards_data();
    void rejectsBadShards();
};

void TestCompare::bestMetricIsMaxAccuracyOrMinMae()
{
    QVERIFY(higherIsBetter("accuracy"));
    QVERIFY(!higherIsBetter("mae"));

    const auto acc = historyOf({0.5, 0.8, 0.8, 0.7}, "accuracy");
    QCOMPARE(bestMetric(acc, true), std::make_pair(0.8, 2)); // the first epoch wins a tie
    QCOMPARE(bestMetric(acc, false), std::make_pair(0.5, 1));
    const auto mae = historyOf({0.3, kNaN, 0.1, 0.2}, "mae");
    QCOMPARE(bestMetric(mae, false), std::make_pair(0.1, 3));
    QCOMPARE(bestMetric(historyOf({kNaN, 0.4}, "mae"), false), std::make_pair(0.4, 2));
    const auto allNaN = bestMetric(historyOf({kNaN, kNaN}, "accuracy"), true);
    QVERIFY(std::isnan(allNaN.first));
    QCOMPARE(allNaN.second, 0);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, bestMetric({}, true));
}

void TestCompare::summarizeGivesExactStatistics()
{
    // Runs interleaved as runCompare produces them; values exact in binary.
    const std::vector<CompareRun> runs = {
        handRun(AttentionKind::Luong, 0.75, 1000), handRun(AttentionKind::None, 0.5, 990),
        handRun(AttentionKind::Luong, 1.0, 1000),  handRun(AttentionKind::None, 0.625, 990),
        handRun(AttentionKind::Luong, 0.875, 1000),
    };
    const std::vector<CompareRow> up = summarize(runs, true);
    QCOMPARE(up.size(), std::size_t(2));
    QCOMPARE(name(up[0].mechanism), QString("luong")); // order of first appearance
    QCOMPARE(up[0].runs, 3);
    QCOMPARE(up[0].best, 1.0);
    QCOMPARE(up[0].mean, 0.875);
    // Sample std: sqrt((0.125^2 + 0.125^2 + 0) / (3 - 1)) = 0.125 (population std would be 0.102).
    QCOMPARE(up[0].std, 0.125);
    QCOMPARE(up[0].parameters, 1000LL);
    QCOMPARE(name(up[1].mechanism), QString("none"));
    QCOMPARE(up[1].runs, 2);
    QCOMPARE(up[1].best, 0.625);
    QCOMPARE(up[1].mean, 0.5625);
    QCOMPARE(up[1].std, std::sqrt(2 * 0.0625 * 0.0625)); // sqrt((0.0625^2 * 2) / 1)
    QCOMPARE(up[1].parameters, 990LL);

    const std::vector<CompareRow> down = summarize(runs, false); // MAE: the best run is the lowest
    QCOMPARE(down[0].best, 0.75);
    QCOMPARE(down[1].best, 0.5);
    QCOMPARE(down[0].mean, 0.875);
    QVERIFY(summarize({}, true).empty());
}

void TestCompare::summarizeSingleRunAndNaN()
{
    const auto one = summarize({handRun(AttentionKind::Bahdanau, 0.9, 7)}, true);
    QCOMPARE(one.size(), std::size_t(1));
    QCOMPARE(one[0].best, 0.9);
    QCOMPARE(one[0].mean, 0.9);
    QVERIFY(std::isnan(one[0].std)); // sample std of one value is undefined

    const auto diverged =
        summarize({handRun(AttentionKind::Local, 0.25, 7), handRun(AttentionKind::Local, kNaN, 7)}, false);
    QCOMPARE(diverged[0].best, 0.25); // the NaN run is not the best
    QVERIFY(std::isnan(diverged[0].mean));
    QVERIFY(std::isnan(diverged[0].std));
}

void TestCompare::gridIsSeedMajorWithSharedSeeds()
{
    CompareGrid grid{{AttentionKind::Luong, AttentionKind::Bahdanau, AttentionKind::None}, 2, 40};
    QCOMPARE(grid.size(), 6);
    const std::pair<AttentionKind, int> expected[] = {
        {AttentionKind::Luong, 0}, {AttentionKind::Bahdanau, 0}, {AttentionKind::None, 0},
        {AttentionKind::Luong, 1}, {AttentionKind::Bahdanau, 1}, {AttentionKind::None, 1}};
    for (int id = 0; id < 6; ++id)
        QCOMPARE(cellName(grid.cell(id)), cellName(expected[id]));
    QCOMPARE(grid.seed(0), std::uint64_t(40));
    QCOMPARE(grid.seed(1), std::uint64_t(41));
    QVERIFY_THROWS_EXCEPTION(std::out_of_range, grid.cell(6));
    QVERIFY_THROWS_EXCEPTION(std::out_of_range, grid.cell(-1));
}

void TestCompare::tablesAsMarkdownAndCsv()
{
    std::vector<CompareRow> rows = {{AttentionKind::FeedForward, 10, 0.8125, 0.8015, 0.0125, 123456},
                                    {AttentionKind::None, 1, 0.77, 0.77, kNaN, 120001}};
    QCOMPARE(compareTableMarkdown(rows, "accuracy"),
             std::string("| mechanism | runs | max | mean | std | parameters |\n"
                         "|---|---:|---:|---:|---:|---:|\n"
                         "| feed-forward | 10 | 81.25 | 80.15 | 1.25 | 123456 |\n"
                         "| none | 1 | 77.00 | 77.00 | n/a | 120001 |\n"));
    QCOMPARE(compareTableCsv(rows, "accuracy"),
             std::string("mechanism,runs,max,mean,std,parameters\n"
                         "feed-forward,10,0.8125,0.8015,0.0125,123456\n"
                         "none,1,0.77,0.77,,120001\n"));
    rows = {{AttentionKind::Luong, 2, 0.03125, 0.0390625, 0.011048543456039806, 50000}};
    QCOMPARE(compareTableMarkdown(rows, "mae"),
             std::string("| mechanism | runs | min | mean | std | parameters |\n"
                         "|---|---:|---:|---:|---:|---:|\n"
                         "| luong | 2 | 0.0312 | 0.0391 | 0.0110 | 50000 |\n"));
    QCOMPARE(compareTableCsv(rows, "mae"),
             std::string("mechanism,runs,min,mean,std,parameters\n"
                         "luong,2,0.03125,0.0390625,0.011048543456039806,50000\n"));
}

void TestCompare::parsesMechanismLists()
{
    QCOMPARE(names(parseMechanismList("luong,bahdanau,none", TaskKind::Max)),
             QString("luong,bahdanau,none"));
    QCOMPARE(names(parseMechanismList(" none , feed-forward,", TaskKind::Sentiment)),
             QString("none,feed-forward"));
    QCOMPARE(names(parseMechanismList("feature,none", TaskKind::Feature)), QString("feature,none"));
}

void TestCompare::rejectsBadMechanismLists_data()
{
    QTest::addColumn<QString>("list");
    QTest::addColumn<int>("task");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown") << "luong,cosine,none,dot" << int(TaskKind::Max)
                             << "unknown mechanisms 'cosine', 'dot' (expected luong, luong-dot, "
                                "bahdanau, feed-forward, local, local-m, self, transformer, feature, none, plain)";
    QTest::newRow("not applicable") << "luong,feature" << int(TaskKind::Add)
                                    << "'feature' does not apply to the task add (it takes bahdanau, "
                                       "feed-forward, luong, luong-dot, local, local-m, self, transformer, plain, none)";
    QTest::newRow("sequence on feature") << "luong,self,none" << int(TaskKind::Feature)
                                         << "'luong', 'self' do not apply to the task feature (it "
                                            "takes feature, none)";
    QTest::newRow("twice") << "none,luong,none" << int(TaskKind::Max) << "'none' is listed twice";
    QTest::newRow("twice each") << "luong,none,luong,none" << int(TaskKind::Max)
                                << "'luong', 'none' are listed twice";
    QTest::newRow("empty") << " , " << int(TaskKind::Max) << "no mechanism given";
}

void TestCompare::rejectsBadMechanismLists()
{
    QFETCH(QString, list);
    QFETCH(int, task);
    QFETCH(QString, message);
    try {
        parseMechanismList(list.toStdString(), TaskKind(task));
        QFAIL("no exception");
    } catch (const std::invalid_argument &e) {
        QCOMPARE(QString::fromStdString(e.what()), message);
    }
}

void TestCompare::shardsSliceTheGrid()
{
    // Every run in exactly one shard, in order, slices differing in size by at most one.
    for (int size : {0, 1, 4, 7, 100})
        for (int n : {1, 2, 3, 8, 150}) {
            std::vector<int> all;
            std::size_t smallest = std::size_t(-1), largest = 0;
            for (int k = 1; k <= n; ++k) {
                const std::vector<int> ids = shardRunIds(size, {k, n});
                all.insert(all.end(), ids.begin(), ids.end());
                smallest = std::min(smallest, ids.size());
                largest = std::max(largest, ids.size());
            }
            QCOMPARE(int(all.size()), size);
            for (int i = 0; i < size; ++i)
                QCOMPARE(all[std::size_t(i)], i);
            QVERIFY(largest - smallest <= 1);
        }
    QCOMPARE(shardRunIds(10, {2, 3}), (std::vector<int>{3, 4, 5}));
    QCOMPARE(shardRunIds(4, {2, 2}), (std::vector<int>{2, 3}));
    QVERIFY(shardRunIds(2, {2, 5}).empty());
    QCOMPARE(parseShard("3/10").index, 3);
    QCOMPARE(parseShard("3/10").count, 10);
    QCOMPARE(parseShard("1/1").count, 1);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, shardRunIds(4, {3, 2}));
}

void TestCompare::rejectsBadShards_data()
{
    QTest::addColumn<QString>("text");
    for (const char *bad : {"", "3", "0/2", "3/2", "1/0", "-1/2", "1/-2", "a/b", "1/2/3", " 1/2",
                            "1 /2", "1/2 ", "1.5/2", "1/1000001", "99999999999999999999/2"})
        QTest::newRow(bad) << QString(bad);
}

void TestCompare::rejectsBadShards()
{
    QFETCH(QString, text);
    try {
        parseShard(text.toStdString());
        QFAIL("no exception");
    } catch (const std::invalid_argument &e) {
        QCOMPARE(QString::fromStdString(e.what()),
                 "expected K/N with 1 <= K <= N (e.g. 3/10), got '" + text + "'");
    }
}

QTEST_GUILESS_MAIN(TestCompare)

#include "tst_compare.moc"
