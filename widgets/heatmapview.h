// SPDX-License-Identifier: GPL-3.0-or-later
// HeatmapView: one epoch's attention of the probe rows drawn as side-by-side heatmaps
// ("Attention", "Ground truth", "argmax(attention)") on a fixed 0..1 colour scale (or, opted
// in, the attention scaled to its largest weight, said on its colour bar, with the ground truth
// on its own 0..1 bar), so that consecutive snapshots animate how the attention converges onto
// the ground truth, optionally
// with the probe rows' input values ("Input", own grey scale, exact zeros ringed) on the left.
// Rows are probe samples (row 0 at the top), columns are time steps; cells are kept square.
// Hovering a cell shows its sample, time step, weight and input value as a tooltip.
#pragma once

#include "core/snapshot/snapshot.h"
#include "widgets/attentionview.h"
#include "widgets/colormap.h"
#include "widgets/heatmappanels.h"
#include "widgets/weightscale.h"

#include <QImage>
#include <QPointF>
#include <QString>
#include <QWidget>

#include <qcustomplot.h>

#include <memory>
#include <utility>
#include <vector>

class QMouseEvent;

namespace attn {

class HeatmapView : public QWidget, public AttentionView {
    Q_OBJECT

public:
    explicit HeatmapView(QWidget *parent = nullptr);
    ~HeatmapView() override;

    /// Shows s: the title line and one panel per non-empty grid (attention, ground truth,
    /// argmax, and the probe inputs when showInputs()). Rebuilds the panels only when their
    /// number or shapes change; schedules a queued replot.
    void setSnapshot(const EpochSnapshot &s) override;
    /// Removes every panel and shows the "no snapshot" title.
    void clear() override;

    /// The title line shown ("Epoch 3 / 20      alignment 0.85", ...).
    QString title() const;
    /// Number of heatmap panels currently shown (0 after clear()).
    int panelCount() const;
    /// Panels are indexed Attention, Ground truth, argmax(attention) (those present, in this
    /// order), then Input; so panel 0 is always the attention when there is one. On screen the
    /// Input panel is drawn leftmost, with its own grey scale on its left.
    /// Returns "Attention", "Ground truth", "argmax(attention)" or "Input"; empty if invalid.
    QString panelTitle(int panel) const;
    /// Index of the panel with that title, -1 if it is not shown.
    int panelIndex(const QString &title) const;
    /// The value the panel's colour map holds for grid cell (row, col), read back from its
    /// QCPColorMapData; NaN for an invalid panel or cell.
    double cellValue(int panel, int row, int col) const;
    /// The colour map of a panel (nullptr if invalid): cell (row, col) is data cell
    /// (keyIndex = col, valueIndex = row), centred on plot coordinate (x = col, y = row).
    QCPColorMap *colorMap(int panel) const;
    /// The data range of the attention's colour scale: 0..1, or with a scaled WeightScale
    /// 0..the largest attention weight shown.
    QCPRange colorRange() const;
    /// The label of the attention's colour bar (WeightScale::label: "weight", or "scaled: 0 –
    /// 0.083 (largest weight)").
    QString colorScaleLabel() const;
    /// The ground truth's own colour bar (0..1), shown beside the ground truth and argmax
    /// panels while the attention is scaled; hidden otherwise (they share the 0..1 bar).
    const QCPColorScale *truthScale() const;
    /// The colour scale of the attention: fixed 0..1 (the default) or 0..the largest weight of
    /// the snapshot (over long sequences, T = 150, weights near 1/T all draw the same dark
    /// colour on 0..1). Exports (ReplayExporter::copyStyle) take it from here. Replots.
    void setWeightScale(const WeightScale &scale);
    const WeightScale &weightScale() const;
    /// setWeightScale with LargestWeight (on) or Fixed (off), for a checkable action.
    void setScaleToMax(bool on);
    bool scaleToMax() const;

