// SPDX-License-Identifier: GPL-3.0-or-later
// WeightScale: the one colour scale of the attention weights, as a value that every renderer
// takes (heatmap, its PNG / PDF, the replay GIF and PNG series, the sentence view), so an export
// is drawn on exactly the scale the window shows. Fixed 0..1 by default, as in keras-attention's
// figures; scaling to the largest weight is an opt-in that the colour bar names.
#pragma once

#include "core/snapshot/snapshot.h"

#include <QString>

namespace attn {

struct WeightScale {
    enum class Mode {
        Fixed,         // 0..1, shared with the ground truth
        LargestWeight, // 0..the largest attention weight shown; the ground truth keeps 0..1
    };
    Mode mode = Mode::Fixed;

    bool scaled() const { return mode == Mode::LargestWeight; }
    /// The top of the colour scale for attention whose largest finite weight is largest:
    /// 1 for Fixed; for LargestWeight largest, at least 1e-6 (an all-zero map still needs a
    /// non-empty range).
    double top(double largest) const;
    /// The top for the weights of a grid (top(largestWeight(g))).
    double top(const Grid &attention) const;
    /// The colour bar's label: "weight" for Fixed, "scaled: 0 – 0.083 (largest weight)" for
    /// LargestWeight with top 0.083 (two significant digits).
    QString label(double top) const;
    /// The shade 0..1 a weight w is drawn with on a scale ending at top: w / top, clamped.
    static double shade(double w, double top);
    /// The largest finite value of a grid; 0 when it has none.
    static double largestWeight(const Grid &g);

    bool operator==(const WeightScale &) const = default;
};

} // namespace attn
