// SPDX-License-Identifier: GPL-3.0-or-later
// HeatmapPanels: the row of heatmap panels inside HeatmapView's QCustomPlot: one QCPAxisRect with
// a QCPColorMap per grid (attention, ground truth, argmax, input), the shared weight colour scale
// (right; when the attention is scaled to its largest weight it stands beside the Attention
// panel and the ground truth and argmax keep their own 0..1 bar) and the Input panel's grey
// scale (left). Built when the panels' number or shapes
// change, filled per snapshot, and fitted after every layout pass so the cells come out square.
#pragma once

#include "core/snapshot/snapshot.h"

#include <QCoreApplication>
#include <QFont>
#include <QString>

#include <qcustomplot.h>

#include <vector>

namespace attn {

class HeatmapPanels {
    Q_DECLARE_TR_FUNCTIONS(HeatmapPanels)

public:
    enum class Kind { Attention, GroundTruth, Argmax, Input };
    struct Panel {
        Kind kind = Kind::Attention;
        QString title;
        int rows = 0;
        int cols = 0;
        int column = 0;               // column in the panel row's layout grid
        QCPAxisRect *rect = nullptr;
        QCPColorMap *map = nullptr;
        QCPGraph *zeroMarks = nullptr; // Input panel only: rings on exact zeros
    };
    struct PanelSpec {
        Kind kind = Kind::Attention;
        QString title;
        const Grid *grid = nullptr;
    };

    /// Creates the (hidden) colour scales of plot, the weight scale with gradient. panelLayout
    /// is the plot's panel row, already placed in the plot's layout; it holds the panels.
    HeatmapPanels(QCustomPlot *plot, QCPLayoutGrid *panelLayout, const QCPColorGradient &gradient);

    const std::vector<Panel> &panels() const;
    /// The weight colour scale (0..1 or 0..max), the ground truth's own 0..1 scale (shown only
    /// with a separate truth scale) and the Input panel's grey scale.
    QCPColorScale *colorScale() const;
    QCPColorScale *truthScale() const;
    QCPColorScale *inputScale() const;

    /// The panels have exactly these kinds and grid shapes, in this order, and the same choice
    /// of a separate truth scale.
    bool matches(const std::vector<PanelSpec> &specs, bool separateTruthScale) const;
    /// Removes the panels and builds one per spec, left to right: [input scale][Input], the
    /// weight panels, [weight scale]; with separateTruthScale: [Attention][weight scale], the
    /// ground truth and argmax panels, [truth scale 0..1]. Titles in panelTitleFont, weights
    /// drawn with gradient.
    void rebuild(const std::vector<PanelSpec> &specs, const QFont &panelTitleFont,
                 const QCPColorGradient &gradient, bool separateTruthScale);
    /// Removes every panel and hides the colour scales; an empty element holds the row open.
    void remove();
    /// Copies grid ((rows, cols) of panel i) into its colour map; for the Input panel also
    /// the grey scale's range and the rings on exact zeros.
    void fill(std::size_t i, const Grid &grid);
    /// The weight scale's range 0..top and its label: fixed 0.2 ticks for 0..1, automatic ones
    /// otherwise.
    void setWeightTop(double top, const QString &label);
    /// The gradient of the weight scale and of every panel but Input.
    void setGradient(const QCPColorGradient &gradient);

    /// Column widths and outer margins for square cells (rows at least 16 px tall when a long
    /// sequence makes the cells thinner than 6 px), the slack in the outer margins so title,
    /// panels and colour bars stay together, centred. Connected to QCustomPlot::afterLayout.
    void fitSquareCells();

private:
    void updateInputScale(const Grid &inputs);

    QCustomPlot *m_plot = nullptr;
    QCPLayoutGrid *m_panelLayout = nullptr;
    QCPColorScale *m_colorScale = nullptr;
    QCPColorScale *m_truthScale = nullptr;
    bool m_separateTruthScale = false;
    QCPColorScale *m_inputScale = nullptr;
    QCPMarginGroup *m_marginGroup = nullptr;
    std::vector<Panel> m_panels;
    bool m_fitting = false;
};

} // namespace attn
