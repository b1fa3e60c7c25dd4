// SPDX-License-Identifier: GPL-3.0-or-later
// Compare mode's real training (core/train/compare.h) on a tiny max task: every run of the grid
// trains with its own seed and reports what its Trainer reports, a stop ends the compare, bad
// grids and factories are refused, a schedule trains exactly the listed runs, and parallel runs
// give the same results as one thread.
#include "core/train/compare.h"
#include "tests/comparenames.h"

#include <QTest>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <map>
#include <stdexcept>
#include <thread>

using namespace attn;
using namespace comparetest;

namespace {

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

} // namespace

class TestCompareRuns : public QObject {
    Q_OBJECT
private slots:
    void tinyRealCompare();
    void stopEndsTheCompare();
    void rejectsBadGridsAndFactories();
    void scheduleTrainsTheListedRuns();
    void parallelRunsGiveTheSameResults();
};

void TestCompareRuns::tinyRealCompare()
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

void TestCompareRuns::stopEndsTheCompare()
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

void TestCompareRuns::rejectsBadGridsAndFactories()
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

void TestCompareRuns::scheduleTrainsTheListedRuns()
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

void TestCompareRuns::parallelRunsGiveTheSameResults()
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

QTEST_GUILESS_MAIN(TestCompareRuns)

#include "tst_compareruns.moc"
