// SPDX-License-Identifier: GPL-3.0-or-later
// Compare mode: the grid loop (runs one after the other or several at once, one per thread),
// the shards of a sweep, the per-mechanism statistics and the table formats.
#include "core/train/compare.h"

#include "core/io/text.h"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <exception>
#include <limits>
#include <mutex>
#include <numeric>
#include <optional>
#include <stdexcept>
#include <thread>
#include <tuple>

namespace attn {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// "'a', 'b'" for messages.
std::string quotedList(const std::vector<std::string> &names)
{
    std::string out;
    for (const std::string &n : names)
        out += (out.empty() ? "'" : ", '") + n + "'";
    return out;
}

std::string nameList(const std::vector<AttentionKind> &kinds)
{
    std::string out;
    for (AttentionKind k : kinds)
        out += (out.empty() ? "" : ", ") + toString(k);
    return out;
}

// Shortest decimal that reads back as exactly v; "" for NaN.
std::string exactNumber(double v)
{
    if (std::isnan(v))
        return {};
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, v);
    return std::string(buffer, result.ptr);
}

std::string fixed(double v, int decimals)
{
    if (std::isnan(v))
        return "n/a";
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, v);
    return buffer;
}

// What the runs of one compare share: the hooks (called one at a time when runs train in
// parallel), the stop request, and the first failure.
struct CompareState {
    CompareState(const CompareGrid &g, const TrainerFactory &f, const CompareCallbacks &c)
        : grid(g), factory(f), callbacks(c)
    {
    }

    const CompareGrid &grid;
    const TrainerFactory &factory;
    const CompareCallbacks &callbacks;
    bool parallel = false;
    std::mutex hookMutex;    // held around every callback when parallel
    std::mutex factoryMutex; // the factory may read files and is called one run at a time
    std::atomic<bool> stop{false};
    std::mutex errorMutex;
    std::exception_ptr error;
    std::size_t errorPosition = 0; // position in the schedule of the failed run

    template <typename F> auto hook(F &&f)
    {
        if (!parallel)
            return f();
        std::lock_guard<std::mutex> lock(hookMutex);
        return f();
    }
    // A Stop from any hook stops every run.
    Trainer::Control control(Trainer::Control c)
    {
        if (c == Trainer::Control::Stop)
            stop = true;
        return stop ? Trainer::Control::Stop : Trainer::Control::Continue;
    }
};

// Trains run runId to its last epoch; nullopt when a stop ended it first.
std::optional<CompareRun> trainRun(CompareState &state, int runId)
{
    const auto [mechanism, runIndex] = state.grid.cell(runId);
    const std::uint64_t seed = state.grid.seed(runIndex);
    std::unique_ptr<Trainer> trainer;
    {
        std::lock_guard<std::mutex> lock(state.factoryMutex);
        trainer = state.factory(mechanism, seed);
    }
    if (!trainer)
        throw std::invalid_argument("runCompare: the factory built no trainer");
    if (trainer->config().seed != seed || trainer->model().config().attention != mechanism)
        throw std::invalid_argument("runCompare: the factory built a " +
                                    toString(trainer->model().config().attention) + " model with seed " +
                                    std::to_string(trainer->config().seed) + " for " + toString(mechanism) +
                                    " with seed " + std::to_string(seed));
    const CompareCallbacks &callbacks = state.callbacks;
    CompareRun run;
    run.runId = runId;
    run.mechanism = mechanism;
    run.runIndex = runIndex;
    run.seed = seed;
    run.parameters = trainer->model().parameterCount();
    if (callbacks.runStarted)
        state.hook([&] { callbacks.runStarted(runId, mechanism, runIndex, seed, *trainer); });
    const Trainer::BatchCallback batch = [&](const ProgressInfo &info) {
        if (state.stop)
            return Trainer::Control::Stop;
        return callbacks.batch ? state.control(state.hook([&] { return callbacks.batch(info); }))
                               : Trainer::Control::Continue;
    };
    while (!trainer->finished()) {
        const std::optional<EpochSnapshot> s = trainer->trainEpoch(batch);
        if (!s)
            return std::nullopt;
        run.metricName = s->metricName;
        run.history.push_back(statisticsOnly(*s));
        if (callbacks.epochDone &&
            state.control(state.hook([&] { return callbacks.epochDone(runId, *s); })) == Trainer::Control::Stop)
            return std::nullopt;
        if (state.stop)
            return std::nullopt;
    }
    std::tie(run.bestMetric, run.bestEpoch) = bestMetric(run.history, higherIsBetter(run.metricName));
    if (callbacks.runFinished)
        state.hook([&] { callbacks.runFinished(run); });
    return run;
}

} // namespace

