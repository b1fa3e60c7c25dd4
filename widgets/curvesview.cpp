// SPDX-License-Identifier: GPL-3.0-or-later
// CurvesView: two QCustomPlots (loss, alignment + validation metric) keyed by epoch.
// Each plot has a title row above its axis rect and a centred one-line legend row below it,
// so the legend never covers a curve. Axes are rescaled from the data after every change.
// The replay marker is a QCPItemStraightLine whose x is an epoch and whose y spans the axis
// rect (axis-rect ratio), so it works on the logarithmic loss axis too.
#include "widgets/curvesview.h"

#include "widgets/plottheme.h"
#include "widgets/plotutil.h"

#include <QColor>
#include <QFont>
#include <QFontMetricsF>
#include <QHBoxLayout>
#include <QPen>

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <limits>
#include <numeric>

namespace attn {

namespace {

const QColor kTrainColor(0x1f, 0x77, 0xb4);     // blue
const QColor kValColor(0xff, 0x7f, 0x0e);       // orange
const QColor kAlignmentColor(0x2c, 0xa0, 0x2c); // green
const QColor kMetricColor(0x94, 0x67, 0xbd);    // purple

/// Finite min/max of the values of some graphs; false if there is none.
bool finiteValueRange(std::initializer_list<const QCPGraph *> graphs, double &lo, double &hi)
{
    lo = std::numeric_limits<double>::infinity();
    hi = -std::numeric_limits<double>::infinity();
    for (const QCPGraph *g : graphs)
        for (auto it = g->data()->constBegin(); it != g->data()->constEnd(); ++it)
            if (std::isfinite(it->value)) {
                lo = std::min(lo, it->value);
                hi = std::max(hi, it->value);
            }
    return lo <= hi;
}

QCPGraph *addCurve(QCustomPlot *plot, QCPAxis *valueAxis, const QString &name, const QColor &color,
                   Qt::PenStyle style)
{
    QCPGraph *g = plot->addGraph(plot->xAxis, valueAxis);
    g->setName(name);
    QPen pen(color, 2.0, style);
    g->setPen(pen);
    g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, color, color, 5.0));
    g->setAntialiased(true);
    return g;
}

} // namespace

CurvesView::CurvesView(QWidget *parent)
    : QWidget(parent), m_lossPlot(new QCustomPlot(this)), m_alignmentPlot(new QCustomPlot(this)),
      m_linearTicker(QSharedPointer<QCPAxisTicker>::create()),
      m_logTicker(QSharedPointer<QCPAxisTickerLog>::create())
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_lossPlot);
    layout->addWidget(m_alignmentPlot);

    // Loss: training and validation loss on yAxis.
    setupEpochPlot(m_lossPlot, tr("Loss"), font());
    m_lossPlot->yAxis->setLabel(tr("loss"));
    m_lossPlot->yAxis->setTicker(m_linearTicker);
    m_logTicker->setLogBase(10.0);
    m_logTicker->setSubTickCount(8);
    m_trainLoss = addCurve(m_lossPlot, m_lossPlot->yAxis, tr("training loss"), kTrainColor,
                           Qt::SolidLine);
    m_valLoss = addCurve(m_lossPlot, m_lossPlot->yAxis, tr("validation loss"), kValColor,
                         Qt::SolidLine);

    // Alignment on yAxis (fixed 0..1), validation metric on yAxis2.
    setupEpochPlot(m_alignmentPlot, tr("Alignment with ground truth"), font());
    m_alignmentPlot->yAxis->setLabel(tr("alignment"));
    m_alignmentPlot->yAxis->setRange(0.0, 1.0);
    m_alignmentPlot->yAxis2->setVisible(true);
    m_alignmentPlot->yAxis2->setTickLabels(true);
    m_alignmentPlot->yAxis2->setLabelColor(kMetricColor);
    m_alignmentPlot->yAxis2->setTickLabelColor(kMetricColor);
    m_alignment = addCurve(m_alignmentPlot, m_alignmentPlot->yAxis, tr("alignment"),
                           kAlignmentColor, Qt::SolidLine);
    m_metric = addCurve(m_alignmentPlot, m_alignmentPlot->yAxis2, tr("validation metric"),
                        kMetricColor, Qt::DashLine);
    // A held-out test file's metric (TaskData::test), dotted; in the legend only when present.
    m_testMetric = addCurve(m_alignmentPlot, m_alignmentPlot->yAxis2, tr("test metric"),
                            kMetricColor, Qt::DotLine);
    m_testMetric->removeFromLegend();

    m_noAlignmentNote = new QCPItemText(m_alignmentPlot);
    m_noAlignmentNote->position->setType(QCPItemPosition::ptAxisRectRatio);
    m_noAlignmentNote->position->setCoords(0.5, 0.5);
    m_noAlignmentNote->setPositionAlignment(Qt::AlignCenter);
    m_noAlignmentNote->setText(tr("no ground-truth attention for this task"));
    m_noAlignmentNote->setClipToAxisRect(true);
    m_noAlignmentNote->setVisible(false);

    m_lossMarker = addMarker(m_lossPlot);
    m_alignmentMarker = addMarker(m_alignmentPlot);
    m_bestTracer = new QCPItemTracer(m_lossPlot); // on m_valLoss while shown (addPoints)
    m_bestTracer->setStyle(QCPItemTracer::tsCircle);
    m_bestTracer->setSize(11);
    m_bestTracer->setSelectable(false);
    m_bestTracer->setVisible(false);

    applyTheme();
    clear();
}

