// SPDX-License-Identifier: GPL-3.0-or-later
// bench_sidebyside: this engine against PyTorch on the same models (issue 14, item 4;
// docs/benchmarks.md). Trains the add and max epochs, every mechanism at the add shapes, add
// seed 7 until alignment 0.9, a GRU at rl-tools' benchmark shapes and a 4-run compare, each in
// its own child process (peak memory per case), with FLOPs and effective GFLOP/s against Eigen's
// GEMM measured at the same shapes in this run; then, when /usr/bin/python3 can import torch,
// runs tools/bench_torch.py and prints "ours / torch / ratio" with the bars.
#include "bench/childprocess.h"
#include "bench/gemmbench.h"
#include "bench/sidebysidecases.h"
#include "bench/torchside.h"

#include <Eigen/Core>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#ifndef ATTN_SOURCE_DIR
#define ATTN_SOURCE_DIR "."
#endif

using namespace attn;
using namespace attn::bench;

namespace {

struct Options {
    std::string cases = "add,max,mechanisms,align,gru,compare";
    int epochs = 2;          // add and max epochs timed
    int mechanismEpochs = 1; // per mechanism at the add shapes
    TaskSize size;           // 0 = published sizes
    int alignEpochs = 20;    // 0 = no time-to-0.9 case
    int gruBatches = 200;
    int compareEpochs = 1;   // 0 = no compare case
    int threads = int(std::max(1u, std::thread::hardware_concurrency()));
    double gemmSeconds = 0.5;
    bool torch = true;
    int torchThreads = 1;     // PyTorch's and its BLAS's threads
    std::string python = "/usr/bin/python3";
    std::string script = std::string(ATTN_SOURCE_DIR) + "/tools/bench_torch.py";
};

void printUsage()
{
    std::printf(
        "Usage: bench_sidebyside [options]\n"
        "This engine against PyTorch (tools/bench_torch.py, one thread, float32) on the app's\n"
        "models at their published defaults; see docs/benchmarks.md.\n\n"
        "  --cases LIST          of add,max,mechanisms,align,gru,compare (default: all)\n"
        "  --epochs N            add and max epochs timed (default 2)\n"
        "  --mechanism-epochs N  epochs per mechanism at the add shapes (default 1)\n"
        "  --train-size N        training samples of every task case (default: published)\n"
        "  --val-size N          validation samples (default: published)\n"
        "  --align-epochs N      at most N epochs for add seed 7's time to alignment 0.9\n"
        "                        (default 20; 0 = skip)\n"
        "  --gru-batches N       batches timed for the GRU at rl-tools' shapes (default 200)\n"
        "  --compare-epochs N    epochs of the 4-run compare at 1 and --threads threads\n"
        "                        (default 1; 0 = skip)\n"
        "  --threads N           threads (default: all cores): a single run's, and the\n"
        "                        compare's runs at once\n"
        "  --gemm-seconds S      time per GEMM shape (default 0.5)\n"
        "  --torch-threads N     PyTorch's threads, its BLAS's too (default 1, its fastest)\n"
        "  --no-torch            our numbers only\n"
        "  --python PATH         the Python with torch (default /usr/bin/python3)\n"
        "  --torch-script PATH   default: tools/bench_torch.py of the source tree\n");
}

int parseOptions(int argc, char **argv, Options &o)
{
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--help" || arg == "-h") {
            printUsage();
            return 0;
        }
        if (arg == "--no-torch") {
            o.torch = false;
            continue;
        }
        if (i + 1 >= argc) {
            std::fprintf(stderr, "bench_sidebyside: %s needs a value (see --help)\n", argv[i]);
            return 2;
        }
        const std::string value = argv[++i];
        char *end = nullptr;
        const long n = std::strtol(value.c_str(), &end, 10);
        const bool whole = end && *end == '\0' && n >= 0 && n <= 100000000;
        auto set = [&](int &field, long lo) {
            if (!whole || n < lo)
                return false;
            field = int(n);
            return true;
        };
        bool ok = true;
        if (arg == "--epochs")
            ok = set(o.epochs, 1);
        else if (arg == "--mechanism-epochs")
            ok = set(o.mechanismEpochs, 1);
        else if (arg == "--train-size")
            ok = set(o.size.train, 1);
        else if (arg == "--val-size")
            ok = set(o.size.validation, 1);
        else if (arg == "--align-epochs")
            ok = set(o.alignEpochs, 0);
        else if (arg == "--gru-batches")
            ok = set(o.gruBatches, 1);
        else if (arg == "--compare-epochs")
            ok = set(o.compareEpochs, 0);
        else if (arg == "--threads")
            ok = set(o.threads, 1);
        else if (arg == "--torch-threads")
            ok = set(o.torchThreads, 1);
        else if (arg == "--gemm-seconds")
            ok = (o.gemmSeconds = std::strtod(value.c_str(), &end), *end == '\0') &&
                 o.gemmSeconds >= 0.01 && o.gemmSeconds <= 60;
        else if (arg == "--cases")
            o.cases = value;
        else if (arg == "--python")
            o.python = value;
        else if (arg == "--torch-script")
            o.script = value;
        else
            ok = false;
        if (!ok) {
            std::fprintf(stderr, "bench_sidebyside: bad option %s %s (see --help)\n", argv[i - 1],
                         value.c_str());
            return 2;
        }
    }
    return -1;
}

