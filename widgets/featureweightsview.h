// SPDX-License-Identifier: GPL-3.0-or-later
// FeatureWeightsView: the feature task's attention over the F input features as a bar chart
// (x = feature index, y = weight on a fixed 0..1 axis), either the mean over the probe rows or
// one chosen row, with the true column's bar in a distinct colour and labelled, a dashed line
// at the uniform weight 1/F, and a line of text with the mean weight on the true column and the
// share of rows whose largest weight is on it. PNG (any scale) and PDF export, light and dark.
#pragma once

#include "core/snapshot/snapshot.h"
#include "widgets/attentionview.h"

#include <QColor>
#include <QString>
#include <QStringList>
#include <QWidget>

#include <qcustomplot.h>

#include <vector>

class QComboBox;

namespace attn {

class FeatureWeightsView : public QWidget, public AttentionView {
    Q_OBJECT

public:
    explicit FeatureWeightsView(QWidget *parent = nullptr);
    ~FeatureWeightsView() override;

    /// Shows s.attention, a (probe rows R, F) grid of weights over the features, against
    /// s.groundTruth ((R, F), one-hot at the true column; may be empty). The row selector
    /// follows R; a chosen row that no longer exists falls back to the mean. Queued replot.
    void setSnapshot(const EpochSnapshot &s) override;
    /// Removes the bars and shows the "no snapshot" title.
    void clear() override;

    /// -1 (the default): bars are the mean weight of every feature over the R probe rows;
    /// 0..R-1: the weights of that probe row. Anything else means -1. Updates the selector.
    void setProbeRow(int row);
    /// The row shown, -1 for the mean.
    int probeRow() const;

    /// Number of features (bars) shown, 0 when nothing is shown.
    int featureCount() const;
    /// Height of the bar of feature f (its weight, or mean weight); NaN if f is not shown.
    double barValue(int feature) const;
    /// Fill colour of the bar of feature f: highlightColor() for a true column, barColor()
    /// otherwise; invalid QColor if f is not shown.
    QColor barFillColor(int feature) const;
    /// The true columns of the rows shown (those where the ground truth is non-zero), ascending.
    std::vector<int> trueColumns() const;
    /// Mean over the probe rows of the weight on each row's true column (NaN without ground
    /// truth); the "mean weight on the true column" of the text line.
    double meanTrueWeight() const;
    /// Share (0..1) of probe rows whose largest weight is on their true column (NaN without
    /// ground truth); ties count for the true column.
    double topShare() const;
    /// The text under the title, e.g. "true column 1 · mean weight on it 0.43 (uniform 0.03) ·
    /// largest weight on it in 9 of 10 rows (90%)"; with a chosen row, led by that row's own
    /// weight ("sample 3: weight 0.52 on true column 1 (its largest) · over all rows: mean
    /// weight on it ..."). Empty when nothing is shown. On the plot it is broken into lines
    /// between the " · " parts when the plot is narrower than the text.
    QString summaryText() const;

    /// Colour of the ordinary bars and of the true column's bar (the same in both themes).
    static QColor barColor();
    static QColor highlightColor();

    /// Dark (true) or light (false) plot chrome: background, axes, text; bar colours stay.
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
    /// AttentionView: the bars keep their fixed colours under every colour map.
    void setColorMap(ColorMapKind) override {}

    /// The plot. otherBars() holds the bars of the features that are not a true column,
    /// trueBars() those of the true columns (key = feature index, value = height).
    QCustomPlot *plot();
    QCPBars *otherBars();
    QCPBars *trueBars();
    /// The selector "Mean of R samples", "Sample 0" .. "Sample R-1" (item i+1 = row i).
    QComboBox *rowSelector();

signals:
    /// The user (or setProbeRow) chose another row; -1 = mean.
    void probeRowChanged(int row);

private:
    void rebuildSelector(int rows);
    void showSnapshot();
    void applyTheme();
    void placeTrueLabel(int column, double value);
    QStringList summaryParts() const;
    void wrapTexts();

    QComboBox *m_rowSelector = nullptr;
    QCustomPlot *m_plot = nullptr;
    QCPTextElement *m_title = nullptr;
    QCPTextElement *m_summary = nullptr;
    QCPBars *m_bars = nullptr;
    QCPBars *m_trueBars = nullptr;
    QCPGraph *m_uniform = nullptr;
    QCPItemText *m_trueLabel = nullptr;
    QStringList m_titleParts; // title, joined by " · " or broken into lines
    EpochSnapshot m_snapshot;
    std::vector<double> m_values; // (F) heights shown
    std::vector<int> m_trueColumns;
    double m_meanTrueWeight = 0.0;
    double m_topShare = 0.0;
    double m_rowTrueWeight = 0.0; // the chosen row's weight on its true column(s)
    bool m_rowTop = false;        // ... and whether that is the row's largest weight
    int m_rowsWithTruth = 0;      // probe rows with a true column
    int m_rowsTop = 0;            // ... whose largest weight is on it
    bool m_wrapping = false;
    int m_probeRow = -1;
    int m_selectorRows = -1; // rows the selector lists
    bool m_hasSnapshot = false;
    bool m_dark = false;
};

} // namespace attn
