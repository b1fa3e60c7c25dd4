// SPDX-License-Identifier: GPL-3.0-or-later
// Compare mode (core/train/compare.h): the best-metric rule, the per-mechanism statistics on hand-made
// runs (exact max/min, mean and sample std), the grid order and seeds, the table formats, the
// mechanism list parser's messages, a tiny real compare on the max task, and the command line
// (`--headless --compare ... --runs N`) run through QProcess.
#include "core/train/compare.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <limits>
#include <map>
#include <stdexcept>
#include <thread>

using namespace attn;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Qt Test cannot print attn::AttentionKind: compare names instead.
QString name(AttentionKind kind) { return QString::fromStdString(toString(kind)); }
QString names(const std::vector<AttentionKind> &kinds)
{
    QStringList out;
    for (AttentionKind k : kinds)
        out << name(k);
    return out.join(',');
}
QString cellName(const std::pair<AttentionKind, int> &cell)
{
    return name(cell.first) + " #" + QString::number(cell.second);
}

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

// The tiny real compare's settings: max task, H = 8, 1024 training samples, 2 epochs.
TaskSize tinySize() { return {1024, 256}; }

std::unique_ptr<Trainer> tinyTrainer(AttentionKind mechanism, std::uint64_t seed)
{
    Rng dataRng(seed);
    auto task = std::make_shared<TaskData>(makeTask(TaskKind::Max, dataRng, tinySize()));
    ModelConfig model = taskDefaults(TaskKind::Max).model;
    model.hidden = 8;
    model.attentionUnits = 8;
    model.attention = mechanism;
    TrainConfig train;
    train.epochs = 2;
    train.batchSize = 32;
    train.seed = seed;
    return std::make_unique<Trainer>(task, model, train);
}

struct Process {
    int exitCode;
    QByteArray out, err;
};

Process runApp(const QStringList &args)
{
    QProcess p;
    p.start(ATTN_APP_PATH, args);
    if (!p.waitForFinished(300000))
        return {-1, {}, "timeout"};
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
            p.readAllStandardError()};
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
    void tinyRealCompare();
    void stopEndsTheCompare();
    void rejectsBadGridsAndFactories();
    void shardsSliceTheGrid();
    void rejectsBadShards_data();
    void rejectsBadShards();
    void scheduleTrainsTheListedRuns();
    void parallelRunsGiveTheSameResults();
    void commandLinePrintsRunsAndTable();
    void commandLineRejectsBadOptions_data();
    void commandLineRejectsBadOptions();
    void commandLineReportsAFailedCompare();
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

