// SPDX-License-Identifier: GPL-3.0-or-later
// CurvesView: the per-epoch training curves of a run, side by side: "Loss" (training and
// validation loss, log y axis when the values span a decade or more) and "Alignment with
// ground truth" (alignment on a fixed 0..1 axis, validation metric on the right-hand axis).
// Fed with attn::EpochSnapshot values one epoch at a time or as a whole history. A vertical
// marker can show the epoch being replayed; light and dark chrome; PNG (any scale) and PDF export.
#pragma once

#include "core/snapshot/snapshot.h"

#include <QString>
#include <QWidget>

#include <qcustomplot.h>

#include <vector>

namespace attn {

class CurvesView : public QWidget {
    Q_OBJECT

public:
    explicit CurvesView(QWidget *parent = nullptr);
    ~CurvesView() override;

    /// Adds one point per curve (the alignment only if s.alignment is set), rescales the
    /// axes and schedules a queued replot. An epoch not after the last one shown replaces
    /// the points from that epoch on (e.g. a restarted run). The untrained epoch 0 has no
    /// training loss and is not drawn.
    void appendEpoch(const EpochSnapshot &s);
    /// Replaces all curves by the given epochs (in order; epoch 0 not drawn, as appendEpoch).
    void setHistory(const std::vector<EpochSnapshot> &history);
    /// Removes every point.
    void clear();

    /// Number of epochs shown (points of the training-loss curve).
    int pointCount() const;
    /// The note drawn instead of an alignment curve, empty when there is none: "this model has
    /// no attention" for epochs without attention weights (the `none` baseline), else "no
    /// ground-truth attention for this task".
    QString noAlignmentNote() const;

    /// Draws a vertical dashed line at that epoch on both plots (the epoch being replayed);
    /// 0 (or less) removes it. The axes are not changed: an epoch outside them is not drawn.
    void setMarkerEpoch(int epoch);
    /// The marked epoch, 0 if none.
    int markerEpoch() const;
    /// The marker line of lossPlot() and of alignmentPlot() (visible only while an epoch is
    /// marked); its x position is point1->key() == point2->key() == the epoch.
    /// The epoch with the lowest validation loss of the newest epoch shown (EpochSnapshot::
    /// bestEpoch), ringed on the validation-loss curve; 0 when not tracked (no early stopping).
    int bestEpoch() const { return m_bestEpoch; }
    /// The baselines of the newest epoch shown (EpochSnapshot::baselines), drawn as dashed
    /// horizontal lines on the metric axis, each labelled "NAME VALUE" at the left.
    const std::vector<Baseline> &baselines() const { return m_baselines; }
    QCPItemStraightLine *lossMarker();
    QCPItemStraightLine *alignmentMarker();

    /// Dark (true) or light (false) plot chrome: background, axes, text; curve colours stay.
    void setDark(bool dark);
    bool isDark() const;

    /// Render a plot into a PNG file of exactly round(w*scale) x round(h*scale) pixels: laid
    /// out at w x h and drawn scale times larger; the file records 96*scale dots per inch.
    /// w/h 0 mean the plot's current size. False if the file cannot be written, with *error
    /// "PATH: cannot write the file: REASON" (the old file kept; widgets/imagefile.h).
    bool saveLossPng(const QString &path, int w = 0, int h = 0, double scale = 1.0,
                     QString *error = nullptr);
    bool saveAlignmentPng(const QString &path, int w = 0, int h = 0, double scale = 1.0,
                          QString *error = nullptr);
    /// Render a plot as a vector PDF of w x h units (0: the plot's current size).
    bool saveLossPdf(const QString &path, int w = 0, int h = 0, QString *error = nullptr);
    bool saveAlignmentPdf(const QString &path, int w = 0, int h = 0, QString *error = nullptr);

    /// graph(0) = training loss, graph(1) = validation loss (key = epoch).
    QCustomPlot *lossPlot();
    /// graph(0) = alignment on yAxis (fixed 0..1), graph(1) = validation metric on yAxis2.
    QCustomPlot *alignmentPlot();

private:
    void addPoints(const EpochSnapshot &s);
    void showBaselines(const std::vector<Baseline> &baselines);
    void rescale();
    void replotBoth();
    void applyTheme();
    QCPItemStraightLine *addMarker(QCustomPlot *plot);

    QCustomPlot *m_lossPlot = nullptr;
    QCustomPlot *m_alignmentPlot = nullptr;
    QCPGraph *m_trainLoss = nullptr;
    QCPGraph *m_valLoss = nullptr;
    QCPGraph *m_alignment = nullptr;
    QCPGraph *m_metric = nullptr;
    QCPGraph *m_testMetric = nullptr;
    QCPItemText *m_noAlignmentNote = nullptr;
    QCPItemStraightLine *m_lossMarker = nullptr;
    QCPItemStraightLine *m_alignmentMarker = nullptr;
    QCPItemTracer *m_bestTracer = nullptr; // rings the best epoch on the validation loss
    int m_markerEpoch = 0;
    int m_bestEpoch = 0;
    std::vector<Baseline> m_baselines;
    std::vector<QCPAbstractItem *> m_baselineItems; // a line and a label per baseline
    bool m_dark = false;
    QSharedPointer<QCPAxisTicker> m_linearTicker;
    QSharedPointer<QCPAxisTickerLog> m_logTicker;
    QString m_metricName;
    bool m_noAttention = false; // an epoch shown has no attention weights (the model has none)
};

} // namespace attn
