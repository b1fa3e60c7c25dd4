// SPDX-License-Identifier: GPL-3.0-or-later
// SeriesView: attention on the series, as time-series users read it. One probe row at a time:
// its values over the T steps as a line (a forecast's own series, in the file's units), its
// attention weights as bars under it on their own axis (0 to the largest weight, labelled, with
// the uniform weight 1/T dashed), and for a forecast the predicted and the true next value at
// step T and the step a season earlier. Beside the attention, one attribution of the same row
// (what the output leans on, when the run measures it: --explain) as a share line on the same
// axis. PNG (any scale) and PDF export, light and dark.
#pragma once

#include "core/snapshot/snapshot.h"
#include "widgets/attentionview.h"

#include <QString>
#include <QWidget>

#include <qcustomplot.h>

class QComboBox;

namespace attn {

class SeriesView : public QWidget, public AttentionView {
    Q_OBJECT

public:
    /// The attribution drawn beside the attention (FaithfulnessSummary's probe grids).
    enum class Attribution { None, LeaveOneOut, InputXGradient, Gradient, IntegratedGradients };

    explicit SeriesView(QWidget *parent = nullptr);
    ~SeriesView() override;

    /// Shows s.probeInputs ((R, T) values of each probe row), s.attention ((R, T) weights, may be
    /// empty: the no-attention baseline) and, for regression (metric "mae"), s.probePredictions
    /// and s.probeTargets at step T and a marker at step T - s.season. With s.faithfulness, the
    /// chosen attribution of the row as |v_t| / sum_s |v_s| (a share, comparable with the
    /// weights). Keeps the chosen row and attribution. Queued replot.
    void setSnapshot(const EpochSnapshot &s) override;
    void clear() override;
    /// The probe row shown (0..R-1); anything else is clamped. Updates the selector.
    void setProbeRow(int row);
    int probeRow() const { return m_row; }

    /// What is drawn, for tests: the line's values (T), the bar heights (T, empty without
    /// attention), the forecast and the truth at step T (NaN when not a forecast).
    QVector<double> seriesValues() const;
    QVector<double> attentionValues() const;
    double forecastValue() const;
    double truthValue() const;
    /// The attribution's shares drawn (T, each >= 0, summing to 1 unless all are 0), empty when
    /// none is chosen or the snapshot has none.
    QVector<double> attributionValues() const;
    Attribution attribution() const { return m_attribution; }
    /// Chooses the attribution drawn (the selector follows).
    void setAttribution(Attribution kind);
    /// The step marked as the same point a season before the forecast (T - P), or -1.
    int seasonStep() const { return m_seasonStep; }
    /// The weight axis' upper end: the largest weight or share shown (at least the uniform 1/T)
    /// plus 10%, never a fixed scale that would make flat attention look peaked.
    double weightAxisMax() const;
    QString titleText() const;

    void setDark(bool dark) override;
    void setColorMap(ColorMapKind) override {}
    bool savePng(const QString &path, int width = 0, int height = 0, double scale = 1.0,
                 QString *error = nullptr) override;
    bool savePdf(const QString &path, int width = 0, int height = 0, QString *error = nullptr) override;
    QWidget *widget() override { return this; }
    QCustomPlot *plot() { return m_plot; }
    QComboBox *rowSelector() { return m_rowSelector; }
    QComboBox *attributionSelector() { return m_attributionSelector; }

private:
    void showRow();
    void applyTheme();

    const Grid *chosenAttribution() const; // null: none chosen or none measured
    void showSeasonMarker(int T);

    QComboBox *m_rowSelector = nullptr;
    QComboBox *m_attributionSelector = nullptr;
    QCustomPlot *m_plot = nullptr;
    QCPTextElement *m_title = nullptr;
    QCPGraph *m_line = nullptr;
    QCPBars *m_bars = nullptr;
    QCPGraph *m_uniform = nullptr;
    QCPGraph *m_forecast = nullptr;
    QCPGraph *m_truth = nullptr;
    QCPGraph *m_share = nullptr;           // the attribution's shares, weight axis
    QCPItemStraightLine *m_seasonLine = nullptr; // at step T - P, a forecast with a season
    QCPItemText *m_seasonLabel = nullptr;
    Attribution m_attribution = Attribution::LeaveOneOut;
    int m_seasonStep = -1;
    EpochSnapshot m_snapshot;
    bool m_hasSnapshot = false;
    bool m_dark = false;
    int m_row = 0;
};

} // namespace attn