CurvesView::~CurvesView() = default;

void CurvesView::appendEpoch(const EpochSnapshot &s)
{
    if (s.epoch == 0)
        return;
    addPoints(s);
    rescale();
    replotBoth();
}

void CurvesView::setHistory(const std::vector<EpochSnapshot> &history)
{
    for (QCPGraph *g : {m_trainLoss, m_valLoss, m_alignment, m_metric, m_testMetric})
        g->data()->clear();
    m_testMetric->removeFromLegend();
    m_noAttention = false;
    m_bestEpoch = 0;
    for (const EpochSnapshot &s : history)
        if (s.epoch > 0)
            addPoints(s);
    if (history.empty())
        showBaselines({});
    rescale();
    replotBoth();
}

void CurvesView::clear()
{
    setHistory({});
}

int CurvesView::pointCount() const
{
    return m_trainLoss->dataCount();
}

QString CurvesView::noAlignmentNote() const
{
    return m_noAlignmentNote->visible() ? m_noAlignmentNote->text() : QString();
}

void CurvesView::setMarkerEpoch(int epoch)
{
    m_markerEpoch = std::max(epoch, 0);
    for (QCPItemStraightLine *line : {m_lossMarker, m_alignmentMarker}) {
        line->point1->setCoords(double(m_markerEpoch), 0.0);
        line->point2->setCoords(double(m_markerEpoch), 1.0);
        line->setVisible(m_markerEpoch > 0);
    }
    replotBoth();
}

int CurvesView::markerEpoch() const
{
    return m_markerEpoch;
}

QCPItemStraightLine *CurvesView::lossMarker()
{
    return m_lossMarker;
}

QCPItemStraightLine *CurvesView::alignmentMarker()
{
    return m_alignmentMarker;
}

void CurvesView::setDark(bool dark)
{
    m_dark = dark;
    applyTheme();
    replotBoth();
}

bool CurvesView::isDark() const
{
    return m_dark;
}

bool CurvesView::saveLossPng(const QString &path, int w, int h, double scale, QString *error)
{
    return savePlotPng(m_lossPlot, path, w, h, scale, error);
}

bool CurvesView::saveAlignmentPng(const QString &path, int w, int h, double scale,
                                  QString *error)
{
    return savePlotPng(m_alignmentPlot, path, w, h, scale, error);
}

bool CurvesView::saveLossPdf(const QString &path, int w, int h, QString *error)
{
    return savePlotPdf(m_lossPlot, path, w, h, tr("Loss"), error);
}

bool CurvesView::saveAlignmentPdf(const QString &path, int w, int h, QString *error)
{
    return savePlotPdf(m_alignmentPlot, path, w, h, tr("Alignment with ground truth"), error);
}

QCustomPlot *CurvesView::lossPlot()
{
    return m_lossPlot;
}

QCustomPlot *CurvesView::alignmentPlot()
{
    return m_alignmentPlot;
}