void TestCompare::tinyRealCompare()
{
    const CompareGrid grid{{AttentionKind::Luong, AttentionKind::None}, 2, 11};
    std::map<std::uint64_t, Mat> validationBySeed; // the first validation x seen for each seed
    std::vector<int> started, finished;
    int epochs = 0, withAttention = 0;
    CompareCallbacks callbacks;
    callbacks.runStarted = [&](int runId, AttentionKind mechanism, int runIndex, std::uint64_t seed,
                               Trainer &trainer) {
        started.push_back(runId);
        QCOMPARE(cellName(grid.cell(runId)), cellName({mechanism, runIndex}));
        const Mat &x = trainer.task().validation.x;
        const auto [it, inserted] = validationBySeed.emplace(seed, x);
        if (!inserted) // same seed, other mechanism: the same validation split, bit for bit
            QVERIFY(it->second == x);
    };
    callbacks.epochDone = [&](int, const EpochSnapshot &s) {
        ++epochs;
        withAttention += s.attention.empty() ? 0 : 1; // the full snapshot, for the views
        return Trainer::Control::Continue;
    };
    callbacks.runFinished = [&](const CompareRun &run) { finished.push_back(run.runId); };

    const std::vector<CompareRun> runs = runCompare(grid, tinyTrainer, callbacks);
    QCOMPARE(runs.size(), std::size_t(4));
    QCOMPARE(started, (std::vector<int>{0, 1, 2, 3}));
    QCOMPARE(finished, (std::vector<int>{0, 1, 2, 3}));
    QCOMPARE(epochs, 8);
    QCOMPARE(withAttention, 4); // luong's epochs; the baseline has no attention
    QCOMPARE(validationBySeed.size(), std::size_t(2));
    QVERIFY(validationBySeed[11] != validationBySeed[12]); // another seed, another split

    const AttentionKind mechanisms[] = {AttentionKind::Luong, AttentionKind::None,
                                        AttentionKind::Luong, AttentionKind::None};
    const std::uint64_t seeds[] = {11, 11, 12, 12};
    for (int i = 0; i < 4; ++i) {
        const CompareRun &r = runs[std::size_t(i)];
        QCOMPARE(r.runId, i);
        QCOMPARE(name(r.mechanism), name(mechanisms[i]));
        QCOMPARE(r.seed, seeds[i]);
        QCOMPARE(r.runIndex, i / 2);
        QCOMPARE(r.metricName, std::string("mae"));
        QCOMPARE(r.history.size(), std::size_t(2));
        QVERIFY(r.history[0].attention.empty() && r.history[0].probeInputs.empty());
        const double m1 = r.history[0].metric, m2 = r.history[1].metric;
        QCOMPARE(r.bestMetric, std::min(m1, m2));
        QCOMPARE(r.bestEpoch, m2 < m1 ? 2 : 1);
        QVERIFY(r.bestMetric > 0.0 && std::isfinite(r.bestMetric));
        QCOMPARE(r.parameters, tinyTrainer(mechanisms[i], seeds[i])->model().parameterCount());
    }
    QCOMPARE(runs[0].parameters, runs[2].parameters);
    QVERIFY(runs[0].bestMetric != runs[2].bestMetric); // the seeds differ

    const std::vector<CompareRow> rows = summarize(runs, false);
    QCOMPARE(rows.size(), std::size_t(2));
    for (int m = 0; m < 2; ++m) {
        const CompareRun &a = runs[std::size_t(m)], &b = runs[std::size_t(m + 2)];
        QCOMPARE(name(rows[std::size_t(m)].mechanism), name(mechanisms[m]));
        QCOMPARE(rows[std::size_t(m)].runs, 2);
        QCOMPARE(rows[std::size_t(m)].best, std::min(a.bestMetric, b.bestMetric));
        QCOMPARE(rows[std::size_t(m)].mean, (a.bestMetric + b.bestMetric) / 2);
        QCOMPARE(rows[std::size_t(m)].std, std::abs(a.bestMetric - b.bestMetric) / std::sqrt(2.0));
        QCOMPARE(rows[std::size_t(m)].parameters, a.parameters);
    }

    // A run depends on its mechanism and seed only, not on its place in the grid.
    const std::vector<CompareRun> again = runCompare({{AttentionKind::None}, 1, 12}, tinyTrainer);
    QCOMPARE(again.size(), std::size_t(1));
    QCOMPARE(again[0].bestMetric, runs[3].bestMetric);
    QCOMPARE(again[0].history[0].valLoss, runs[3].history[0].valLoss);
}

void TestCompare::stopEndsTheCompare()
{
    const CompareGrid grid{{AttentionKind::Luong, AttentionKind::None}, 2, 3};
    int finished = 0;
    CompareCallbacks callbacks;
    callbacks.runFinished = [&](const CompareRun &) { ++finished; };
    // Stop after the first epoch of the second run: only the first run is finished.
    callbacks.epochDone = [](int runId, const EpochSnapshot &) {
        return runId == 1 ? Trainer::Control::Stop : Trainer::Control::Continue;
    };
    std::vector<CompareRun> runs = runCompare(grid, tinyTrainer, callbacks);
    QCOMPARE(runs.size(), std::size_t(1));
    QCOMPARE(name(runs[0].mechanism), QString("luong"));
    QCOMPARE(finished, 1);

    // Stop between batches of the first run: nothing is finished.
    callbacks.epochDone = {};
    int batches = 0;
    callbacks.batch = [&](const ProgressInfo &) {
        return ++batches == 5 ? Trainer::Control::Stop : Trainer::Control::Continue;
    };
    runs = runCompare(grid, tinyTrainer, callbacks);
    QVERIFY(runs.empty());
    QCOMPARE(batches, 5);
    QCOMPARE(finished, 1);
}

