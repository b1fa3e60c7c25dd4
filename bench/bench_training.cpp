// SPDX-License-Identifier: GPL-3.0-or-later
// bench_training: trains a task with its published defaults (seed 7) for a few epochs, times the
// training part of every epoch apart from validation, counts the FLOPs of the model's matrix
// products exactly from the shapes in core/, and compares the effective GFLOP/s with Eigen's own
// single-thread GEMM throughput at the LSTM's shapes measured in the same run.
// Output: human-readable lines, then (last) one JSON line for scripts.
#include "bench/gemmbench.h"
#include "bench/trainingflops.h"
#include "core/explain/faithfulness.h"
#include "core/models/sequencemodel.h"
#include "core/data/task.h"
#include "core/tensor/tensor.h"
#include "core/train/trainer.h"

#include <Eigen/Core>

#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <vector>

using namespace attn;
using attn::bench::FlopTerm;
using attn::bench::GemmResult;
using attn::bench::sumFlops;
using attn::bench::trainingFlopTerms;

namespace {

// ---------------------------------------------------------------------------------------------
// Command line
// ---------------------------------------------------------------------------------------------

struct Options {
    TaskKind task = TaskKind::Add;
    std::optional<AttentionKind> attention; // default: the task's
    int epochs = 3;
    int trainSize = 0; // 0 = the published size
    int valSize = 0;   // 0 = the published size
    double gemmSeconds = 1.0;
    int explainRows = 0; // > 0: measureFaithfulness on that many validation rows after each epoch
    int explainSteps = FaithfulnessOptions{}.integrationSteps;
    int explainPermutations = FaithfulnessOptions{}.permutations;
};

void printUsage(std::FILE *out)
{
    std::fprintf(out,
                 "Usage: bench_training [options]\n"
                 "Trains a task with its published defaults (seed 7) and compares the training\n"
                 "throughput with Eigen's single-thread GEMM throughput at the LSTM's shapes.\n"
                 "\n"
                 "Options (a value may also be given as --option=value):\n"
                 "  --task add|max            task, with its published defaults (default add)\n"
                 "  --attention KIND          a sequence mechanism but local-m (default: the task's)\n"
                 "  --epochs N                epochs to train (default 3)\n"
                 "  --train-size N            training samples (default: the published size)\n"
                 "  --val-size N              validation samples (default: the published size)\n"
                 "  --gemm-seconds S          time per GEMM shape, 0.01 to 60 (default 1)\n"
                 "  --explain-rows N          after each epoch, time the faithfulness measures\n"
                 "                            (core/explain) on N validation rows (default 0: off)\n"
                 "  --explain-steps M         integrated gradients' steps (default 16)\n"
                 "  --explain-permutations P  permutations of each row's attention (default 8)\n"
                 "  --help                    this text\n"
                 "\n"
                 "The last output line is JSON: task, attention, epochs, seconds_per_epoch,\n"
                 "train_seconds_per_epoch, samples_per_second, train_gflops, gemm_gflops and\n"
                 "ratio (train_gflops / gemm_gflops as a fraction; the text shows a percentage);\n"
                 "with --explain-rows also explain_seconds_per_epoch and explain_ratio (explain\n"
                 "seconds / training seconds of the epoch).\n"
                 "Exit status: 0 on success, 2 on a bad option.\n");
}

bool parseInt(std::string_view s, int lo, int hi, int &out)
{
    int v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size() || v < lo || v > hi)
        return false;
    out = v;
    return true;
}

bool parseDouble(std::string_view s, double lo, double hi, double &out)
{
    double v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size() || !(v >= lo && v <= hi))
        return false;
    out = v;
    return true;
}