void CurvesView::addPoints(const EpochSnapshot &s)
{
    const double key = double(s.epoch);
    if (!m_trainLoss->data()->isEmpty() && key <= (m_trainLoss->data()->constEnd() - 1)->key) {
        for (QCPGraph *g : {m_trainLoss, m_valLoss, m_alignment, m_metric, m_testMetric})
            g->data()->removeAfter(key - 0.5);
    }
    m_trainLoss->addData(key, s.trainLoss);
    m_valLoss->addData(key, s.valLoss);
    if (s.alignment)
        m_alignment->addData(key, *s.alignment);
    m_metric->addData(key, s.metric);
    if (s.testMetric) {
        m_testMetric->addData(key, *s.testMetric);
        m_testMetric->addToLegend(); // a no-op when it is there
    }
    m_noAttention = m_noAttention || s.attention.empty();
    showBaselines(s.baselines);
    m_bestEpoch = s.bestEpoch;
    // Attached only while shown: a tracer on a graph without data complains on every replot.
    m_bestTracer->setGraph(m_bestEpoch > 0 ? m_valLoss : nullptr);
    m_bestTracer->setGraphKey(double(m_bestEpoch));
    m_bestTracer->setVisible(m_bestEpoch > 0);

    const QString name = QString::fromStdString(s.metricName);
    if (name != m_metricName) {
        m_metricName = name;
        m_alignmentPlot->yAxis2->setLabel(name.isEmpty() ? tr("metric") : name);
        m_metric->setName(name.isEmpty() ? tr("validation metric") : tr("validation %1").arg(name));
        m_testMetric->setName(name.isEmpty() ? tr("test metric") : tr("test %1").arg(name));
    }
}

void CurvesView::showBaselines(const std::vector<Baseline> &baselines)
{
    const auto same = [](const Baseline &a, const Baseline &b) { return a.key == b.key && a.value == b.value; };
    if (std::equal(baselines.begin(), baselines.end(), m_baselines.begin(), m_baselines.end(), same))
        return;
    for (QCPAbstractItem *item : m_baselineItems)
        m_alignmentPlot->removeItem(item);
    m_baselineItems.clear();
    m_baselines = baselines;
    QColor color = kMetricColor;
    color.setAlphaF(0.7f);
    // Baselines often lie close together (naive 43.7, seasonal naive 44.2): in order of value,
    // labels alternate between the left and the middle, and the lowest sits under its line.
    std::vector<std::size_t> order(m_baselines.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(),
              [this](std::size_t i, std::size_t j) { return m_baselines[i].value < m_baselines[j].value; });
    for (std::size_t rank = 0; rank < order.size(); ++rank) {
        const Baseline &b = m_baselines[order[rank]];
        auto *line = new QCPItemStraightLine(m_alignmentPlot);
        for (QCPItemPosition *pos : {line->point1, line->point2})
            pos->setAxes(m_alignmentPlot->xAxis, m_alignmentPlot->yAxis2);
        line->point1->setCoords(0.0, b.value);
        line->point2->setCoords(1.0, b.value);
        line->setPen(QPen(color, 1.2, Qt::DotLine));
        line->setClipToAxisRect(true);
        line->setSelectable(false);
        auto *label = new QCPItemText(m_alignmentPlot);
        label->position->setTypeX(QCPItemPosition::ptAxisRectRatio);
        label->position->setAxisRect(m_alignmentPlot->axisRect());
        label->position->setTypeY(QCPItemPosition::ptPlotCoords);
        label->position->setAxes(m_alignmentPlot->xAxis, m_alignmentPlot->yAxis2);
        // Not at the right: the replay marker sits there.
        label->position->setCoords(rank % 2 == 0 ? 0.01 : 0.5, b.value);
        label->setPositionAlignment(Qt::AlignLeft | (rank == 0 ? Qt::AlignTop : Qt::AlignBottom));
        label->setText(QStringLiteral("%1 %2").arg(QString::fromStdString(b.label)).arg(b.value, 0, 'f', 3));
        label->setColor(color);
        label->setClipToAxisRect(true);
        label->setSelectable(false);
        m_baselineItems.insert(m_baselineItems.end(), {line, label});
    }
}

