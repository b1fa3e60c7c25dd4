// SPDX-License-Identifier: GPL-3.0-or-later
// HeatmapView: one epoch's attention of the probe rows drawn as side-by-side heatmaps
// ("Attention", "Ground truth", "argmax(attention)") on a fixed 0..1 colour scale, so that
// consecutive snapshots animate how the attention converges onto the ground truth.
// Rows are probe samples (row 0 at the top), columns are time steps; cells are kept square.
#pragma once

#include "core/snapshot.h"

#include <QString>
#include <QWidget>

#include <qcustomplot.h>

#include <utility>
#include <vector>

namespace attn {

class HeatmapView : public QWidget {
    Q_OBJECT

public:
    explicit HeatmapView(QWidget *parent = nullptr);
    ~HeatmapView() override;

    /// Shows s: the title line and one panel per non-empty grid (attention, ground truth,
    /// argmax). Rebuilds the panels only when their number or shapes change; schedules a
    /// queued replot.
    void setSnapshot(const EpochSnapshot &s);
    /// Removes every panel and shows the "no snapshot" title.
    void clear();

    /// Number of heatmap panels currently shown (0 after clear()).
    int panelCount() const;
    /// "Attention", "Ground truth" or "argmax(attention)"; empty for an invalid panel.
    QString panelTitle(int panel) const;
    /// The value the panel's colour map holds for grid cell (row, col), read back from its
    /// QCPColorMapData; NaN for an invalid panel or cell.
    double cellValue(int panel, int row, int col) const;
    /// The colour map of a panel (nullptr if invalid): cell (row, col) is data cell
    /// (keyIndex = col, valueIndex = row), centred on plot coordinate (x = col, y = row).
    QCPColorMap *colorMap(int panel) const;
    /// The data range of the shared colour scale: always 0..1.
    QCPRange colorRange() const;

    /// Renders the plot into a PNG file; width/height 0 mean the current widget size.
    bool savePng(const QString &path, int width = 0, int height = 0);
    QCustomPlot *plot();

private:
    struct Panel {
        QString title;
        int rows = 0;
        int cols = 0;
        QCPAxisRect *rect = nullptr;
        QCPColorMap *map = nullptr;
    };

    void rebuildPanels(const std::vector<std::pair<QString, const Grid *>> &grids);
    void removePanels();
    void fillPanel(Panel &panel, const Grid &grid);
    void fitSquareCells();
    void runLayout();

    QCustomPlot *m_plot = nullptr;
    QCPTextElement *m_title = nullptr;
    QCPLayoutGrid *m_panelLayout = nullptr;
    QCPColorScale *m_colorScale = nullptr;
    QCPMarginGroup *m_marginGroup = nullptr;
    QCPColorGradient m_gradient;
    std::vector<Panel> m_panels;
    bool m_fitting = false;
};

} // namespace attn
