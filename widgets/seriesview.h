// SPDX-License-Identifier: GPL-3.0-or-later
// SeriesView: attention on the series, as time-series users read it. One probe row at a time:
// its values over the T steps as a line (a forecast's own series, in the file's units), its
// attention weights as bars under it on their own axis (0 to the largest weight, labelled, with
// the uniform weight 1/T dashed), and for a forecast the predicted and the true next value at
// step T. PNG (any scale) and PDF export, light and dark.
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
    explicit SeriesView(QWidget *parent = nullptr);
    ~SeriesView() override;

    /// Shows s.probeInputs ((R, T) values of each probe row), s.attention ((R, T) weights, may be
    /// empty: the no-attention baseline) and, for regression (metric "mae"), s.probePredictions
    /// and s.probeTargets at step T. Keeps the chosen row if it still exists. Queued replot.
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
    /// The weight axis' upper end: the largest weight shown (at least the uniform 1/T) plus
    /// 10%, never a fixed scale that would make flat attention look peaked.
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

private:
    void showRow();
    void applyTheme();

    QComboBox *m_rowSelector = nullptr;
    QCustomPlot *m_plot = nullptr;
    QCPTextElement *m_title = nullptr;
    QCPGraph *m_line = nullptr;
    QCPBars *m_bars = nullptr;
    QCPGraph *m_uniform = nullptr;
    QCPGraph *m_forecast = nullptr;
    QCPGraph *m_truth = nullptr;
    EpochSnapshot m_snapshot;
    bool m_hasSnapshot = false;
    bool m_dark = false;
    int m_row = 0;
};

} // namespace attn
