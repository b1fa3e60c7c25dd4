// SPDX-License-Identifier: GPL-3.0-or-later
// SelfAttentionView: the T x T self-attention map of one probe row, for one head or the mean of
// the K heads (Vaswani et al. 2017), with its own sample and head selectors. x = key time step,
// y = query time step (row 0 at the top), fixed 0..1 colour scale, square cells, no
// interpolation: a causal map shows an empty upper triangle. With probeTokens (sentiment) the
// steps are labelled with their words. Hover for a cell's tooltip; PNG (any scale) and PDF export.
#pragma once

#include "core/snapshot/snapshot.h"
#include "widgets/attentionview.h"
#include "widgets/colormap.h"

#include <QPointF>
#include <QString>
#include <QStringList>
#include <QWidget>

#include <qcustomplot.h>

class QComboBox;
class QMouseEvent;

namespace attn {

class SelfAttentionView : public QWidget, public AttentionView {
    Q_OBJECT

public:
    explicit SelfAttentionView(QWidget *parent = nullptr);
    ~SelfAttentionView() override;

    /// Shows s.headMaps ([probe row R][head K] (T, T) maps, row = query step, column = key
    /// step). The selectors are rebuilt when R or K changes; a selection that no longer exists
    /// falls back to sample 0 / the mean of heads. Queued replot.
    void setSnapshot(const EpochSnapshot &s) override;
    /// Empties the map and the selectors; shows the "no snapshot" title.
    void clear() override;

    /// Probe row shown, 0..R-1 (clamped into range; 0 when there is none). Updates the selector.
    void setProbeRow(int row);
    int probeRow() const;
    /// Head shown, 0..K-1, or -1 (the default) for the element-wise mean of the K heads.
    /// Anything out of range means -1. Updates the selector.
    void setHead(int head);
    int head() const;

    /// R, K and T of the snapshot shown (0 without maps).
    int sampleCount() const;
    int headCount() const;
    int steps() const;
    /// The (T, T) map drawn now: the chosen head's, or the mean of the heads. Empty if none.
    Grid shownMap() const;
    /// The value the colour map holds for (query step, key step), read back from its
    /// QCPColorMapData; NaN outside the map.
    double cellValue(int query, int key) const;
    /// Tooltip of a cell: "query step q ("word"), key step k ("word")" and the weight with 4
    /// decimals; empty outside the map.
    QString cellToolTip(int query, int key) const;
    /// The cell under plotPos (pixel position in plot()): true and query/key set if on a cell.
    bool cellAt(const QPointF &plotPos, int *query, int *key) const;

    /// Colour map of the weights and the colour bar; viridis by default. Replots.
    void setColorMap(ColorMapKind kind) override;
    ColorMapKind colorMapKind() const;
    /// The colour a weight w in 0..1 is drawn with.
    QColor weightColor(double w) const;
    /// The colour scale's data range: always 0..1.
    QCPRange colorRange() const;

    /// Dark (true) or light (false) plot chrome; data colours stay.
    void setDark(bool dark) override;
    bool isDark() const;

    /// Render into a PNG of exactly round(width*scale) x round(height*scale) pixels (laid out
    /// at width x height, drawn scale times larger, 96*scale dpi); 0 = the plot's current
    /// size. False if the file cannot be written.
    bool savePng(const QString &path, int width = 0, int height = 0, double scale = 1.0,
                 QString *error = nullptr) override;
    /// Render as a vector PDF of width x height units (0: current size).
    bool savePdf(const QString &path, int width = 0, int height = 0, QString *error = nullptr) override;
    /// AttentionView: this view as a widget.
    QWidget *widget() override { return this; }

    QCustomPlot *plot();
    /// The colour map: cell (query q, key k) is data cell (keyIndex = k, valueIndex = q),
    /// centred on plot coordinate (x = k, y = q).
    QCPColorMap *colorMap();
    /// "Mean of heads", "Head 1" .. "Head K" (item i+1 = head i).
    QComboBox *headSelector();
    /// "Sample 0" .. "Sample R-1", with the sentence's first words when there are tokens.
    QComboBox *sampleSelector();

signals:
    void probeRowChanged(int row);
    void headChanged(int head);

private:
    void rebuildSelectors(int rows, int heads);
    void showMap();
    void applyTheme();
    void updateTickers();
    void fitSquareCells();
    void onPlotMouseMove(QMouseEvent *event);
    QString word(int step) const;

    QComboBox *m_sampleSelector = nullptr;
    QComboBox *m_headSelector = nullptr;
    QCustomPlot *m_plot = nullptr;
    QCPTextElement *m_title = nullptr;
    QCPLayoutGrid *m_panelLayout = nullptr;
    QCPAxisRect *m_rect = nullptr;
    QCPColorMap *m_map = nullptr;
    QCPColorScale *m_colorScale = nullptr;
    ColorMapKind m_colorMapKind = ColorMapKind::Viridis;
    QCPColorGradient m_gradient;
    QStringList m_titleParts; // title, joined by " · " or broken into lines
    EpochSnapshot m_snapshot;
    Grid m_shown; // (T, T) map drawn now
    int m_rows = -1;  // R the sample selector lists (-1: not built yet)
    int m_heads = -1; // K the head selector lists
    int m_steps = 0; // T of the colour map's data
    int m_probeRow = 0;
    int m_head = -1;
    bool m_hasSnapshot = false;
    bool m_dark = false;
    bool m_fitting = false;
};

} // namespace attn