bool higherIsBetter(const std::string &metricName)
{
    return metricName == "accuracy";
}

std::string metricTitle(const std::string &metricName)
{
    return metricName == "accuracy" ? "accuracy (%)" : "MAE";
}

std::string bestName(const std::string &metricName)
{
    return higherIsBetter(metricName) ? "max" : "min";
}

std::pair<double, int> bestMetric(const std::vector<EpochSnapshot> &history, bool higher)
{
    if (history.empty())
        throw std::invalid_argument("bestMetric: the run has no epoch");
    double best = kNaN;
    int bestEpoch = 0;
    for (const EpochSnapshot &s : history) {
        if (std::isnan(s.metric))
            continue;
        if (bestEpoch == 0 || (higher ? s.metric > best : s.metric < best)) {
            best = s.metric;
            bestEpoch = s.epoch;
        }
    }
    return {best, bestEpoch};
}

std::vector<CompareRow> summarize(const std::vector<CompareRun> &runs, bool higher)
{
    std::vector<CompareRow> rows;
    std::vector<std::vector<double>> values; // values[i]: bestMetric of every run of rows[i]
    for (const CompareRun &run : runs) {
        auto it = std::find_if(rows.begin(), rows.end(),
                               [&](const CompareRow &r) { return r.mechanism == run.mechanism; });
        if (it == rows.end()) {
            rows.push_back({run.mechanism, 0, kNaN, 0.0, kNaN, run.parameters});
            values.emplace_back();
            it = rows.end() - 1;
        }
        values[std::size_t(it - rows.begin())].push_back(run.bestMetric);
    }
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const std::vector<double> &v = values[i];
        CompareRow &row = rows[i];
        row.runs = int(v.size());
        double sum = 0.0;
        for (double x : v) {
            sum += x;
            if (!std::isnan(x) && (std::isnan(row.best) || (higher ? x > row.best : x < row.best)))
                row.best = x;
        }
        row.mean = sum / double(v.size());
        if (v.size() > 1) {
            // Two passes (deviations from the mean) rather than sum of squares minus square of
            // sums, which cancels catastrophically when the runs agree to many digits.
            double squares = 0.0;
            for (double x : v)
                squares += (x - row.mean) * (x - row.mean);
            row.std = std::sqrt(squares / double(v.size() - 1));
        }
    }
    return rows;
}

EpochSnapshot statisticsOnly(const EpochSnapshot &s)
{
    EpochSnapshot out;
    out.epoch = s.epoch;
    out.totalEpochs = s.totalEpochs;
    out.seconds = s.seconds;
    out.trainLoss = s.trainLoss;
    out.valLoss = s.valLoss;
    out.metric = s.metric;
    out.metricName = s.metricName;
    out.alignment = s.alignment;
    out.samplesPerSecond = s.samplesPerSecond;
    out.groundTruthMass = s.groundTruthMass;
    return out;
}

