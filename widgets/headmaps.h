// SPDX-License-Identifier: GPL-3.0-or-later
// The self-attention maps of a snapshot (EpochSnapshot::headMaps, Vaswani et al. 2017) without a
// widget, for SelfAttentionView: the map of one probe row for one head or the mean of its heads,
// the word at a time step, and the sample selector's label of a row.
#pragma once

#include "core/snapshot/snapshot.h"

#include <QString>

namespace attn {

/// The (T, T) map of probe row `row` (row = query step, column = key step): head `head`'s
/// (0..K-1), or for any other head the element-wise mean of the row's K heads. Empty when the
/// row has no maps.
Grid headMap(const EpochSnapshot &s, int row, int head);

/// The word at time step `step` of probe row `row` (s.probeTokens, sentiment); empty for
/// padding, without words or out of range.
QString stepWord(const EpochSnapshot &s, int row, int step);

/// "Sample r", with the sentence's first five words and "…" when the row has words.
QString sampleLabel(const EpochSnapshot &s, int row);

} // namespace attn
