// SPDX-License-Identifier: GPL-3.0-or-later
// CurvesView: the per-epoch training curves of a run, side by side: "Loss" (training and
// validation loss, log y axis when the values span a decade or more) and "Alignment with
// ground truth" (alignment on a fixed 0..1 axis, validation metric on the right-hand axis).
// Fed with attn::EpochSnapshot values one epoch at a time or as a whole history.
#pragma once

#include "core/snapshot.h"

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
    /// the points from that epoch on (e.g. a restarted run).
    void appendEpoch(const EpochSnapshot &s);
    /// Replaces all curves by the given epochs (in order).
    void setHistory(const std::vector<EpochSnapshot> &history);
    /// Removes every point.
    void clear();

    /// Number of epochs shown (points of the training-loss curve).
    int pointCount() const;

    bool saveLossPng(const QString &path, int w = 0, int h = 0);
    bool saveAlignmentPng(const QString &path, int w = 0, int h = 0);

    /// graph(0) = training loss, graph(1) = validation loss (key = epoch).
    QCustomPlot *lossPlot();
    /// graph(0) = alignment on yAxis (fixed 0..1), graph(1) = validation metric on yAxis2.
    QCustomPlot *alignmentPlot();

private:
    void addPoints(const EpochSnapshot &s);
    void rescale();
    void replotBoth();

    QCustomPlot *m_lossPlot = nullptr;
    QCustomPlot *m_alignmentPlot = nullptr;
    QCPGraph *m_trainLoss = nullptr;
    QCPGraph *m_valLoss = nullptr;
    QCPGraph *m_alignment = nullptr;
    QCPGraph *m_metric = nullptr;
    QCPItemText *m_noAlignmentNote = nullptr;
    QSharedPointer<QCPAxisTicker> m_linearTicker;
    QSharedPointer<QCPAxisTickerLog> m_logTicker;
    QString m_metricName;
};

} // namespace attn
