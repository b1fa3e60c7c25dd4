// SPDX-License-Identifier: GPL-3.0-or-later
// bench_explain: trains a task as the app does (its published defaults, seed 7, the data from
// the seed's own stream) with the faithfulness measures of every epoch (TrainConfig::explainRows,
// what --explain runs), and prints per epoch the measures and their cost: the seconds the
// measures take (core/explain on the validation sample and the probe rows) as a share of the
// epoch's training time (issue 15, item 6).
#include "core/data/task.h"
#include "core/train/trainer.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>

using namespace attn;

namespace {

std::string text(const std::optional<double> &v)
{
    char buf[32] = "null";
    if (v)
        std::snprintf(buf, sizeof buf, "%.4f", *v);
    return buf;
}

int usage(const char *error)
{
    std::fprintf(stderr, "bench_explain: %s\nUsage: bench_explain --task add|max|feature|sentiment "
                         "[--attention KIND] [--epochs N] [--explain-rows N] [--data-dir DIR]\n", error);
    return 2;
}

} // namespace

int main(int argc, char **argv)
{
    TaskKind kind = TaskKind::Add;
    std::optional<AttentionKind> attention;
    int epochs = 0, rows = 256;
    std::string dataDir = "resources/data/sentiment_labelled_sentences";
    for (int i = 1; i < argc; ++i) {
        const std::string name = argv[i];
        if (i + 1 >= argc)
            return usage(("missing value for " + name).c_str());
        const std::string v = argv[++i];
        if (name == "--task") {
            const auto k = taskKindFromString(v);
            if (!k || *k == TaskKind::Csv)
                return usage("--task: add, max, feature or sentiment");
            kind = *k;
        } else if (name == "--attention") {
            attention = attentionKindFromString(v);
            if (!attention)
                return usage("--attention: unknown mechanism");
        } else if (name == "--epochs") {
            epochs = std::atoi(v.c_str());
        } else if (name == "--explain-rows") {
            rows = std::atoi(v.c_str());
        } else if (name == "--data-dir") {
            dataDir = v;
        } else {
            return usage(("unknown option " + name).c_str());
        }
    }
    if (rows < 1)
        return usage("--explain-rows: at least 1");
    TaskSource source;
    if (kind == TaskKind::Sentiment)
        source.directory = dataDir;
    Rng dataRng(7); // as makeTrainer: the data from the run's seed
    auto task = std::make_shared<const TaskData>(makeTask(kind, dataRng, {}, source));
    const TaskDefaults defaults = taskDefaults(kind);
    ModelConfig model = defaults.model;
    if (attention)
        model.attention = *attention;
    model.baselineReference = defaults.model.attention;
    TrainConfig train{epochs > 0 ? epochs : defaults.epochs, defaults.batchSize,
                      defaults.learningRate, 7, OptimizerKind::Adam};
    train.explainRows = rows;
    Trainer trainer(task, model, train);
    std::printf("%s %s, %d epochs, %d explained rows\n", toString(kind).c_str(),
                toString(model.attention).c_str(), train.epochs, rows);
    EpochSnapshot s;
    while (!trainer.finished()) {
        s = *trainer.trainEpoch();
        const FaithfulnessSummary &f = *s.faithfulness;
        const double trainSeconds = double(task->train.size()) / s.samplesPerSecond;
        std::printf("epoch %d: train %.2f s, measures %.2f s (%.1f%% of training); loss %.5f %s %.4f; "
                    "tau grad %s ixg %s loo %s ig %s; alignment attention %s grad %s ixg %s loo %s "
                    "ig %s; permutation %s uniform %s flips %s; IG gap %.4f\n",
                    s.epoch, trainSeconds, f.seconds, 100.0 * f.seconds / trainSeconds, s.valLoss,
                    s.metricName.c_str(), s.metric, text(f.tauGradient).c_str(),
                    text(f.tauInputXGradient).c_str(), text(f.tauLeaveOneOut).c_str(),
                    text(f.tauIntegratedGradients).c_str(), text(f.alignmentAttention).c_str(),
                    text(f.alignmentGradient).c_str(), text(f.alignmentInputXGradient).c_str(),
                    text(f.alignmentLeaveOneOut).c_str(), text(f.alignmentIntegratedGradients).c_str(),
                    text(f.permutationMedianAbsChange).c_str(), text(f.uniformAbsChange).c_str(),
                    text(f.decisionFlipShare).c_str(), f.completenessGap);
        // Where leave-one-out puts its mass on the probe rows: on the ground-truth steps and on
        // the step before each (add: the delimiters, which erasing to the training mean removes).
        const Grid &g = s.groundTruth, &loo = f.probeLeaveOneOut;
        if (!g.empty() && g.rows == loo.rows && g.cols == loo.cols && g.cols > 1) {
            double onTruth = 0, before = 0, total = 0;
            for (int r = 0; r < g.rows; ++r)
                for (int c = 0; c < g.cols; ++c) {
                    const double v = std::abs(double(loo.at(r, c)));
                    total += v;
                    onTruth += g.at(r, c) > 0 ? v : 0.0;
                    before += (c + 1 < g.cols && g.at(r, c + 1) > 0 && g.at(r, c) == 0) ? v : 0.0;
                }
            if (total > 0)
                std::printf("  probe rows: leave-one-out share %.3f on the ground truth, %.3f on the "
                            "step before each ground-truth step\n", onTruth / total, before / total);
        }
        std::fflush(stdout);
    }
    return 0;
}
