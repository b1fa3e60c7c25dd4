// SPDX-License-Identifier: GPL-3.0-or-later
// bench_compare: a 4-run compare (the task's published mechanism, seeds 7..10, published
// settings) trained with 1 thread and then with 2 (core/train/compare.h), wall time of each,
// the speed-up, and whether both gave the same results bit for bit. The machine's load average
// is printed beside, since other processes on the same cores lower the speed-up.
// Usage: bench_compare [--task NAME] [--epochs E] [--train-size N] [--val-size N] [--threads T]
#include "core/data/task.h"
#include "core/train/compare.h"
#include "core/train/trainer.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

using namespace attn;

namespace {

struct Options {
    TaskKind task = TaskKind::Add;
    int epochs = 1;
    TaskSize size;  // 0 = published sizes
    int threads = 2; // the parallel measurement
};

int parseOptions(int argc, char **argv, Options &o)
{
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (i + 1 >= argc) {
            std::fprintf(stderr, "bench_compare: %s needs a value\n", argv[i]);
            return 2;
        }
        const std::string value = argv[++i];
        const int n = std::atoi(value.c_str());
        if (arg == "--task") {
            const auto kind = taskKindFromString(value);
            if (!kind) {
                std::fprintf(stderr, "bench_compare: unknown task '%s'\n", value.c_str());
                return 2;
            }
            o.task = *kind;
        } else if (arg == "--epochs" && n >= 1) {
            o.epochs = n;
        } else if (arg == "--train-size" && n >= 1) {
            o.size.train = n;
        } else if (arg == "--val-size" && n >= 1) {
            o.size.validation = n;
        } else if (arg == "--threads" && n >= 1) {
            o.threads = n;
        } else {
            std::fprintf(stderr, "bench_compare: bad option %s %s\n", argv[i - 1], value.c_str());
            return 2;
        }
    }
    return -1;
}

std::string loadAverage()
{
    std::ifstream f("/proc/loadavg");
    std::string one, five, fifteen;
    f >> one >> five >> fifteen;
    return one + " " + five + " " + fifteen;
}

} // namespace

int main(int argc, char **argv)
{
    Options opt;
    if (const int status = parseOptions(argc, argv, opt); status >= 0)
        return status;
    const TaskDefaults defaults = taskDefaults(opt.task);
    const TrainerFactory factory = [&](AttentionKind mechanism, std::uint64_t seed) {
        Rng dataRng(seed);
        auto task = std::make_shared<TaskData>(makeTask(opt.task, dataRng, opt.size));
        ModelConfig model = defaults.model;
        model.attention = mechanism;
        model.baselineReference = defaults.model.attention;
        TrainConfig train;
        train.epochs = opt.epochs;
        train.batchSize = defaults.batchSize;
        train.learningRate = defaults.learningRate;
        train.seed = seed;
        return std::make_unique<Trainer>(task, model, train);
    };
    const CompareGrid grid{{defaults.model.attention}, 4, 7};
    std::printf("bench_compare: %s, %s x seeds 7..10, %d epoch(s) each, %u hardware threads\n",
                toString(opt.task).c_str(), toString(defaults.model.attention).c_str(), opt.epochs,
                std::thread::hardware_concurrency());
    std::vector<std::vector<CompareRun>> results;
    double seconds[2] = {0, 0};
    const int threads[2] = {1, opt.threads};
    for (int k = 0; k < 2; ++k) {
        std::printf("load average before: %s\n", loadAverage().c_str());
        CompareSchedule schedule;
        schedule.threads = threads[k];
        const auto t0 = std::chrono::steady_clock::now();
        results.push_back(runCompare(grid, factory, {}, schedule));
        seconds[k] = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        std::printf("%d thread(s): %.2f s for %zu runs (%.2f s per run)\n", threads[k], seconds[k],
                    results.back().size(), seconds[k] / double(results.back().size()));
    }
    bool same = results[0].size() == results[1].size();
    for (std::size_t i = 0; same && i < results[0].size(); ++i)
        for (std::size_t e = 0; e < results[0][i].history.size(); ++e)
            same = same && results[0][i].history[e].valLoss == results[1][i].history[e].valLoss &&
                   results[0][i].history[e].trainLoss == results[1][i].history[e].trainLoss;
    std::printf("load average after: %s\n", loadAverage().c_str());
    std::printf("speed-up with %d threads: %.2fx; results identical: %s\n", opt.threads,
                seconds[0] / seconds[1], same ? "yes" : "NO");
    std::printf("{\"task\":\"%s\",\"runs\":4,\"epochs\":%d,\"seconds_1\":%.3f,\"seconds_%d\":%.3f,"
                "\"speedup\":%.3f,\"identical\":%s}\n",
                toString(opt.task).c_str(), opt.epochs, seconds[0], opt.threads, seconds[1],
                seconds[0] / seconds[1], same ? "true" : "false");
    return same ? 0 : 1;
}
