// SPDX-License-Identifier: GPL-3.0-or-later
// The FLOP model of bench_training and bench_sidebyside: the matrix-product FLOPs of one
// training step of a SequenceModel, term by term, read off the shapes in core/.
#pragma once

#include "core/models/model.h"

#include <vector>

namespace attn::bench {

struct FlopTerm {
    const char *layer; // "lstm" or "gru", "attention", "readout", "baseline", "dense"
    const char *what;
    double flops;
};

/// FLOPs of one training step (forward + backward) of SequenceModel with config m on a batch of
/// B sequences of T steps (see trainingflops.cpp for what is counted): every mechanism
/// SequenceModel builds except local-m, LSTM or GRU. Throws std::invalid_argument otherwise.
std::vector<FlopTerm> trainingFlopTerms(const ModelConfig &m, int steps, int batch);

/// The sum of the terms, of one layer only when layer is not null.
double sumFlops(const std::vector<FlopTerm> &terms, const char *layer = nullptr);

} // namespace attn::bench