std::pair<AttentionKind, int> CompareGrid::cell(int runId) const
{
    if (runId < 0 || runId >= size())
        throw std::out_of_range("CompareGrid: run " + std::to_string(runId) + " outside 0.." +
                                std::to_string(size() - 1));
    const int m = int(mechanisms.size());
    return {mechanisms[std::size_t(runId % m)], runId / m};
}

std::vector<CompareRun> runCompare(const CompareGrid &grid, const TrainerFactory &factory,
                                   const CompareCallbacks &callbacks, const CompareSchedule &schedule)
{
    if (grid.mechanisms.empty())
        throw std::invalid_argument("runCompare: no mechanism to compare");
    if (grid.runs < 1)
        throw std::invalid_argument("runCompare: runs must be >= 1, got " + std::to_string(grid.runs));
    for (std::size_t i = 0; i < grid.mechanisms.size(); ++i)
        if (std::count(grid.mechanisms.begin(), grid.mechanisms.end(), grid.mechanisms[i]) > 1)
            throw std::invalid_argument("runCompare: '" + toString(grid.mechanisms[i]) +
                                        "' is listed twice");
    if (schedule.threads < 1)
        throw std::invalid_argument("runCompare: threads must be >= 1, got " +
                                    std::to_string(schedule.threads));

    std::vector<int> runIds(std::size_t(grid.size()));
    std::iota(runIds.begin(), runIds.end(), 0);
    if (schedule.runIds)
        runIds = *schedule.runIds;
    for (std::size_t i = 0; i < runIds.size(); ++i)
        if (runIds[i] < 0 || runIds[i] >= grid.size() || (i > 0 && runIds[i] <= runIds[i - 1]))
            throw std::invalid_argument("runCompare: scheduled run " + std::to_string(runIds[i]) +
                                        (runIds[i] < 0 || runIds[i] >= grid.size()
                                             ? " is outside 0.." + std::to_string(grid.size() - 1)
                                             : " is repeated or out of order"));

    CompareState state(grid, factory, callbacks);
    const int threads = std::min(schedule.threads, std::max(1, int(runIds.size())));
    state.parallel = threads > 1;
    std::vector<std::optional<CompareRun>> results(runIds.size());
    std::atomic<std::size_t> next{0};
    const auto work = [&] {
        for (std::size_t i = next++; i < runIds.size() && !state.stop; i = next++) {
            try {
                results[i] = trainRun(state, runIds[i]);
            } catch (...) {
                const std::lock_guard<std::mutex> lock(state.errorMutex);
                if (!state.error || i < state.errorPosition) {
                    state.error = std::current_exception();
                    state.errorPosition = i;
                }
                state.stop = true;
            }
        }
    };
    std::vector<std::thread> pool;
    if (state.parallel) {
        Eigen::setNbThreads(1); // one thread per run, none inside it
        try {
            for (int t = 1; t < threads; ++t)
                pool.emplace_back(work);
        } catch (...) { // no thread to be had: end the others, then report
            state.stop = true;
            for (std::thread &t : pool)
                t.join();
            throw;
        }
    }
    work();
    for (std::thread &t : pool)
        t.join();
    if (state.error)
        std::rethrow_exception(state.error);
    std::vector<CompareRun> done;
    for (std::optional<CompareRun> &r : results)
        if (r)
            done.push_back(std::move(*r));
    return done;
}

Shard parseShard(const std::string &text)
{
    const auto bad = [&text] {
        return std::invalid_argument("expected K/N with 1 <= K <= N (e.g. 3/10), got '" + text + "'");
    };
    const std::size_t slash = text.find('/');
    if (slash == std::string::npos)
        throw bad();
    const auto number = [&](std::size_t begin, std::size_t end) {
        long long v = 0;
        const char *first = text.data() + begin, *last = text.data() + end;
        const auto [ptr, ec] = std::from_chars(first, last, v);
        if (first == last || ec != std::errc() || ptr != last || v < 1 || v > 1000000)
            throw bad();
        return int(v);
    };
    const Shard shard{number(0, slash), number(slash + 1, text.size())};
    if (shard.index > shard.count)
        throw bad();
    return shard;
}

