// SPDX-License-Identifier: GPL-3.0-or-later
// Immutable value snapshots that leave the training worker: per-epoch statistics and the
// attention of the probe rows. Plain C++ (no Eigen, no Qt) so widgets/ can render them without
// seeing a live model.
#pragma once

#include <cstddef>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace attn {

/// A dense row-major grid of values, e.g. attention weights of R probe rows over T time steps.
struct Grid {
    int rows = 0;
    int cols = 0;
    std::vector<float> values; // (rows*cols), row-major

    float at(int r, int c) const { return values[std::size_t(r) * std::size_t(cols) + std::size_t(c)]; }
    /// Cell (r, c) as a double; NaN if (r, c) is outside the grid or values is short (a damaged
    /// session), so views can hover or draw any cell without checking first.
    double valueOrNaN(int r, int c) const
    {
        if (r < 0 || r >= rows || c < 0 || c >= cols)
            return std::numeric_limits<double>::quiet_NaN();
        const std::size_t i = std::size_t(r) * std::size_t(cols) + std::size_t(c);
        return i < values.size() ? double(values[i]) : std::numeric_limits<double>::quiet_NaN();
    }
    bool empty() const { return rows == 0 || cols == 0; }
};

/// A score the model has to beat, in the units of EpochSnapshot::metric, computed on the same
/// split (core/train/baselines.h).
struct Baseline {
    std::string key;   // JSON key: "majority_accuracy", "nearest_neighbour_accuracy", "mean_mae"
    std::string label; // for plots: "majority class", "1-NN Euclidean", "training mean"
    double value = 0.0;
};

/// Everything the UI and the headless JSON need to know about one finished epoch.
/// Is attention an explanation? The measures of core/explain/faithfulness.h (FaithfulnessReport)
/// on a fixed sample of validation rows, when the run asks for them (TrainConfig::explainRows,
/// --explain). tau: mean Kendall's tau-b between attention and |attribution| per row (null
/// without attention); alignment: with the ground truth as attention's (null without ground
/// truth); changes: median output change under permuted / uniform attention; flips:
/// classification only.
struct FaithfulnessSummary {
    int rows = 0;
    std::optional<double> tauGradient, tauInputXGradient, tauLeaveOneOut, tauIntegratedGradients;
    std::optional<double> alignmentAttention, alignmentGradient, alignmentInputXGradient,
        alignmentLeaveOneOut, alignmentIntegratedGradients;
    std::optional<double> permutationMedianAbsChange, uniformAbsChange, decisionFlipShare;
    double completenessGap = 0.0; // integrated gradients: mean |sum - (y(x) - y(x'))|
    double seconds = 0.0;         // wall time of the measures
    /// The attributions of the probe rows (the rows of EpochSnapshot::attention), (P, T) each
    /// (the feature task: (P, F)), as measured (attributeRows, core/explain/faithfulness.h):
    /// gradient and leave-one-out >= 0, input x gradient and integrated gradients signed. A
    /// view compares them with attention as |a| normalised to sum to 1 over each row.
    Grid probeGradient, probeInputXGradient, probeLeaveOneOut, probeIntegratedGradients;
};

struct EpochSnapshot {
    int epoch = 0;                  // 1-based
    int totalEpochs = 0;
    double seconds = 0.0;           // wall time of this epoch (training + validation)
    double trainLoss = 0.0;         // mean training loss over the epoch
    double valLoss = 0.0;           // validation loss
    double metric = 0.0;            // validation metric (see metricName); MAE in the file's units
    std::string metricName;         // "mae" for regression, "accuracy" for classification
    /// A held-out test set (TaskData::test): its loss and metric, never used for a choice.
    std::optional<double> testLoss;
    std::optional<double> testMetric;
    /// Forecasts: MASE of the validation / test metric, the MAE over the naive forecast's MAE on
    /// the training rows (Hyndman & Koehler 2006); < 1 beats the naive forecast.
    std::optional<double> mase;
    std::optional<double> testMase;
    std::optional<double> alignment; // attention vs ground truth over the whole validation set,
                                    // in [0, 1] (docs/tasks.md, "Alignment")
    int alignmentRows = 0;          // validation rows counted in alignment (feature: rows whose
                                    // true column is not 0)
    double samplesPerSecond = 0.0;  // training samples per second of this epoch
    Grid attention;                 // (probe rows, T) attention weights; feature task (probe
                                    // rows, F); empty for the no-attention baseline
    Grid groundTruth;               // (probe rows, T) ground-truth attention mask, may be empty;
                                    // feature task (probe rows, F), one-hot at the true column
    Grid argmaxAttention;           // (probe rows, T) one-hot argmax of attention (max, feature)
    Grid probeInputs;               // (probe rows, T) first input feature of each probe row
                                    // (sentiment: token ids; a forecast: its own series in the
                                    // file's units); feature task (probe rows, F) inputs
    // Added for the feature, sentiment and self-attention views (empty / null where n/a):
    std::optional<double> groundTruthMass; // mean attention on the ground-truth positions over
                                    // the validation rows counted in alignment (feature: the mean
                                    // weight on the true column)
    std::vector<std::vector<std::string>> probeTokens; // (probe rows, T) word at each step, "" =
                                    // padding (sentiment)
    std::vector<float> probePredictions; // (probe rows) model output: probability for binary
                                    // tasks, the predicted value for regression (file's units)
    std::vector<float> probeTargets; // (probe rows) true target / label
    std::vector<float> probePaddingMass; // (probe rows) attention mass on padding steps (0 when
                                    // masked); empty when the probe rows have no padding
    std::vector<std::vector<Grid>> headMaps; // self-attention: [probe row][head] (T, T) map,
                                    // row = query step, column = key step; each row sums to 1;
                                    // transformer: [probe row][l K + k] = head k of layer l
    int headLayers = 1;             // layers the head maps come from (transformer: N; else 1)
    std::vector<float> hiddenAttention; // autoencoder with its attention after the first layer:
                                    // (H1) mean over the probe rows of that block's weights;
                                    // `attention` holds them carried back to the inputs
    std::vector<Baseline> baselines; // the same every epoch of a run
    int season = 0;                 // forecasts: the season P in steps (detected or --season; the
                                    // probe's step T - P is the same point a season earlier);
                                    // 0 = none, or not a forecast
    int bestEpoch = 0;              // early stopping: the epoch with the lowest validation loss
                                    // so far (restored at the end); 0 = no early stopping
    std::optional<FaithfulnessSummary> faithfulness; // with TrainConfig::explainRows > 0
};

/// Live progress inside an epoch, sent at most ~30 times per second.
struct ProgressInfo {
    int epoch = 0;                 // 1-based epoch in progress
    int totalEpochs = 0;
    long long samplesDone = 0;     // training samples done in this epoch
    long long samplesPerEpoch = 0;
    double samplesPerSecond = 0.0; // running rate in this epoch
    double etaSeconds = 0.0;       // estimated time to the end of the run
};

} // namespace attn
