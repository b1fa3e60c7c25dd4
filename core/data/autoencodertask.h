// SPDX-License-Identifier: GPL-3.0-or-later
// The autoencoder task's data (docs/tasks.md, "autoencoder"): a built-in set whose ground truth
// is known (a few columns driven by latent factors, the rest weak independent noise), or the
// rows of any wide CSV file, each row one vector to reconstruct.
#pragma once

#include "core/data/task.h"

#include <string>

namespace attn {

/// The built-in set's construction (docs/tasks.md, "autoencoder").
struct AutoencoderData {
    static constexpr int kColumns = 32;     // F
    static constexpr int kInformative = 8;  // columns 1, 5, 9, ..., 29 (every 4th from 1)
    static constexpr int kFactors = 3;      // latent factors behind the informative columns
    static constexpr double kSpecificStd = 0.1; // own noise of an informative column
    static constexpr double kNoiseStd = 0.3;    // the other columns: independent N(0, 0.3^2)
    /// True when column f (0..31) is one of the informative columns.
    static bool informative(int f) { return f % 4 == 1; }
};

/// autoencoder (built-in): F = 32 columns; per row, z ~ N(0, I_3) and for the 8 informative
/// columns x_f = a_f . z + 0.1 e_f, with loadings a_f (drawn once per task from rng, each of
/// norm 1, so the column's variance is 1.01); the other 24 columns are independent N(0, 0.09).
/// y = x (the reconstruction target); ground truth (N, F) is 1 on the informative columns.
/// 10,000 train / 2,000 validation rows (size overrides); probes = first 10 validation rows.
/// Dropout(0.2) -> Dense(256, relu) -> attention -> MVN -> Dense(128, relu) -> MVN ->
/// Dropout(0.5) -> tied decoder; MSE, Adam 1e-3, batch 64, 20 epochs; alignment = attention
/// mass on the informative columns (chance 8/32 = 0.25).
TaskData makeAutoencoderTask(Rng &rng, TaskSize size = {});

/// autoencoder on a wide CSV file: every column a feature (a header row is detected and
/// skipped), each row one vector; columns are standardised with the training rows' mean and
/// spread; 20% of the rows (seeded shuffle from rng) validate. No ground truth (alignment null).
/// Throws CsvError for an unreadable file, DataError for a non-numeric cell, fewer than 2
/// columns or fewer than 5 rows.
TaskData makeAutoencoderCsvTask(const std::string &path, Rng &rng);

} // namespace attn
