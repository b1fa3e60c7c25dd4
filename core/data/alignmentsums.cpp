// SPDX-License-Identifier: GPL-3.0-or-later
// AlignmentSums: per-row argmax match and ground-truth mass, summed over batches.
#include "core/data/alignmentsums.h"

namespace attn {

AlignmentSums::AlignmentSums(AlignmentKind kind, bool skipUninformative)
    : m_kind(kind), m_skipUninformative(skipUninformative)
{
}

void AlignmentSums::add(const ConstMatRef &attention, const Dataset &data, Eigen::Index first)
{
    const Mat &g = data.groundTruth; // (N, T) or (N, F)
    if (m_kind == AlignmentKind::None || g.size() == 0 || attention.size() == 0)
        return;
    if (attention.cols() != g.cols() || first < 0 || first + attention.rows() > g.rows())
        throw ShapeError("AlignmentSums::add: attention (" + std::to_string(attention.rows()) + ", " +
                         std::to_string(attention.cols()) + ") at row " + std::to_string(first) +
                         " does not fit the ground truth (" + std::to_string(g.rows()) + ", " +
                         std::to_string(g.cols()) + ")");
    if (m_skipUninformative && g.cols() != data.x.cols())
        throw ShapeError("AlignmentSums::add: skipping uninformative rows needs one input per "
                         "ground-truth column");
    for (Eigen::Index r = 0; r < attention.rows(); ++r) {
        const Eigen::Index n = first + r;
        Eigen::Index predicted = 0, truth = 0;
        attention.row(r).maxCoeff(&predicted);
        g.row(n).maxCoeff(&truth);
        if (m_skipUninformative && data.x(n, truth) == Scalar(0))
            continue;
        ++m_rows;
        m_match += predicted == truth ? 1.0 : 0.0;
        m_mass += double((attention.row(r).array() * g.row(n).array()).sum());
    }
}

std::optional<double> AlignmentSums::alignment() const
{
    if (m_kind == AlignmentKind::None || m_rows == 0)
        return std::nullopt;
    return (m_kind == AlignmentKind::ArgmaxMatch ? m_match : m_mass) / double(m_rows);
}

std::optional<double> AlignmentSums::groundTruthMass() const
{
    if (m_rows == 0)
        return std::nullopt;
    return m_mass / double(m_rows);
}

} // namespace attn
