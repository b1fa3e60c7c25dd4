// SPDX-License-Identifier: GPL-3.0-or-later
// Eigen's own GEMM throughput at a recurrent layer's shapes (the reference of the benchmarks'
// "effective GFLOP/s"): the three products that dominate a training step, written as
// RecurrentLayer writes them (same matrix types and expressions), timed in the calling thread.
#pragma once

#include <string>
#include <vector>

namespace attn::bench {

struct GemmResult {
    std::string name;
    std::string shape;
    double flopsPerBatch = 0; // FLOPs of this shape in one training batch
    long long reps = 0;       // batches' worth of products run
    double seconds = 0;
    double gflops() const { return flopsPerBatch * double(reps) / seconds * 1e-9; }
};

/// Times, for T steps of a batch of B and H units with G gates (LSTM 4, GRU 3), the recurrent
/// forward h_{t-1} W_hh^T (B x H)(H x GH) x (T-1), the backward du_t W_hh (B x GH)(GH x H)
/// x (T-1) and the weight gradient du^T h (GH x (T-1)B)((T-1)B x H), each for about
/// targetSeconds after a short warm-up.
std::vector<GemmResult> benchGemm(int steps, int batch, int hidden, int gates,
                                  double targetSeconds);

/// The FLOP-weighted (harmonic) combination of the results in GFLOP/s: total FLOPs over the
/// total time they take at their own rates.
double combinedGflops(const std::vector<GemmResult> &results);

/// FLOPs of one batch covered by the results.
double gemmFlopsPerBatch(const std::vector<GemmResult> &results);

} // namespace attn::bench
