// SPDX-License-Identifier: GPL-3.0-or-later
// ExplainCurves: the three epoch-keyed plots of ExplainView inside its QCustomPlot: Kendall's
// tau between attention and each attribution, each method's alignment with the ground truth,
// and the output change under permuted and uniform attention (FaithfulnessSummary, core/snapshot),
// with a dashed marker at the epoch shown.
#pragma once

#include "core/snapshot/snapshot.h"

#include <QCoreApplication>
#include <QString>

#include <qcustomplot.h>

#include <array>
#include <utility>
#include <vector>

namespace attn {

class ExplainCurves {
    Q_DECLARE_TR_FUNCTIONS(ExplainCurves)

public:
    /// The methods in the curves' (and the heatmap's) order and colours: attention, gradient,
    /// input x gradient, leave-one-out, integrated gradients.
    static constexpr int kMethods = 5;
    static QString methodName(int method);
    static QColor methodColor(int method);

    /// Adds the three axis rects side by side into row (an empty QCPLayoutGrid in plot's
    /// layout) and their curves to plot's legend.
    ExplainCurves(QCustomPlot *plot, QCPLayoutGrid *row, const QFont &titleFont);

    /// Replaces every curve by the summaries (epoch, measures), in epoch order; a missing
    /// value (nullopt) leaves a gap. Rescales: tau on -1..1, alignment on 0..1, the changes
    /// from 0 to their largest value.
    void setPoints(const std::vector<std::pair<int, FaithfulnessSummary>> &points);
    /// Dashed vertical line at epoch (0 = untrained) on every plot; a negative epoch hides it.
    void setMarkerEpoch(int epoch);
    int markerEpoch() const { return m_markerEpoch; }

    /// Kendall tau of method 1..4 (gradient .. integrated gradients); nullptr otherwise.
    QCPGraph *tauGraph(int method) const;
    /// Alignment of method 0..4 (attention .. integrated gradients).
    QCPGraph *alignmentGraph(int method) const;
    QCPGraph *permutationGraph() const { return m_permutation; }
    QCPGraph *uniformGraph() const { return m_uniform; }
    std::array<QCPAxisRect *, 3> rects() const { return m_rects; }
    std::array<QCPItemStraightLine *, 3> markers() const { return m_markers; }

private:
    QCPGraph *addCurve(QCPAxisRect *rect, const QString &name, const QColor &color, Qt::PenStyle style);

    QCustomPlot *m_plot = nullptr;
    std::array<QCPAxisRect *, 3> m_rects{};
    std::array<QCPItemStraightLine *, 3> m_markers{};
    std::array<QCPGraph *, kMethods> m_tau{};       // [0] unused: attention against itself
    std::array<QCPGraph *, kMethods> m_alignment{};
    QCPGraph *m_permutation = nullptr;
    QCPGraph *m_uniform = nullptr;
    int m_markerEpoch = -1;
};

} // namespace attn