void TestCompare::rejectsBadGridsAndFactories()
{
    auto message = [](const CompareGrid &grid, const TrainerFactory &factory) {
        try {
            runCompare(grid, factory);
        } catch (const std::invalid_argument &e) {
            return QString::fromStdString(e.what());
        }
        return QString("no exception");
    };
    QCOMPARE(message({{}, 2, 1}, tinyTrainer), QString("runCompare: no mechanism to compare"));
    QCOMPARE(message({{AttentionKind::Luong}, 0, 1}, tinyTrainer),
             QString("runCompare: runs must be >= 1, got 0"));
    QCOMPARE(message({{AttentionKind::Luong, AttentionKind::Luong}, 1, 1}, tinyTrainer),
             QString("runCompare: 'luong' is listed twice"));
    QCOMPARE(message({{AttentionKind::Luong}, 1, 1},
                     [](AttentionKind, std::uint64_t) { return std::unique_ptr<Trainer>(); }),
             QString("runCompare: the factory built no trainer"));
    QCOMPARE(message({{AttentionKind::Luong}, 1, 5},
                     [](AttentionKind m, std::uint64_t) { return tinyTrainer(m, 6); }),
             QString("runCompare: the factory built a luong model with seed 6 for luong with seed 5"));
    QCOMPARE(message({{AttentionKind::Bahdanau}, 1, 5},
                     [](AttentionKind, std::uint64_t s) { return tinyTrainer(AttentionKind::None, s); }),
             QString("runCompare: the factory built a none model with seed 5 for bahdanau with seed 5"));
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

void TestCompare::scheduleTrainsTheListedRuns()
{
    // A shard trains its runs only, each as the full compare trains it.
    const CompareGrid grid{{AttentionKind::Luong, AttentionKind::None}, 2, 31};
    CompareSchedule schedule;
    schedule.runIds = std::vector<int>{1, 2};
    std::vector<int> started;
    CompareCallbacks callbacks;
    callbacks.runStarted = [&](int runId, AttentionKind, int, std::uint64_t, Trainer &) {
        started.push_back(runId);
    };
    const std::vector<CompareRun> part = runCompare(grid, tinyTrainer, callbacks, schedule);
    QCOMPARE(started, (std::vector<int>{1, 2}));
    QCOMPARE(part.size(), std::size_t(2));
    const std::vector<CompareRun> all = runCompare(grid, tinyTrainer);
    for (const CompareRun &r : part) {
        QCOMPARE(r.seed, all[std::size_t(r.runId)].seed);
        QCOMPARE(r.bestMetric, all[std::size_t(r.runId)].bestMetric);
        QCOMPARE(r.history.back().valLoss, all[std::size_t(r.runId)].history.back().valLoss);
    }
    schedule.runIds = std::vector<int>{};
    QVERIFY(runCompare(grid, tinyTrainer, callbacks, schedule).empty());
    const auto message = [&](std::vector<int> ids) {
        schedule.runIds = ids;
        try {
            runCompare(grid, tinyTrainer, {}, schedule);
        } catch (const std::invalid_argument &e) {
            return QString::fromStdString(e.what());
        }
        return QString("no exception");
    };
    QCOMPARE(message({0, 4}), QString("runCompare: scheduled run 4 is outside 0..3"));
    QCOMPARE(message({-1}), QString("runCompare: scheduled run -1 is outside 0..3"));
    QCOMPARE(message({2, 2}), QString("runCompare: scheduled run 2 is repeated or out of order"));
    QCOMPARE(message({3, 1}), QString("runCompare: scheduled run 1 is repeated or out of order"));
}

void TestCompare::parallelRunsGiveTheSameResults()
{
    // Two threads: every run as one thread trains it, bit for bit, returned in grid order; the
    // callbacks never overlap; a failing run's exception reaches the caller.
    const CompareGrid grid{{AttentionKind::Luong, AttentionKind::None}, 2, 17};
    const std::vector<CompareRun> one = runCompare(grid, tinyTrainer);
    std::atomic<int> inside{0};
    bool overlapped = false;
    std::vector<int> finished;
    int epochs = 0;
    CompareCallbacks callbacks;
    const auto enter = [&] {
        if (inside.fetch_add(1) != 0)
            overlapped = true;
        std::this_thread::sleep_for(std::chrono::microseconds(50)); // widen any overlap
        inside.fetch_sub(1);
    };
    callbacks.batch = [&](const ProgressInfo &) {
        enter();
        return Trainer::Control::Continue;
    };
    callbacks.epochDone = [&](int, const EpochSnapshot &) {
        enter();
        ++epochs;
        return Trainer::Control::Continue;
    };
    callbacks.runFinished = [&](const CompareRun &r) {
        enter();
        finished.push_back(r.runId);
    };
    CompareSchedule schedule;
    schedule.threads = 2;
    const std::vector<CompareRun> two = runCompare(grid, tinyTrainer, callbacks, schedule);
    QVERIFY(!overlapped);
    QCOMPARE(epochs, 8);
    std::sort(finished.begin(), finished.end());
    QCOMPARE(finished, (std::vector<int>{0, 1, 2, 3}));
    QCOMPARE(two.size(), one.size());
    for (std::size_t i = 0; i < one.size(); ++i) {
        QCOMPARE(two[i].runId, int(i));
        QCOMPARE(two[i].bestMetric, one[i].bestMetric);
        QCOMPARE(two[i].bestEpoch, one[i].bestEpoch);
        for (std::size_t e = 0; e < one[i].history.size(); ++e) {
            QCOMPARE(two[i].history[e].trainLoss, one[i].history[e].trainLoss);
            QCOMPARE(two[i].history[e].valLoss, one[i].history[e].valLoss);
        }
    }

    // More threads than runs, and a subset: the same runs again.
    schedule.threads = 8;
    schedule.runIds = std::vector<int>{3};
    const std::vector<CompareRun> last = runCompare(grid, tinyTrainer, {}, schedule);
    QCOMPARE(last.size(), std::size_t(1));
    QCOMPARE(last[0].bestMetric, one[3].bestMetric);

    // The first failing run in grid order is reported, after the other thread has ended.
    schedule.runIds.reset();
    schedule.threads = 2;
    const TrainerFactory failing = [](AttentionKind m, std::uint64_t seed) -> std::unique_ptr<Trainer> {
        if (m == AttentionKind::None)
            throw std::runtime_error("no trainer for none with seed " + std::to_string(seed));
        return tinyTrainer(m, seed);
    };
    try {
        runCompare(grid, failing, {}, schedule);
        QFAIL("no exception");
    } catch (const std::runtime_error &e) {
        QCOMPARE(QString(e.what()), QString("no trainer for none with seed 17"));
    }
    schedule.threads = 0;
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, runCompare(grid, tinyTrainer, {}, schedule));

    // A stop from one run's callback ends the other's too.
    callbacks = {};
    callbacks.epochDone = [](int runId, const EpochSnapshot &) {
        return runId == 0 ? Trainer::Control::Stop : Trainer::Control::Continue;
    };
    schedule.threads = 2;
    const std::vector<CompareRun> stopped = runCompare(grid, tinyTrainer, callbacks, schedule);
    QVERIFY(stopped.size() < 4); // runs of the other thread may finish before run 0's epoch
    for (const CompareRun &r : stopped)
        QVERIFY(r.runId != 0);
}