// Returns -1 to run, or the exit status (0 after --help, 2 after an error message on stderr).
int parseOptions(int argc, char **argv, Options &o)
{
    auto fail = [](const std::string &message) {
        std::fprintf(stderr, "bench_training: %s (see --help)\n", message.c_str());
        return 2;
    };
    for (int i = 1; i < argc; ++i) {
        std::string_view arg = argv[i];
        if (arg == "--help" || arg == "-h") {
            printUsage(stdout);
            return 0;
        }
        if (arg.substr(0, 2) != "--")
            return fail("unexpected argument '" + std::string(arg) + "'");
        std::string name(arg);
        std::optional<std::string> value;
        if (const auto eq = name.find('='); eq != std::string::npos) {
            value = name.substr(eq + 1);
            name.resize(eq);
        }
        const bool known = name == "--task" || name == "--attention" || name == "--epochs" ||
                           name == "--train-size" || name == "--val-size" ||
                           name == "--gemm-seconds" || name == "--explain-rows" ||
                           name == "--explain-steps" || name == "--explain-permutations";
        if (!known)
            return fail("unknown option '" + name + "'");
        if (!value) {
            if (i + 1 >= argc)
                return fail(name + ": missing value");
            value = argv[++i];
        }
        const std::string &v = *value;
        if (name == "--task") {
            const auto kind = taskKindFromString(v);
            if (!kind)
                return fail("--task: expected add or max, got '" + v + "'");
            o.task = *kind;
        } else if (name == "--attention") {
            const auto kind = attentionKindFromString(v);
            if (!kind)
                return fail("--attention: expected a mechanism such as luong or bahdanau, got '" +
                            v + "'");
            o.attention = *kind;
        } else if (name == "--epochs") {
            if (!parseInt(v, 1, 100000, o.epochs))
                return fail("--epochs: expected a whole number from 1 to 100000, got '" + v + "'");
        } else if (name == "--train-size") {
            if (!parseInt(v, 1, 10000000, o.trainSize))
                return fail("--train-size: expected a whole number from 1 to 10000000, got '" + v +
                            "'");
        } else if (name == "--val-size") {
            if (!parseInt(v, 1, 10000000, o.valSize))
                return fail("--val-size: expected a whole number from 1 to 10000000, got '" + v +
                            "'");
        } else if (name == "--explain-rows") {
            if (!parseInt(v, 1, 100000, o.explainRows))
                return fail("--explain-rows: expected a whole number from 1 to 100000, got '" + v +
                            "'");
        } else if (name == "--explain-steps") {
            if (!parseInt(v, 1, 10000, o.explainSteps))
                return fail("--explain-steps: expected a whole number from 1 to 10000, got '" + v + "'");
        } else if (name == "--explain-permutations") {
            if (!parseInt(v, 1, 10000, o.explainPermutations))
                return fail("--explain-permutations: expected a whole number from 1 to 10000, got '" +
                            v + "'");
        } else if (name == "--gemm-seconds") {
            if (!parseDouble(v, 0.01, 60.0, o.gemmSeconds))
                return fail("--gemm-seconds: expected a number from 0.01 to 60, got '" + v + "'");
        }
    }
    return -1;
}


std::string modelDescription(const ModelConfig &m)
{
    std::string s = "LSTM(" + std::to_string(m.hidden) + ") -> " + toString(m.attention) + "(" +
                    std::to_string(m.attentionUnits) + ")";
    if (m.dropout > 0) {
        char buf[32];
        std::snprintf(buf, sizeof buf, " -> Dropout(%g)", m.dropout);
        s += buf;
    }
    return s + " -> Dense(" + std::to_string(m.outputs) + ")";
}

} // namespace