    /// Colour map of the weight panels (attention, ground truth, argmax) and their colour
    /// bar; viridis by default. Replots.
    void setColorMap(ColorMapKind kind) override;
    ColorMapKind colorMapKind() const;
    /// The gradient the weight panels use now (colorMapGradient(colorMapKind())).
    QCPColorGradient gradient() const;
    /// The colour a weight w in 0..1 is drawn with.
    QColor weightColor(double w) const;

    /// Shows the probe rows' first input feature (EpochSnapshot::probeInputs) as an extra
    /// "Input" panel: grey from black (smallest input) to white (largest), exact zeros (the
    /// delimiters of the add task, padding) ringed. On by default. Replots.
    void setShowInputs(bool show);
    bool showInputs() const;
    /// Data range of the input grey scale: the smallest and largest probe input shown
    /// (0..1 when there is none; widened by 0.5 either side when all inputs are equal).
    QCPRange inputRange() const;

    /// The cell under plotPos (pixel position in plot(), e.g. QMouseEvent::position()):
    /// true and panel/row/col set if plotPos lies on a cell of a panel, false otherwise.
    bool cellAt(const QPointF &plotPos, int *panel, int *row, int *col) const;
    /// Tooltip text of a cell: the panel title, "sample <row>, time step <col>" (0-based, as
    /// on the axes), "attention weight" with 4 decimals, the panel's own value for the ground
    /// truth and argmax panels, and "input" with 4 decimals when the snapshot has probe
    /// inputs. Empty for an invalid panel or cell.
    QString cellToolTip(int panel, int row, int col) const;
    /// Tooltip text of the cell of a panel under plotPos (pixel position in plot()); empty if
    /// plotPos is not on a cell of that panel.
    QString cellToolTip(int panel, const QPointF &plotPos) const;

    /// Dark (true) or light (false) plot chrome: background, axes, text; data colours stay.
    void setDark(bool dark) override;
    bool isDark() const;

    /// Renders the plot into a PNG file of exactly round(width*scale) x round(height*scale)
    /// pixels: the layout is computed at width x height and drawn scale times larger (sharp
    /// text and lines); the file records 96*scale dots per inch. width/height 0 mean the
    /// current widget size. False if the file cannot be written.
    bool savePng(const QString &path, int width = 0, int height = 0, double scale = 1.0,
                 QString *error = nullptr) override;
    /// Renders the plot as a vector PDF page of width x height points-sized units (0: widget
    /// size). False if the file cannot be written.
    bool savePdf(const QString &path, int width = 0, int height = 0, QString *error = nullptr) override;
    /// AttentionView: this view as a widget.
    QWidget *widget() override { return this; }
    /// The plot as an image of round(width*scale) x round(height*scale) pixels (0: widget
    /// size), like savePng.
    QImage toImage(int width = 0, int height = 0, double scale = 1.0);
    /// The smallest height at which the current panels, laid out width pixels wide, keep the
    /// cell size they would have with unlimited height (no empty bands above and below), for
    /// choosing an export size; 0 when no panel is shown.
    int fittedHeight(int width);
    QCustomPlot *plot();

private:
    using Kind = HeatmapPanels::Kind;
    using Panel = HeatmapPanels::Panel;
    using PanelSpec = HeatmapPanels::PanelSpec;

    std::vector<PanelSpec> panelSpecs(const EpochSnapshot &s) const;
    void showSnapshot();
    void rebuildPanels(const std::vector<PanelSpec> &specs);
    void applyTheme();
    void fitSquareCells();
    void onPlotMouseMove(QMouseEvent *event);

    QCustomPlot *m_plot = nullptr;
    QCPTextElement *m_title = nullptr;
    std::unique_ptr<HeatmapPanels> m_panels; // the row of panels and their colour scales
    ColorMapKind m_colorMapKind = ColorMapKind::Viridis;
    QCPColorGradient m_gradient;
    EpochSnapshot m_snapshot; // the grids shown, for tooltips and re-showing
    bool m_hasSnapshot = false;
    bool m_showInputs = true;
    WeightScale m_weightScale; // fixed 0..1 by default
    bool m_dark = false;
};

} // namespace attn
