// SPDX-License-Identifier: GPL-3.0-or-later
// CompareCurvesView: one QCustomPlot laid out like CurvesView's plots (title row, axis rect,
// centred legend row). Run lines live on the "main" layer, the mean lines on a layer above it
// so they are never hidden by runs added later. The points of every run are kept, so switching
// between alignment and metric refills the graphs without the snapshots.
#include "widgets/comparecurvesview.h"

#include "widgets/plottheme.h"
#include "widgets/plotutil.h"

#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>
#include <map>

namespace attn {

namespace {

const QString kMeanLayer = QStringLiteral("means");

/// Okabe & Ito's colour-blind-safe palette (without black, which vanishes on the dark theme).
const QColor kPalette[] = {QColor(0x00, 0x72, 0xb2), QColor(0xd5, 0x5e, 0x00),
                           QColor(0x00, 0x9e, 0x73), QColor(0xcc, 0x79, 0xa7),
                           QColor(0xe6, 0x9f, 0x00), QColor(0x56, 0xb4, 0xe9),
                           QColor(0xf0, 0xe4, 0x42)};
/// The "no attention" baseline is drawn in a neutral grey.
const QColor kBaselineColor(0x88, 0x88, 0x88);
constexpr double kRunAlpha = 0.35;
constexpr int kLegendColumns = 4; // mechanisms per legend line at most

} // namespace

CompareCurvesView::CompareCurvesView(QWidget *parent)
    : QWidget(parent), m_plot(new QCustomPlot(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);

    setupEpochPlot(m_plot, QString(), font());
    m_title = qobject_cast<QCPTextElement *>(m_plot->plotLayout()->element(0, 0));
    m_plot->legend->setWrap(kLegendColumns);
    connect(m_plot, &QCustomPlot::afterLayout, this, &CompareCurvesView::fitToWidth);
    m_plot->addLayer(kMeanLayer, m_plot->layer(QStringLiteral("main")), QCustomPlot::limAbove);

    m_emptyNote = new QCPItemText(m_plot);
    m_emptyNote->position->setType(QCPItemPosition::ptAxisRectRatio);
    m_emptyNote->position->setCoords(0.5, 0.5);
    m_emptyNote->setPositionAlignment(Qt::AlignCenter);
    m_emptyNote->setClipToAxisRect(true);

    applyTheme();
    clear();
}

CompareCurvesView::~CompareCurvesView() = default;

void CompareCurvesView::clear()
{
    m_plot->clearGraphs();
    m_runs.clear();
    m_mechanisms.clear();
    m_metricName.clear();
    refill();
}

int CompareCurvesView::addRun(const QString &mechanism, int runIndex)
{
    Mechanism *m = findMechanism(mechanism);
    if (!m) {
        Mechanism added;
        added.name = mechanism;
        const int n = int(m_mechanisms.size());
        added.color = mechanism == QLatin1String("none")
                          ? kBaselineColor
                          : kPalette[std::size_t(n) % std::size(kPalette)];
        added.mean = m_plot->addGraph();
        added.mean->setLayer(kMeanLayer);
        added.mean->setPen(QPen(added.color, 2.8));
        added.mean->setAntialiased(true);
        m_mechanisms.push_back(added);
        m = &m_mechanisms.back();
    }
    ++m->runs;
    Run run;
    run.mechanism = mechanism;
    run.runIndex = runIndex;
    run.graph = m_plot->addGraph();
    QColor faint = m->color;
    faint.setAlphaF(float(kRunAlpha));
    run.graph->setPen(QPen(faint, 1.3));
    run.graph->setAntialiased(true);
    run.graph->setName(tr("%1, run %2").arg(mechanism).arg(runIndex));
    run.graph->removeFromLegend();
    m_runs.push_back(run);
    refill();
    return int(m_runs.size()) - 1;
}

void CompareCurvesView::appendEpoch(int runId, const EpochSnapshot &s)
{
    if (runId < 0 || runId >= runCount())
        return;
    addPoint(m_runs[std::size_t(runId)], s);
    refill();
}

void CompareCurvesView::setRunHistory(int runId, const std::vector<EpochSnapshot> &history)
{
    if (runId < 0 || runId >= runCount())
        return;
    Run &run = m_runs[std::size_t(runId)];
    run.points.clear();
    for (const EpochSnapshot &s : history)
        addPoint(run, s);
    refill();
}

void CompareCurvesView::addPoint(Run &run, const EpochSnapshot &s)
{
    // An epoch not after the last one replaces the tail (a restarted run).
    while (!run.points.empty() && run.points.back().epoch >= s.epoch)
        run.points.pop_back();
    run.points.push_back({s.epoch, s.alignment, s.metric});
    if (!s.metricName.empty())
        m_metricName = QString::fromStdString(s.metricName);
}

void CompareCurvesView::setQuantity(Quantity quantity)
{
    m_quantity = quantity;
    refill();
}

CompareCurvesView::Quantity CompareCurvesView::quantity() const
{
    return m_quantity;
}

std::optional<double> CompareCurvesView::valueOf(const Point &p) const
{
    if (m_quantity == Quantity::Alignment)
        return p.alignment;
    return p.metric;
}

void CompareCurvesView::refill()
{
    // Runs, and per mechanism the sum and count at every epoch for the mean.
    std::vector<std::map<int, std::pair<double, int>>> sums(m_mechanisms.size());
    for (Run &run : m_runs) {
        QVector<double> keys, values;
        for (const Point &p : run.points)
            if (const std::optional<double> v = valueOf(p); v && std::isfinite(*v)) {
                keys.push_back(p.epoch);
                values.push_back(*v);
            }
        run.graph->setData(keys, values, true);
        for (std::size_t m = 0; m < m_mechanisms.size(); ++m)
            if (m_mechanisms[m].name == run.mechanism)
                for (int i = 0; i < keys.size(); ++i) {
                    auto &[sum, count] = sums[m][int(keys[i])];
                    sum += values[i];
                    ++count;
                }
    }
    for (std::size_t m = 0; m < m_mechanisms.size(); ++m) {
        Mechanism &mech = m_mechanisms[m];
        QVector<double> keys, values;
        for (const auto &[epoch, sc] : sums[m]) {
            keys.push_back(epoch);
            values.push_back(sc.first / double(sc.second));
        }
        mech.mean->setData(keys, values, true);
        QString name = mech.runs == 1 ? tr("%1 (1 run)").arg(mech.name)
                                      : tr("%1 (mean of %2 runs)").arg(mech.name).arg(mech.runs);
        if (keys.isEmpty() && m_quantity == Quantity::Alignment)
            name = tr("%1 (no attention to align)").arg(mech.name);
        mech.mean->setName(name);
    }

    const QString metric = m_metricName.isEmpty() ? tr("metric") : m_metricName;
    m_titleParts = {m_quantity == Quantity::Alignment ? tr("Alignment with ground truth")
                                                      : tr("Validation %1").arg(metric)};
    if (!m_runs.empty())
        m_titleParts << tr("%1 runs").arg(m_runs.size());
    m_title->setText(m_titleParts.join(QStringLiteral(" \u00b7 "))); // fitToWidth() may break it
    m_plot->yAxis->setLabel(m_quantity == Quantity::Alignment ? tr("alignment")
                                                              : tr("validation %1").arg(metric));
    rescale();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void CompareCurvesView::rescale()
{
    int first = std::numeric_limits<int>::max();
    int last = std::numeric_limits<int>::min();
    double lo = std::numeric_limits<double>::infinity();
    double hi = -std::numeric_limits<double>::infinity();
    for (const Run &run : m_runs)
        for (auto it = run.graph->data()->constBegin(); it != run.graph->data()->constEnd(); ++it) {
            first = std::min(first, int(it->key));
            last = std::max(last, int(it->key));
            lo = std::min(lo, it->value);
            hi = std::max(hi, it->value);
        }
    const bool any = first <= last;
    m_plot->xAxis->setRange(any ? QCPRange(first - 0.5, last + 0.5) : QCPRange(0.5, 1.5));
    if (m_quantity == Quantity::Alignment) {
        m_plot->yAxis->setRange(0.0, 1.0);
    } else if (any) {
        QCPRange r = paddedRange(lo, hi);
        if (m_metricName == QLatin1String("accuracy")) // a share: keep the axis inside 0..1
            r = QCPRange(std::max(r.lower, 0.0), std::min(r.upper, 1.0));
        m_plot->yAxis->setRange(r);
    } else {
        m_plot->yAxis->setRange(0.0, 1.0);
    }
    m_emptyNote->setVisible(!any);
    m_emptyNote->setText(m_runs.empty()                          ? tr("No runs yet")
                         : m_quantity == Quantity::Alignment ? tr("No alignment yet")
                                                                 : tr("No epoch finished yet"));
}

int CompareCurvesView::runCount() const
{
    return int(m_runs.size());
}

QStringList CompareCurvesView::mechanisms() const
{
    QStringList names;
    for (const Mechanism &m : m_mechanisms)
        names << m.name;
    return names;
}

QColor CompareCurvesView::mechanismColor(const QString &mechanism) const
{
    const Mechanism *m = findMechanism(mechanism);
    return m ? m->color : QColor();
}

QCPGraph *CompareCurvesView::runGraph(int runId) const
{
    return runId >= 0 && runId < runCount() ? m_runs[std::size_t(runId)].graph : nullptr;
}

QCPGraph *CompareCurvesView::meanGraph(const QString &mechanism) const
{
    const Mechanism *m = findMechanism(mechanism);
    return m ? m->mean : nullptr;
}

CompareCurvesView::Mechanism *CompareCurvesView::findMechanism(const QString &name)
{
    for (Mechanism &m : m_mechanisms)
        if (m.name == name)
            return &m;
    return nullptr;
}

const CompareCurvesView::Mechanism *CompareCurvesView::findMechanism(const QString &name) const
{
    for (const Mechanism &m : m_mechanisms)
        if (m.name == name)
            return &m;
    return nullptr;
}

void CompareCurvesView::setDark(bool dark)
{
    m_dark = dark;
    applyTheme();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

bool CompareCurvesView::isDark() const
{
    return m_dark;
}

bool CompareCurvesView::savePng(const QString &path, int width, int height, double scale,
                                 QString *error)
{
    return savePlotPng(m_plot, path, width, height, scale, error);
}

bool CompareCurvesView::savePdf(const QString &path, int width, int height, QString *error)
{
    return savePlotPdf(m_plot, path, width, height, m_titleParts.join(QStringLiteral(" \u00b7 ")),
                       error);
}

QCustomPlot *CompareCurvesView::plot()
{
    return m_plot;
}

void CompareCurvesView::fitToWidth()
{
    // A plot (widget or export) narrower than the title or the legend line: break the title
    // between its parts and put fewer mechanisms on each legend line, instead of clipping.
    if (m_fitting)
        return;
    m_fitting = true;
    const double width = double(m_plot->viewport().width()) - 24.0;
    const QString title = wrapParts(m_titleParts, m_title->font(), width);
    QCPLegend *legend = m_plot->legend;
    int widest = 0;
    for (int i = 0; i < legend->itemCount(); ++i)
        widest = std::max(widest, legend->item(i)->minimumOuterSizeHint().width());
    const int columns =
        widest > 0 ? std::clamp(int(width / double(widest + legend->columnSpacing())), 1, kLegendColumns)
                   : kLegendColumns;
    if (title != m_title->text() || columns != legend->wrap()) {
        m_title->setText(title);
        legend->setWrap(columns);
        legend->setFillOrder(QCPLayoutGrid::foColumnsFirst, true); // re-flow the items
        QCPLayoutGrid *top = m_plot->plotLayout();
        top->update(QCPLayoutElement::upPreparation);
        top->update(QCPLayoutElement::upMargins);
        top->update(QCPLayoutElement::upLayout);
    }
    m_fitting = false;
}

void CompareCurvesView::applyTheme()
{
    const PlotTheme theme = PlotTheme::forDark(m_dark);
    theme.apply(m_plot);
    m_emptyNote->setColor(theme.muted);
}

} // namespace attn