int main(int argc, char **argv)
{
    Options opt;
    if (const int status = parseOptions(argc, argv, opt); status >= 0)
        return status;

    // The run, built as app/session/runsettings.cpp builds it: the task's defaults, seed 7 for the data,
    // the weights, the shuffling and the dropout masks.
    const std::uint64_t seed = 7;
    const TaskDefaults defaults = taskDefaults(opt.task);
    ModelConfig model = defaults.model;
    if (opt.attention)
        model.attention = *opt.attention;
    TrainConfig train;
    train.epochs = opt.epochs;
    train.batchSize = defaults.batchSize;
    train.learningRate = defaults.learningRate;
    train.seed = seed;
    train.optimizer = OptimizerKind::Adam;

    std::unique_ptr<Trainer> trainer;
    try {
        Rng dataRng(seed);
        auto task = std::make_shared<TaskData>(
            makeTask(opt.task, dataRng, TaskSize{opt.trainSize, opt.valSize}));
        trainer = std::make_unique<Trainer>(task, model, train);
    } catch (const std::exception &e) {
        std::fprintf(stderr, "bench_training: %s\n", e.what());
        return 2;
    }
    const TaskData &task = trainer->task();
    const int T = task.train.steps, B = train.batchSize, batches = trainer->batchesPerEpoch();

    std::vector<FlopTerm> terms;
    try {
        terms = trainingFlopTerms(model, T, B);
    } catch (const std::exception &e) {
        std::fprintf(stderr, "bench_training: %s\n", e.what());
        return 2;
    }
    const double flopsPerBatch = sumFlops(terms);

    std::printf("bench_training: task %s, attention %s, seed %llu, %d epoch(s)\n",
                task.name.c_str(), toString(model.attention).c_str(), (unsigned long long)seed,
                opt.epochs);
    std::printf("  model    %s, %lld parameters\n", modelDescription(model).c_str(),
                trainer->model().parameterCount());
    std::printf("  data     T=%d, F=%d, batch %d, %lld train (%d batches/epoch), %lld validation\n",
                T, task.train.features, B, (long long)task.train.size(), batches,
                (long long)task.validation.size());
    std::printf("  threads  Eigen::nbThreads() = %d, hardware threads = %u, SIMD: %s\n",
                Eigen::nbThreads(), std::thread::hardware_concurrency(),
                Eigen::SimdInstructionSetsInUse());
    std::printf("  FLOPs    %.2f MFLOP per training batch (matrix products, fwd + bwd): "
                "lstm %.2f, attention %.2f, readout %.2f, dense %.3f\n",
                flopsPerBatch * 1e-6, sumFlops(terms, "lstm") * 1e-6,
                sumFlops(terms, "attention") * 1e-6, sumFlops(terms, "readout") * 1e-6,
                sumFlops(terms, "dense") * 1e-6);

    // Eigen's GEMM at the LSTM's shapes, single thread.
    std::printf("Eigen GEMM, float row-major, %d thread(s), ~%g s per shape:\n", Eigen::nbThreads(),
                opt.gemmSeconds);
    const std::vector<GemmResult> gemm = attn::bench::benchGemm(T, B, model.hidden, 4, opt.gemmSeconds);
    for (const GemmResult &g : gemm)
        std::printf("  %-24s %-28s %8.2f GFLOP/s  (%.1f MFLOP per batch, %lld reps)\n",
                    g.name.c_str(), g.shape.c_str(), g.gflops(), g.flopsPerBatch * 1e-6, g.reps);
    const double gemmFlops = attn::bench::gemmFlopsPerBatch(gemm);
    const double gemmGflops = attn::bench::combinedGflops(gemm); // FLOP-weighted (harmonic)
    std::printf("  %-24s %-28s %8.2f GFLOP/s  (these shapes are %.1f%% of a batch's FLOPs)\n",
                "combined", "(FLOP-weighted)", gemmGflops, 100.0 * gemmFlops / flopsPerBatch);

    // Training.
    std::printf("Training (Adam %g, batch %d):\n", train.learningRate, B);
    double trainSeconds = 0, totalSeconds = 0, explainSeconds = 0;
    for (int e = 0; e < opt.epochs; ++e) {
        const std::optional<EpochSnapshot> s = trainer->trainEpoch();
        if (!s) {
            std::fprintf(stderr, "bench_training: epoch %d was stopped\n", e + 1);
            return 1;
        }
        // samplesPerSecond counts the training batches only (not validation or probes).
        const double epochTrain = double(batches) * B / s->samplesPerSecond;
        trainSeconds += epochTrain;
        totalSeconds += s->seconds;
        char align[32] = "n/a";
        if (s->alignment)
            std::snprintf(align, sizeof align, "%.3f", *s->alignment);
        std::printf("  epoch %d/%d: train %.3f s, total %.3f s, %.0f samples/s, %.2f GFLOP/s; "
                    "loss %.5f, val loss %.5f, %s %.4f, alignment %s\n",
                    s->epoch, opt.epochs, epochTrain, s->seconds, s->samplesPerSecond,
                    flopsPerBatch * batches / epochTrain * 1e-9, s->trainLoss, s->valLoss,
                    s->metricName.c_str(), s->metric, align);
        if (opt.explainRows > 0) {
            FaithfulnessOptions fo;
            fo.rows = opt.explainRows;
            fo.integrationSteps = opt.explainSteps;
            fo.permutations = opt.explainPermutations;
            const FaithfulnessReport r = measureFaithfulness(trainer->model(), task, fo);
            trainer->model().resize(T, B);
            explainSeconds += r.seconds;
            auto text = [](const std::optional<double> &v) {
                char buf[32] = "n/a";
                if (v)
                    std::snprintf(buf, sizeof buf, "%.3f", *v);
                return std::string(buf);
            };
            std::printf("    explain %d rows: %.3f s (%.1f%% of the epoch's training); tau grad %s "
                        "ixg %s loo %s ig %s; alignment attention %s grad %s ixg %s loo %s ig %s; "
                        "permutation %s, uniform %s; IG gap %.4f of %.4f\n",
                        r.rows, r.seconds, 100.0 * r.seconds / epochTrain,
                        text(r.gradient.kendallTau).c_str(), text(r.inputXGradient.kendallTau).c_str(),
                        text(r.leaveOneOut.kendallTau).c_str(),
                        text(r.integratedGradients.kendallTau).c_str(),
                        text(r.attentionAlignment).c_str(), text(r.gradient.alignment).c_str(),
                        text(r.inputXGradient.alignment).c_str(), text(r.leaveOneOut.alignment).c_str(),
                        text(r.integratedGradients.alignment).c_str(),
                        text(r.permutationMedianAbsChange).c_str(), text(r.uniformAbsChange).c_str(),
                        r.completenessGap, r.completenessDelta);
        }
    }
    const double secondsPerEpoch = totalSeconds / opt.epochs;
    const double trainSecondsPerEpoch = trainSeconds / opt.epochs;
    const double samplesPerSecond = double(batches) * B * opt.epochs / trainSeconds;
    const double trainGflops = flopsPerBatch * batches * opt.epochs / trainSeconds * 1e-9;
    const double ratio = trainGflops / gemmGflops;

    std::printf("Summary:\n");
    std::printf("  seconds per epoch        %.3f total, %.3f training only\n", secondsPerEpoch,
                trainSecondsPerEpoch);
    std::printf("  samples/s (training)     %.0f\n", samplesPerSecond);
    std::printf("  training GFLOP/s         %.2f  (%.2f MFLOP/batch x %d batches / %.3f s)\n",
                trainGflops, flopsPerBatch * 1e-6, batches, trainSecondsPerEpoch);
    std::printf("  GEMM GFLOP/s (combined)  %.2f\n", gemmGflops);
    std::printf("  training / GEMM          %.1f%%\n", 100.0 * ratio);
    std::string explainJson;
    if (opt.explainRows > 0) {
        const double perEpoch = explainSeconds / opt.epochs;
        std::printf("  explain per epoch        %.3f s, %.1f%% of the training time\n", perEpoch,
                    100.0 * perEpoch / trainSecondsPerEpoch);
        char buf[128];
        std::snprintf(buf, sizeof buf, ",\"explain_seconds_per_epoch\":%.4f,\"explain_ratio\":%.4f",
                      perEpoch, perEpoch / trainSecondsPerEpoch);
        explainJson = buf;
    }
    std::printf("{\"task\":\"%s\",\"attention\":\"%s\",\"epochs\":%d,\"seconds_per_epoch\":%.4f,"
                "\"train_seconds_per_epoch\":%.4f,\"samples_per_second\":%.1f,"
                "\"train_gflops\":%.3f,\"gemm_gflops\":%.3f,\"ratio\":%.4f%s}\n",
                task.name.c_str(), toString(model.attention).c_str(), opt.epochs, secondsPerEpoch,
                trainSecondsPerEpoch, samplesPerSecond, trainGflops, gemmGflops, ratio,
                explainJson.c_str());
    return 0;
}