std::vector<int> shardRunIds(int gridSize, Shard shard)
{
    if (gridSize < 0 || shard.count < 1 || shard.index < 1 || shard.index > shard.count)
        throw std::invalid_argument("shardRunIds: shard " + std::to_string(shard.index) + "/" +
                                    std::to_string(shard.count) + " of " + std::to_string(gridSize) +
                                    " runs");
    const long long s = gridSize, k = shard.index, n = shard.count;
    const int begin = int((k - 1) * s / n), end = int(k * s / n);
    std::vector<int> ids(std::size_t(end - begin));
    std::iota(ids.begin(), ids.end(), begin);
    return ids;
}

std::vector<AttentionKind> parseMechanismList(const std::string &list, TaskKind task)
{
    std::vector<AttentionKind> kinds;
    std::vector<std::string> unknown, inapplicable, twice;
    const std::vector<AttentionKind> applicable = applicableAttention(task);
    std::size_t begin = 0;
    while (begin <= list.size()) {
        const std::size_t end = std::min(list.find(',', begin), list.size());
        const std::string name = trimmed(list.substr(begin, end - begin));
        begin = end + 1;
        if (name.empty())
            continue;
        const std::optional<AttentionKind> kind = attentionKindFromString(name);
        if (!kind)
            unknown.push_back(name);
        else if (std::find(applicable.begin(), applicable.end(), *kind) == applicable.end())
            inapplicable.push_back(name);
        else if (std::find(kinds.begin(), kinds.end(), *kind) != kinds.end())
            twice.push_back(name);
        else
            kinds.push_back(*kind);
    }
    if (!unknown.empty())
        throw std::invalid_argument((unknown.size() == 1 ? "unknown mechanism " : "unknown mechanisms ") +
                                    quotedList(unknown) + " (expected " +
                                    nameList(allAttentionKinds()) + ")");
    if (!inapplicable.empty())
        throw std::invalid_argument(quotedList(inapplicable) +
                                    (inapplicable.size() == 1 ? " does" : " do") + " not apply to the task " +
                                    toString(task) + " (it takes " + nameList(applicable) + ")");
    if (!twice.empty())
        throw std::invalid_argument(quotedList(twice) + (twice.size() == 1 ? " is" : " are") +
                                    " listed twice");
    if (kinds.empty())
        throw std::invalid_argument("no mechanism given");
    return kinds;
}

std::string compareTableMarkdown(const std::vector<CompareRow> &rows, const std::string &metricName)
{
    const bool accuracy = metricName == "accuracy";
    const double scale = accuracy ? 100.0 : 1.0; // the README's table shows accuracy in percent
    const int decimals = accuracy ? 2 : 4;
    std::string out = std::string("| mechanism | runs | ") + bestName(metricName) +
                      " | mean | std | parameters |\n|---|---:|---:|---:|---:|---:|\n";
    for (const CompareRow &r : rows)
        out += "| " + toString(r.mechanism) + " | " + std::to_string(r.runs) + " | " +
               fixed(r.best * scale, decimals) + " | " + fixed(r.mean * scale, decimals) + " | " +
               fixed(r.std * scale, decimals) + " | " + std::to_string(r.parameters) + " |\n";
    return out;
}

std::string compareTableCsv(const std::vector<CompareRow> &rows, const std::string &metricName)
{
    std::string out = std::string("mechanism,runs,") + bestName(metricName) +
                      ",mean,std,parameters\n";
    for (const CompareRow &r : rows)
        out += toString(r.mechanism) + "," + std::to_string(r.runs) + "," + exactNumber(r.best) + "," +
               exactNumber(r.mean) + "," + exactNumber(r.std) + "," + std::to_string(r.parameters) +
               "\n";
    return out;
}

} // namespace attn
