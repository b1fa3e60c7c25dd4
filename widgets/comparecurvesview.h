// SPDX-License-Identifier: GPL-3.0-or-later
// CompareCurvesView: the compare mode's plot. The per-epoch alignment (or validation metric) of
// many runs (seeds x mechanisms) on one epoch axis: each run a thin, semi-transparent line in
// its mechanism's colour, each mechanism's mean over its runs a bold line in the same colour,
// one legend entry per mechanism. PNG (any scale) and PDF export, light and dark chrome.
#pragma once

#include "core/snapshot/snapshot.h"

#include <QColor>
#include <QString>
#include <QStringList>
#include <QWidget>

#include <qcustomplot.h>

#include <optional>
#include <vector>

namespace attn {

class CompareCurvesView : public QWidget {
    Q_OBJECT

public:
    /// What the y axis shows: EpochSnapshot::alignment (fixed 0..1) or EpochSnapshot::metric
    /// (the validation metric, axis fitted to the data).
    enum class Quantity { Alignment, Metric };
    Q_ENUM(Quantity)

    explicit CompareCurvesView(QWidget *parent = nullptr);
    ~CompareCurvesView() override;

    /// Removes every run and mechanism.
    void clear();
    /// Adds an empty run of a mechanism (e.g. "luong", "none"); runIndex is the run's number
    /// within its mechanism (seed index, for tooltips and names). A new mechanism gets the next
    /// colour of the palette and a legend entry. Returns the run's id for appendEpoch().
    int addRun(const QString &mechanism, int runIndex);
    /// Adds one epoch of a run (an epoch not after its last one replaces the run's points from
    /// that epoch on). Unknown runIds are ignored. Queued replot.
    void appendEpoch(int runId, const EpochSnapshot &s);
    /// Replaces a run's points by the given epochs, in order.
    void setRunHistory(int runId, const std::vector<EpochSnapshot> &history);

    void setQuantity(Quantity quantity);
    Quantity quantity() const;

    /// Number of runs, and the mechanisms in the order they were first added.
    int runCount() const;
    QStringList mechanisms() const;
    /// The colour of a mechanism (invalid if unknown).
    QColor mechanismColor(const QString &mechanism) const;
    /// The thin line of a run (nullptr if unknown): key = epoch, value = the quantity.
    QCPGraph *runGraph(int runId) const;
    /// The bold mean line of a mechanism (nullptr if unknown): per epoch, the mean over the
    /// runs of that mechanism that have a value at that epoch. It carries the legend entry.
    QCPGraph *meanGraph(const QString &mechanism) const;

    /// Dark (true) or light (false) plot chrome; curve colours stay.
    void setDark(bool dark);
    bool isDark() const;

    /// Render into a PNG of exactly round(width*scale) x round(height*scale) pixels (laid out
    /// at width x height, drawn scale times larger, 96*scale dpi); 0 = the plot's current
    /// size. False if the file cannot be written.
    bool savePng(const QString &path, int width = 0, int height = 0, double scale = 1.0,
                 QString *error = nullptr);
    /// Render as a vector PDF of width x height units (0: current size).
    bool savePdf(const QString &path, int width = 0, int height = 0, QString *error = nullptr);

    QCustomPlot *plot();

private:
    struct Point {
        int epoch = 0;
        std::optional<double> alignment;
        double metric = 0.0;
    };
    struct Run {
        QString mechanism;
        int runIndex = 0;
        std::vector<Point> points;
        QCPGraph *graph = nullptr;
    };
    struct Mechanism {
        QString name;
        QColor color;
        QCPGraph *mean = nullptr;
        int runs = 0;
    };

    void addPoint(Run &run, const EpochSnapshot &s);
    void refill();
    void rescale();
    void applyTheme();
    void fitToWidth();
    std::optional<double> valueOf(const Point &p) const;
    Mechanism *findMechanism(const QString &name);
    const Mechanism *findMechanism(const QString &name) const;

    QCustomPlot *m_plot = nullptr;
    QCPTextElement *m_title = nullptr;
    QCPItemText *m_emptyNote = nullptr;
    std::vector<Run> m_runs;
    std::vector<Mechanism> m_mechanisms;
    Quantity m_quantity = Quantity::Alignment;
    QString m_metricName;
    QStringList m_titleParts; // joined by " · ", or broken into lines by fitToWidth()
    bool m_dark = false;
    bool m_fitting = false;
};

} // namespace attn