void TestCompare::commandLinePrintsRunsAndTable()
{
    QTemporaryDir dir;
    const Process r = runApp({"--headless", "--task", "max", "--compare", "luong,none", "--runs", "2",
                              "--seed", "21", "--epochs", "2", "--hidden", "8", "--units", "8",
                              "--train-size", "512", "--val-size", "128", "--export-dir",
                              dir.filePath("out")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QList<QByteArray> lines = r.out.trimmed().split('\n');
    QVERIFY2(lines.size() >= 4 + 4, r.out.constData());
    const char *mechanisms[] = {"luong", "none", "luong", "none"};
    const int seeds[] = {21, 21, 22, 22};
    std::map<QString, std::vector<double>> best;
    std::map<QString, long long> parameters;
    for (int i = 0; i < 4; ++i) {
        QJsonParseError error;
        const QJsonObject o = QJsonDocument::fromJson(lines[i], &error).object();
        QCOMPARE(error.error, QJsonParseError::NoError);
        QCOMPARE(o["mechanism"].toString(), QString(mechanisms[i]));
        QCOMPARE(o["seed"].toInteger(), seeds[i]);
        QVERIFY(o["best_metric"].isDouble() && o["best_metric"].toDouble() > 0);
        QVERIFY(o["best_epoch"].toInt() == 1 || o["best_epoch"].toInt() == 2);
        QVERIFY(o["parameters"].toInteger() > 0);
        best[mechanisms[i]].push_back(o["best_metric"].toDouble());
        parameters[mechanisms[i]] = o["parameters"].toInteger();
    }
    // Then the Markdown table: the two rows summarise the JSON lines.
    const QString table = QString::fromUtf8(r.out.mid(r.out.indexOf("| mechanism")));
    QVERIFY2(table.startsWith("| mechanism | runs | min | mean | std | parameters |\n"), r.out.constData());
    for (const char *m : {"luong", "none"}) {
        const auto &v = best[m];
        const QString row = QString("| %1 | 2 | %2 | %3 | ")
                                .arg(m)
                                .arg(std::min(v[0], v[1]), 0, 'f', 4)
                                .arg((v[0] + v[1]) / 2, 0, 'f', 4);
        QVERIFY2(table.contains(row), qPrintable(row + "\n" + table));
        QVERIFY(table.contains(QString(" | %1 |\n").arg(parameters[m])));
    }

    QFile csv(dir.filePath("out/compare.csv"));
    QVERIFY(csv.open(QIODevice::ReadOnly | QIODevice::Text));
    const QList<QByteArray> rows = csv.readAll().trimmed().split('\n');
    QCOMPARE(rows.size(), 3);
    QCOMPARE(rows[0], QByteArray("mechanism,runs,min,mean,std,parameters"));
    QVERIFY(rows[1].startsWith("luong,2,"));
    QVERIFY(rows[2].startsWith("none,2,"));
    QCOMPARE(rows[1].split(',')[2].toDouble(), std::min(best["luong"][0], best["luong"][1]));
    const QImage png(dir.filePath("out/compare.png"));
    QVERIFY(!png.isNull());
    QVERIFY(png.width() >= 400 && png.height() >= 300);
}

void TestCompare::commandLineRejectsBadOptions_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    const QStringList h = {"--headless", "--task", "max"};
    QTest::newRow("unknown") << h + QStringList{"--compare", "luong,cosine"}
                             << "--compare: unknown mechanism 'cosine' (expected luong";
    QTest::newRow("not applicable") << h + QStringList{"--compare", "feature,none"}
                                    << "--compare: 'feature' does not apply to the task max";
    QTest::newRow("runs 0") << h + QStringList{"--compare", "luong", "--runs", "0"}
                            << "--runs: expected a whole number from 1 to 1000, got '0'";
    QTest::newRow("runs 1001") << h + QStringList{"--compare", "luong", "--runs", "1001"}
                               << "--runs: expected a whole number from 1 to 1000, got '1001'";
    QTest::newRow("runs alone") << h + QStringList{"--runs", "3"} << "--runs needs --compare";
    QTest::newRow("window") << QStringList{"--compare", "luong,none"}
                            << "--compare needs --headless";
    QTest::newRow("with attention") << h + QStringList{"--compare", "luong", "--attention", "luong"}
                                    << "--attention and --compare exclude each other";
    QTest::newRow("with gif") << h + QStringList{"--compare", "luong", "--gif", "x.gif"}
                              << "--gif and --compare exclude each other";
}

void TestCompare::commandLineRejectsBadOptions()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const Process r = runApp(args);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(QString::fromUtf8(r.err).contains(message), r.err.constData());
    QVERIFY(r.out.isEmpty());
}

void TestCompare::commandLineReportsAFailedCompare()
{
    // Sentences of punctuation only hold no words: known only once the file is read, so the
    // run fails (status 1); a --train-size below the batch is refused at parse (2).
    QTemporaryDir dir;
    QFile sentences(dir.filePath("few.txt"));
    QVERIFY(sentences.open(QIODevice::WriteOnly));
    sentences.write("!!!\t1\n???\t0\n...\t1\n---\t0\n;;;\t1\n");
    sentences.close();
    const Process r = runApp({"--headless", "--task", "sentiment", "--compare", "luong,none",
                              "--runs", "1", "--sentences", sentences.fileName()});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("attention-studio: compare failed: ") && r.err.contains("hold no words"),
             r.err.constData());
    QVERIFY(r.out.isEmpty());
}

QTEST_GUILESS_MAIN(TestCompare)

#include "tst_compare.moc"
