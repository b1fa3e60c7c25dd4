// SPDX-License-Identifier: GPL-3.0-or-later
// ExplainView: is attention an explanation? For one probe row at a time, attention and each
// attribution (gradient, input x gradient, leave-one-out, integrated gradients; --explain,
// FaithfulnessSummary) as rows of one heatmap on one colour scale, above the ground truth; below,
// the curves over epochs of Kendall's tau, each method's alignment and the output change under
// permuted and uniform attention (ExplainCurves). What-if: select a step of the attention row,
// type its weight; the others are renormalised over the real steps and the view asks for the
// model's output under the edited row (whatIfRequested), which the window computes on a copy
// of the weights and hands back (showWhatIf). Renders snapshot values only.
#pragma once

#include "core/snapshot/snapshot.h"
#include "widgets/attentionview.h"
#include "widgets/colormap.h"

#include <QString>
#include <QWidget>

#include <qcustomplot.h>

#include <memory>
#include <utility>
#include <vector>

class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QSpinBox;

namespace attn {

class ExplainCurves;

/// row (U) with step set to value and the other real steps scaled so that the real steps sum to
/// 1 (spread evenly when they held no weight); steps where real is false (padding) stay 0.
/// value is clamped to 0..1; a step that is not real or out of range returns row unchanged.
std::vector<float> renormalisedWeights(const std::vector<float> &row, const std::vector<bool> &real,
                                       int step, double value);

class ExplainView : public QWidget, public AttentionView {
    Q_OBJECT

public:
    /// Heatmap rows, top to bottom: the five methods (ExplainCurves' order), the ground truth,
    /// and the edited attention while a what-if is shown.
    enum Row { Attention = 0, Gradient, InputXGradient, LeaveOneOut, IntegratedGradients,
               GroundTruth, EditedAttention };

    explicit ExplainView(QWidget *parent = nullptr);
    ~ExplainView() override;

    /// The curves: records s's measures at s.epoch (an epoch not after the last one recorded
    /// replaces the points from there on). Snapshots without measures are skipped.
    void appendEpoch(const EpochSnapshot &s);
    /// Replaces the curves by those of history.
    void setHistory(const std::vector<EpochSnapshot> &history);
    /// AttentionView: shows s's probe row heatmap and marks s.epoch on the curves; a what-if
    /// shown for another epoch is dropped.
    void setSnapshot(const EpochSnapshot &s) override;
    void clear() override;
    void setDark(bool dark) override;
    void setColorMap(ColorMapKind kind) override;
    bool savePng(const QString &path, int width, int height, double scale,
                 QString *error = nullptr) override;
    bool savePdf(const QString &path, int width, int height, QString *error = nullptr) override;
    QWidget *widget() override { return this; }

    /// The heatmap's x-axis label: what a column is ("time step"; the feature task: "feature").
    void setColumnLabel(const QString &label);
    /// The probe row shown (0-based); clamped to the snapshot's rows. Drops a what-if.
    void setProbeRow(int row);
    int probeRow() const;
    /// The title line ("Epoch 12 / 20, probe row 3: ..." or why there is nothing to show).
    QString title() const;
    /// The value heatmap row `row` holds at step col: the attention weight, an attribution's
    /// share |a_t| / sum_s |a_s| of the probe row, the ground truth, the edited weight; NaN when
    /// the cell is not shown.
    double cellValue(int row, int col) const;
    /// The colour cell (row, col) is drawn with (invalid when it is not shown).
    QColor cellColor(int row, int col) const;
    /// The one colour scale of every row: 0 .. the largest value of the method rows shown.
    QCPRange colorRange() const;
    /// The heatmap rows shown, in order (an absent measure or ground truth is left out).
    std::vector<Row> rows() const;
    ExplainCurves *curves() const { return m_curves.get(); }
    /// Epochs recorded for the curves.
    int pointCount() const { return int(m_points.size()); }
    QCustomPlot *plot() const { return m_plot; }

    /// What-if: the step of the attention row being edited (-1: none); its weight is put in
    /// the spin box.
    void selectStep(int step);
    int selectedStep() const { return m_step; }
    /// The attention row with the selected step set to weight (renormalisedWeights), shown as
    /// the "edited" row, and whatIfRequested emitted for it. False without a selected step.
    bool applyWeight(double weight);
    /// The window's answer: the model's outputs (as the prediction reads: probability, value,
    /// class) for the probe row under its computed and its edited attention, with the weights
    /// of modelEpoch; error non-empty when it failed. Ignored if row or weights are no longer
    /// the ones asked for.
    void showWhatIf(int row, const std::vector<float> &weights, double original, double edited,
                    int modelEpoch, const QString &error = {});
    /// Drops the edit: the attention row as trained, no edited row, no result.
    void resetWhatIf();
    /// The edited row asked for (empty when none).
    const std::vector<float> &editedWeights() const { return m_edited; }
    /// The what-if line under the heatmap ("output: 0.5123 as trained, 0.6012 edited ...").
    QString whatIfText() const;

signals:
    /// The model's output is wanted for probe row `row` of the snapshot's epoch under these
    /// attention weights (U, summing to 1 over the real steps).
    void whatIfRequested(int epoch, int row, const std::vector<float> &weights);

private:
    std::vector<float> rowValues(Row row) const;
    std::vector<bool> realSteps() const;
    void showSnapshot();
    void applyTheme();
    void onPlotClick(QMouseEvent *event);

    QCustomPlot *m_plot = nullptr;
    QCPTextElement *m_title = nullptr;
    QCPAxisRect *m_heatRect = nullptr;
    QCPColorMap *m_map = nullptr;
    QCPColorScale *m_scale = nullptr;
    std::unique_ptr<ExplainCurves> m_curves;
    QSpinBox *m_rowBox = nullptr;
    QDoubleSpinBox *m_weightBox = nullptr;
    QPushButton *m_apply = nullptr;
    QPushButton *m_reset = nullptr;
    QLabel *m_whatIf = nullptr;
    QCPColorGradient m_gradient;
    ColorMapKind m_colorMapKind = ColorMapKind::Viridis;
    EpochSnapshot m_snapshot;
    bool m_hasSnapshot = false;
    std::vector<std::pair<int, FaithfulnessSummary>> m_points;
    std::vector<Row> m_rows;
    int m_row = 0;
    QString m_columnLabel; // the heatmap's x axis (setColumnLabel)
    int m_step = -1;
    std::vector<float> m_edited;
    QString m_whatIfText;
    bool m_dark = false;
};

} // namespace attn
