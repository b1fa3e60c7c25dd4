// SPDX-License-Identifier: GPL-3.0-or-later
// Snapshots with every field a session file stores filled with random but plausible values, for
// the tests of the session file (tst_sessionfile, tst_sessionlimits).
#pragma once

#include "core/snapshot/snapshot.h"

#include <limits>
#include <random>

namespace attn::test {

/// A grid of uniform values in [lo, hi).
inline attn::Grid randomGrid(std::mt19937 &rng, int rows, int cols, float lo = 0.0f, float hi = 1.0f)
{
    std::uniform_real_distribution<float> u(lo, hi);
    attn::Grid g{rows, cols, {}};
    for (int i = 0; i < rows * cols; ++i)
        g.values.push_back(u(rng));
    return g;
}

/// Rows that sum to 1, as attention weights do.
inline attn::Grid attentionGrid(std::mt19937 &rng, int rows, int cols)
{
    attn::Grid g = randomGrid(rng, rows, cols, 0.01f, 1.0f);
    for (int r = 0; r < rows; ++r) {
        float sum = 0.0f;
        for (int c = 0; c < cols; ++c)
            sum += g.values[std::size_t(r * cols + c)];
        for (int c = 0; c < cols; ++c)
            g.values[std::size_t(r * cols + c)] /= sum;
    }
    return g;
}

/// A self-attention sentiment-like epoch: R = 3 probe rows, T = 5 steps, K = 2 heads.
inline attn::EpochSnapshot makeSnapshot(int epoch, std::mt19937 &rng)
{
    constexpr int R = 3, T = 5, K = 2;
    attn::EpochSnapshot s;
    s.epoch = epoch;
    s.totalEpochs = 3;
    s.seconds = 1.25 + 0.1 * epoch;
    s.trainLoss = 0.693 / (1.0 + epoch);
    s.valLoss = 0.7 / (1.0 + 0.5 * epoch);
    s.metric = 0.5 + 0.1 * epoch;
    s.metricName = "accuracy";
    if (epoch > 1) // the first epoch without, to cover null
        s.alignment = 1.0 / 3.0 + epoch;
    s.samplesPerSecond = 12345.678 * epoch;
    if (epoch > 1) { // a test file, MASE and early stopping from the second epoch on
        s.testLoss = 0.6 / epoch;
        s.testMetric = 0.4 + 0.1 / 3.0 * epoch;
        s.mase = 0.9 / epoch;
        s.testMase = 1.1 / epoch;
        s.bestEpoch = epoch - 1;
        s.season = 4; // a forecast's season, marked in the series view
    }
    s.attention = attentionGrid(rng, R, T);
    s.groundTruth = attn::Grid{R, T, std::vector<float>(R * T, 0.0f)};
    for (int r = 0; r < R; ++r)
        s.groundTruth.values[std::size_t(r * T + r)] = 1.0f;
    s.argmaxAttention = randomGrid(rng, R, T);
    s.probeInputs = randomGrid(rng, R, T, -3.0f, 3.0f);
    // Floats whose decimal forms are awkward: 0.1, the smallest subnormal, the largest finite
    // float, minus zero.
    s.probeInputs.values[0] = 0.1f;
    s.probeInputs.values[1] = std::numeric_limits<float>::denorm_min();
    s.probeInputs.values[2] = std::numeric_limits<float>::max();
    s.probeInputs.values[3] = -0.0f;
    s.groundTruthMass = 0.2 * epoch + 1e-17;
    s.probeTokens = {{"the", "food, ok", "was", "\"great\"", ""},
                     {"naïve", "café", "", "", ""},
                     {"a", "b", "c", "d", "e"}};
    s.probePredictions = {0.9f, 0.1f, float(epoch) / 7.0f};
    s.probeTargets = {1.0f, 0.0f, 1.0f};
    s.probePaddingMass = {0.625f, 0.0f, 0.9f};
    s.hiddenAttention = {0.5f, 0.125f, 0.375f}; // the autoencoder's block after its first layer
    s.baselines = {{"majority_accuracy", "majority class", 0.5}, {"nearest_neighbour_accuracy", "1-NN Euclidean", 1.0 / 3.0}};
    if (epoch > 1) { // --explain from the second epoch on, with a missing and a NaN measure
        attn::FaithfulnessSummary f;
        f.rows = 32;
        f.tauGradient = 0.25 + 0.01 * epoch;
        f.tauInputXGradient = -1.0 / 3.0;
        f.tauLeaveOneOut = std::numeric_limits<double>::quiet_NaN();
        f.alignmentAttention = 0.75;
        f.alignmentGradient = 0.5;
        f.alignmentLeaveOneOut = 1e-17;
        f.permutationMedianAbsChange = 0.125;
        f.uniformAbsChange = 0.3;
        f.decisionFlipShare = 0.0625;
        f.completenessGap = 2e-6;
        f.seconds = 0.75;
        f.probeGradient = randomGrid(rng, R, T);
        f.probeInputXGradient = randomGrid(rng, R, T, -1.0f, 1.0f);
        f.probeLeaveOneOut = randomGrid(rng, R, T);
        f.probeIntegratedGradients = randomGrid(rng, R, T, -1.0f, 1.0f);
        s.faithfulness = f;
    }
    s.headMaps.resize(R);
    for (int r = 0; r < R; ++r)
        for (int k = 0; k < K; ++k)
            s.headMaps[std::size_t(r)].push_back(attentionGrid(rng, T, T));
    return s;
}

} // namespace attn::test