struct Shape {
    const char *name;
    int steps, batch, hidden, gates;
    double gflops = 0; // Eigen's combined GEMM throughput at these shapes, this run
};

// One of our cases: its metrics, peak memory and the shape whose GEMM rate it is compared with.
struct OurCase {
    std::string name;      // "add", "max", "mechanism", "align", "gru", "compare"
    std::string mechanism; // for the epoch cases
    Metrics m;
    ChildResult child;
    const Shape *shape = nullptr;
};

double mib(long kib) { return double(kib) / 1024.0; }

// Whether the comma-separated list names the case.
bool wants(const std::string &list, const std::string &name)
{
    return ("," + list + ",").find("," + name + ",") != std::string::npos;
}

OurCase runCase(std::string name, std::string mechanism, const Shape *shape,
                const std::function<Metrics()> &fn)
{
    OurCase c{std::move(name), std::move(mechanism), {}, {}, shape};
    c.child = runInChild([&] { return formatMetrics(fn()); });
    if (!c.child.ok)
        std::fprintf(stderr, "bench_sidebyside: case %s %s failed: %s\n", c.name.c_str(),
                     c.mechanism.c_str(), c.child.output.c_str());
    c.m = parseMetrics(c.child.output);
    return c;
}

// Effective GFLOP/s of an epoch case (every batch runs at full batch shape, trainer.h).
double epochGflops(const Metrics &m)
{
    return m.at("flops_per_batch") * m.at("batches_per_epoch") / m.at("train_seconds_per_epoch") *
           1e-9;
}

void printEpochCase(const OurCase &c)
{
    if (!c.child.ok)
        return;
    const double g = epochGflops(c.m);
    std::printf("  %-9s %-13s %8.3f s/epoch %9.0f samples/s  %7.2f MFLOP/batch  %6.2f GFLOP/s "
                "(%5.1f%% of %.0f x GEMM)  peak RSS %6.1f MiB  %7.0f params\n",
                c.name.c_str(), c.mechanism.c_str(), c.m.at("train_seconds_per_epoch"),
                c.m.at("samples_per_second"), c.m.at("flops_per_batch") * 1e-6, g,
                100.0 * g / (c.shape->gflops * c.m.at("threads")), c.m.at("threads"),
                mib(c.child.peakRssKib), c.m.at("parameters"));
}