void CurvesView::rescale()
{
    // x: the epochs shown, half an epoch of margin on each side.
    double firstEpoch = 1.0;
    double lastEpoch = 1.0;
    if (!m_trainLoss->data()->isEmpty()) {
        firstEpoch = m_trainLoss->data()->constBegin()->key;
        lastEpoch = (m_trainLoss->data()->constEnd() - 1)->key;
    }
    const QCPRange xRange(firstEpoch - 0.5, lastEpoch + 0.5);
    m_lossPlot->xAxis->setRange(xRange);
    m_alignmentPlot->xAxis->setRange(xRange);

    // Loss: log scale (whole decades) when every value is positive and they span a decade.
    double lo = 0.0;
    double hi = 0.0;
    QCPAxis *lossAxis = m_lossPlot->yAxis;
    if (finiteValueRange({m_trainLoss, m_valLoss}, lo, hi)) {
        if (lo > 0.0 && hi / lo >= 10.0) {
            lossAxis->setScaleType(QCPAxis::stLogarithmic);
            lossAxis->setTicker(m_logTicker);
            lossAxis->setRange(std::pow(10.0, std::floor(std::log10(lo))),
                               std::pow(10.0, std::ceil(std::log10(hi))));
        } else {
            lossAxis->setScaleType(QCPAxis::stLinear);
            lossAxis->setTicker(m_linearTicker);
            QCPRange r = paddedRange(lo, hi);
            if (lo >= 0.0)
                r.lower = std::max(r.lower, 0.0); // a loss axis need not dip below zero
            lossAxis->setRange(r);
        }
    } else {
        lossAxis->setScaleType(QCPAxis::stLinear);
        lossAxis->setTicker(m_linearTicker);
        lossAxis->setRange(0.0, 1.0);
    }

    // Alignment stays 0..1; the metric axis follows its data.
    m_alignmentPlot->yAxis->setRange(0.0, 1.0);
    if (finiteValueRange({m_metric, m_testMetric}, lo, hi)) {
        double lowestBaseline = std::numeric_limits<double>::infinity();
        for (const Baseline &b : m_baselines) { // the lines to beat stay in view
            lo = std::min(lo, b.value);
            hi = std::max(hi, b.value);
            lowestBaseline = std::min(lowestBaseline, b.value);
        }
        QCPRange r = paddedRange(lo, hi);
        // The lowest baseline's label hangs under its line: keep a text line of room for it.
        const int height = m_alignmentPlot->axisRect()->height();
        if (!m_baselines.empty() && height > 0) {
            const double textHeight = 1.2 * QFontMetricsF(m_alignmentPlot->font()).height();
            const double room = textHeight * r.size() / std::max(1.0, double(height) - textHeight);
            r.lower = std::min(r.lower, lowestBaseline - room);
        }
        m_alignmentPlot->yAxis2->setRange(r);
    } else {
        m_alignmentPlot->yAxis2->setRange(0.0, 1.0);
    }

    // A model without attention or a task without ground truth: say which instead of showing
    // an empty "alignment" curve.
    const bool noAlignment = pointCount() > 0 && m_alignment->data()->isEmpty();
    m_noAlignmentNote->setText(m_noAttention ? tr("this model has no attention")
                                             : tr("no ground-truth attention for this task"));
    m_noAlignmentNote->setVisible(noAlignment);
    if (noAlignment)
        m_alignment->removeFromLegend();
    else
        m_alignment->addToLegend();
}

QCPItemStraightLine *CurvesView::addMarker(QCustomPlot *plot)
{
    auto *line = new QCPItemStraightLine(plot);
    for (QCPItemPosition *pos : {line->point1, line->point2}) {
        pos->setTypeX(QCPItemPosition::ptPlotCoords);
        pos->setTypeY(QCPItemPosition::ptAxisRectRatio);
        pos->setAxes(plot->xAxis, plot->yAxis);
        pos->setAxisRect(plot->axisRect());
    }
    line->point1->setCoords(0.0, 0.0);
    line->point2->setCoords(0.0, 1.0);
    line->setClipToAxisRect(true);
    line->setSelectable(false);
    line->setVisible(false);
    return line;
}

void CurvesView::applyTheme()
{
    const PlotTheme theme = PlotTheme::forDark(m_dark);
    for (QCustomPlot *plot : {m_lossPlot, m_alignmentPlot})
        theme.apply(plot);
    // The metric's axis keeps the metric's colour; the note and the marker follow the theme.
    m_alignmentPlot->yAxis2->setLabelColor(kMetricColor);
    m_alignmentPlot->yAxis2->setTickLabelColor(kMetricColor);
    m_noAlignmentNote->setColor(theme.muted);
    QColor markerColor = theme.foreground;
    markerColor.setAlphaF(0.6f);
    for (QCPItemStraightLine *line : {m_lossMarker, m_alignmentMarker})
        line->setPen(QPen(markerColor, 1.5, Qt::DashLine));
    m_bestTracer->setPen(QPen(m_valLoss->pen().color(), 2.0));
    m_bestTracer->setBrush(Qt::NoBrush);
}

void CurvesView::replotBoth()
{
    m_lossPlot->replot(QCustomPlot::rpQueuedReplot);
    m_alignmentPlot->replot(QCustomPlot::rpQueuedReplot);
}

} // namespace attn
