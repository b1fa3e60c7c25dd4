// SPDX-License-Identifier: GPL-3.0-or-later
// AlignmentSums: the alignment of attention with the ground truth (docs/tasks.md, "Alignment")
// accumulated batch by batch over a whole data set, so the trainer measures it on every
// validation row during the validation pass instead of on the probe rows only.
#pragma once

#include "core/data/task.h"
#include "core/tensor/tensor.h"

#include <optional>

namespace attn {

class AlignmentSums {
public:
    /// kind: the task's measure. skipUninformative: a row counts only if the input at its
    /// ground truth's largest entry is not exactly 0 (feature attention, out = x * a: a weight
    /// on a zero input changes nothing, so it cannot be right or wrong; docs/tasks.md, feature).
    AlignmentSums(AlignmentKind kind, bool skipUninformative);

    /// Adds rows first .. first+b-1 of data with their attention (b, T) (feature: (b, F)),
    /// against data.groundTruth (N, T) (feature: (N, F)). No-op for AlignmentKind::None, an
    /// empty attention (the baseline) or no ground truth. Allocates nothing. Throws ShapeError
    /// if attention's columns differ from the ground truth's or the rows run past data, and, with
    /// skipUninformative, if the ground truth's columns differ from x's (T*F).
    void add(const ConstMatRef &attention, const Dataset &data, Eigen::Index first);

    /// Mean over the counted rows of the task's measure: argmax match (largest weight at the
    /// ground truth's largest entry) or ground-truth mass (sum_s a[r, s] g[r, s]); nullopt when
    /// no row was counted or the kind is None.
    std::optional<double> alignment() const;
    /// Mean over the counted rows of the ground-truth mass, whatever the kind (feature: the
    /// mean weight on the true column); nullopt when no row was counted.
    std::optional<double> groundTruthMass() const;
    /// Rows counted so far.
    long long rows() const { return m_rows; }

private:
    AlignmentKind m_kind;
    bool m_skipUninformative;
    long long m_rows = 0;
    double m_match = 0.0; // argmax matches
    double m_mass = 0.0;  // sum of the ground-truth mass
};

} // namespace attn