// "ours / torch / ratio" with an optional bar (ratio >= bar).
void printSide(const char *what, double ours, std::optional<double> torch, const char *unit,
               bool higherIsFaster, double bar)
{
    std::printf("  %-34s %9.3f %-4s / ", what, ours, unit);
    if (!torch) {
        std::printf("%9s      / %7s\n", "n/a", "n/a");
        return;
    }
    const double ratio = higherIsFaster ? ours / *torch : *torch / ours;
    std::printf("%9.3f %-4s / %6.2fx", *torch, unit, ratio);
    if (bar > 0)
        std::printf("   bar >= %gx: %s", bar, ratio >= bar ? "met" : "NOT met");
    std::printf("\n");
    std::printf("{\"side_by_side\":\"%s\",\"ours\":%.6g,\"torch\":%.6g,\"ratio\":%.4f%s}\n", what,
                ours, *torch, ratio,
                bar > 0 ? (std::string(",\"bar\":") + std::to_string(bar) +
                           ",\"met\":" + (ratio >= bar ? "true" : "false"))
                              .c_str()
                        : "");
}

} // namespace

int main(int argc, char **argv)
{
    Options opt;
    if (const int status = parseOptions(argc, argv, opt); status >= 0)
        return status;
    std::printf("bench_sidebyside: this engine (float, Eigen %s) against PyTorch, seed 7\n",
                Eigen::SimdInstructionSetsInUse());
    std::printf("  hardware threads %u; --threads %d: every run's (TrainConfig::threads, up to "
                "its batch slices) and the compare's runs at once\n",
                std::thread::hardware_concurrency(), opt.threads);
    const int runThreadCount = opt.threads;

    Shape shapes[] = {{"add: LSTM(100), T 20, B 64", 20, 64, 100, 4},
                      {"max: LSTM(128), T 10, B 32", 10, 32, 128, 4},
                      {"gru: GRU(64), T 64, B 32", kGruSteps, kGruBatch, 64, 3}};
    std::printf("Eigen GEMM (the recurrent products' shapes, 1 thread, ~%g s per shape):\n",
                opt.gemmSeconds);
    for (Shape &s : shapes) {
        const std::vector<GemmResult> r =
            benchGemm(s.steps, s.batch, s.hidden, s.gates, opt.gemmSeconds);
        s.gflops = combinedGflops(r);
        std::printf("  %-28s %6.2f GFLOP/s combined (", s.name, s.gflops);
        for (std::size_t k = 0; k < r.size(); ++k)
            std::printf("%s%s %.2f", k ? ", " : "", r[k].name.substr(0, 13).c_str(), r[k].gflops());
        std::printf(")\n");
    }

    std::printf("Ours (each case in a child process; peak RSS = its getrusage ru_maxrss, which "
                "includes ~%.1f MiB shared with the parent at fork):\n",
                mib(currentRssKib()));
    const TaskSize size = opt.size;
    std::vector<OurCase> epochCases;
    if (wants(opt.cases, "add")) {
        epochCases.push_back(runCase("add", "bahdanau", &shapes[0], [&] {
            return runEpochCase(TaskKind::Add, AttentionKind::Bahdanau, opt.epochs, size,
                                runThreadCount);
        }));
        printEpochCase(epochCases.back());
    }
    if (wants(opt.cases, "max")) {
        epochCases.push_back(runCase("max", "luong", &shapes[1], [&] {
            return runEpochCase(TaskKind::Max, AttentionKind::Luong, opt.epochs, size,
                                runThreadCount);
        }));
        printEpochCase(epochCases.back());
    }
    const char *kinds[] = {"luong", "luong-dot", "bahdanau", "feed-forward",
                           "local", "self",  "none"};
    for (const char *k : kinds) {
        if (!wants(opt.cases, "mechanisms"))
            break;
        const AttentionKind kind = *attentionKindFromString(k);
        epochCases.push_back(runCase("mechanism", k, &shapes[0], [&] {
            return runEpochCase(TaskKind::Add, kind, opt.mechanismEpochs, size, runThreadCount);
        }));
        printEpochCase(epochCases.back());
    }
    std::optional<OurCase> align, gru, compare;
    if (opt.alignEpochs > 0 && wants(opt.cases, "align")) {
        align = runCase("align", "bahdanau", &shapes[0],
                        [&] { return runAlignCase(opt.alignEpochs, size, runThreadCount); });
        const Metrics &m = align->m;
        std::printf("  add seed 7 alignment per epoch:");
        for (int e = 1; e <= int(m.count("epochs_run") ? m.at("epochs_run") : 0); ++e)
            std::printf(" %.3f", m.at("epoch." + std::to_string(e) + ".alignment"));
        if (m.count("reached_epoch") && m.at("reached_epoch") > 0)
            std::printf("\n  time to alignment 0.9: %.3f s of training (epoch %.0f)",
                        m.at("seconds"), m.at("reached_epoch"));
        else if (align->child.ok)
            std::printf("\n  time to alignment 0.9: not reached in %.0f epochs (%.3f s)",
                        m.at("epochs_run"), m.at("seconds"));
        std::printf("; peak RSS %.1f MiB\n", mib(align->child.peakRssKib));
    }
    if (wants(opt.cases, "gru"))
        gru = runCase("gru", "plain", &shapes[2],
                      [&] { return runGruCase(opt.gruBatches, runThreadCount); });
    if (gru && gru->child.ok) {
        const double g = gru->m.at("flops_per_batch") * gru->m.at("batches_per_second") * 1e-9;
        std::printf("  gru (rl-tools shapes: batch 32, 64 steps, 32 inputs, 64 units, Dense(1) on "
                    "the last state, MSE): %.1f batches/s, %.2f MFLOP/batch, %.2f GFLOP/s "
                    "(%.1f%% of %.0f x GEMM), peak RSS %.1f MiB\n",
                    gru->m.at("batches_per_second"), gru->m.at("flops_per_batch") * 1e-6, g,
                    100.0 * g / (shapes[2].gflops * gru->m.at("threads")), gru->m.at("threads"),
                    mib(gru->child.peakRssKib));
    }
    if (opt.compareEpochs > 0 && wants(opt.cases, "compare")) {
        compare = runCase("compare", "bahdanau", &shapes[0], [&] {
            return runCompareCase(TaskKind::Add, opt.compareEpochs, size, opt.threads);
        });
        if (compare->child.ok)
            std::printf("  compare, add x 4 seeds, %d epoch(s): 1 thread %.2f s, %d threads "
                        "%.2f s, speed-up %.2fx (bar >= 1.6x: %s), results identical: %s, peak "
                        "RSS %.1f MiB\n",
                        opt.compareEpochs, compare->m.at("seconds_1"), opt.threads,
                        compare->m.at("seconds_n"), compare->m.at("speedup"),
                        compare->m.at("speedup") >= 1.6 ? "met" : "NOT met",
                        compare->m.at("identical") > 0 ? "yes" : "NO",
                        mib(compare->child.peakRssKib));
    }
    for (const OurCase &c : epochCases)
        if (c.child.ok)
            std::printf("{\"side\":\"ours\",\"case\":\"%s\",\"mechanism\":\"%s\","
                        "\"train_seconds_per_epoch\":%.4f,\"samples_per_second\":%.1f,"
                        "\"flops_per_batch\":%.0f,\"gflops\":%.3f,\"gemm_gflops\":%.3f,"
                        "\"peak_rss_kib\":%ld,\"parameters\":%.0f}\n",
                        c.name.c_str(), c.mechanism.c_str(), c.m.at("train_seconds_per_epoch"),
                        c.m.at("samples_per_second"), c.m.at("flops_per_batch"), epochGflops(c.m),
                        c.shape->gflops, c.child.peakRssKib, c.m.at("parameters"));

    // PyTorch.
    std::vector<TorchRecord> torch;
    std::optional<std::string> version;
    if (opt.torch)
        version = torchVersion(opt.python);
    if (!opt.torch) {
        std::printf("PyTorch: skipped (--no-torch); our numbers only.\n");
    } else if (!version) {
        std::printf("PyTorch: %s cannot import torch; our numbers only (Debian: python3-torch).\n",
                    opt.python.c_str());
    } else {
        std::printf("PyTorch %s (%s %s, %d thread(s), BLAS too, float32):\n", version->c_str(),
                    opt.python.c_str(), opt.script.c_str(), opt.torchThreads);
        std::string args = "--epochs " + std::to_string(opt.epochs) + " --mechanism-epochs " +
                           std::to_string(opt.mechanismEpochs) + " --align-epochs " +
                           std::to_string(opt.alignEpochs) + " --gru-batches " +
                           std::to_string(opt.gruBatches) + " --train-size " +
                           std::to_string(size.train) + " --val-size " +
                           std::to_string(size.validation) + " --threads " +
                           std::to_string(opt.torchThreads) + " --cases " + opt.cases;
        try {
            torch = runTorchScript(opt.python, opt.script, args, "  torch: ");
        } catch (const std::exception &e) {
            std::fprintf(stderr, "bench_sidebyside: %s\n", e.what());
            return 1;
        }
    }
    if (torch.empty())
        return 0;

    std::printf("Side by side (ours / torch / ratio; times: torch / ours, rates: ours / torch):\n");
    for (const OurCase &c : epochCases)
        if (c.child.ok && (c.name == "add" || c.name == "max"))
            printSide(c.name == "add" ? "add epoch (bahdanau), s" : "max epoch (luong), s",
                      c.m.at("train_seconds_per_epoch"),
                      torchNumber(torch, c.name, "train_seconds_per_epoch"), "s", false,
                      c.name == "add" ? 4.0 : 5.0);
    if (align && align->child.ok) {
        std::printf("  %-34s", "add seed 7 alignment per epoch");
        for (int e = 1; e <= int(align->m.at("epochs_run")); ++e)
            std::printf(" %.3f", align->m.at("epoch." + std::to_string(e) + ".alignment"));
        std::printf(" / torch");
        for (int e = 1;; ++e) {
            const auto a = torchNumber(torch, "align", "alignment", {{"epoch", std::to_string(e)}});
            if (!a)
                break;
            std::printf(" %.3f", *a);
        }
        std::printf("\n");
        const bool ours = align->m.at("reached_epoch") > 0;
        const std::optional<double> theirs = torchNumber(torch, "time_to_0.9", "seconds");
        if (ours && theirs)
            printSide("time to alignment 0.9 (add, seed 7), s", align->m.at("seconds"), theirs,
                      "s", false, 4.0);
        else
            std::printf("  %-34s ours %s, torch %s within %d epochs: no ratio (bar >= 4x: not "
                        "measured)\n",
                        "time to alignment 0.9 (add, seed 7)", ours ? "reached" : "not reached",
                        theirs ? "reached" : "not reached", opt.alignEpochs);
    }
    for (const OurCase &c : epochCases) {
        if (!c.child.ok || c.name != "mechanism")
            continue;
        const std::string what = "mechanism " + c.mechanism + ", s/epoch";
        printSide(what.c_str(), c.m.at("train_seconds_per_epoch"),
                  torchNumber(torch, "mechanism", "train_seconds_per_epoch",
                              {{"mechanism", c.mechanism}}),
                  "s", false, 0);
        const std::optional<double> params =
            torchNumber(torch, "mechanism", "parameters", {{"mechanism", c.mechanism}});
        if (params && *params != c.m.at("parameters"))
            std::printf("    (parameters differ: ours %.0f, torch %.0f)\n", c.m.at("parameters"),
                        *params);
    }
    if (gru && gru->child.ok)
        printSide("gru rl-tools shapes, batches/s", gru->m.at("batches_per_second"),
                  torchNumber(torch, "gru", "batches_per_second"), "/s", true, 0);
    if (const std::optional<double> rss = torchNumber(torch, "done", "peak_rss_kib"))
        std::printf("  PyTorch process peak RSS (every case, libtorch included): %.1f MiB\n",
                    mib(long(*rss)));
    return 0;
}
