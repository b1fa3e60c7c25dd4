// SPDX-License-Identifier: GPL-3.0-or-later
// SeriesView: a row and an attribution selector above one QCustomPlot with two value axes: the
// series line and the forecast points on the left axis; the attention bars, the uniform line and
// the attribution's shares on the right one.
#include "widgets/seriesview.h"

#include "widgets/plottheme.h"
#include "widgets/plotutil.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

namespace attn {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

QColor lineColor() { return QColor(31, 119, 180); }
QColor barColor() { return QColor(255, 127, 14, 150); } // translucent: the line stays visible
QColor forecastColor() { return QColor(214, 39, 40); }
QColor shareColor() { return QColor(148, 103, 189); }

/// The selector's entries: what each attribution measures, in a few words.
struct AttributionChoice {
    SeriesView::Attribution kind;
    const char *name;
};
constexpr AttributionChoice kChoices[] = {
    {SeriesView::Attribution::None, QT_TRANSLATE_NOOP("attn::SeriesView", "none")},
    {SeriesView::Attribution::LeaveOneOut, QT_TRANSLATE_NOOP("attn::SeriesView", "leave-one-out")},
    {SeriesView::Attribution::InputXGradient, QT_TRANSLATE_NOOP("attn::SeriesView", "input × gradient")},
    {SeriesView::Attribution::Gradient, QT_TRANSLATE_NOOP("attn::SeriesView", "gradient")},
    {SeriesView::Attribution::IntegratedGradients, QT_TRANSLATE_NOOP("attn::SeriesView", "integrated gradients")},
};

} // namespace

SeriesView::SeriesView(QWidget *parent)
    : QWidget(parent), m_rowSelector(new QComboBox(this)),
      m_attributionSelector(new QComboBox(this)), m_plot(new QCustomPlot(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(6, 2, 6, 0);
    auto *label = new QLabel(tr("Series:"), this);
    label->setBuddy(m_rowSelector);
    bar->addWidget(label);
    bar->addWidget(m_rowSelector);
    bar->addSpacing(12);
    auto *beside = new QLabel(tr("Beside the attention:"), this);
    beside->setBuddy(m_attributionSelector);
    bar->addWidget(beside);
    bar->addWidget(m_attributionSelector);
    bar->addStretch(1);
    layout->addLayout(bar);
    layout->addWidget(m_plot, 1);
    m_rowSelector->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    connect(m_rowSelector, &QComboBox::currentIndexChanged, this, &SeriesView::setProbeRow);
    for (const AttributionChoice &c : kChoices)
        m_attributionSelector->addItem(tr(c.name), int(c.kind));
    m_attributionSelector->setCurrentIndex(int(m_attribution));
    m_attributionSelector->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    connect(m_attributionSelector, &QComboBox::currentIndexChanged, this,
            [this](int index) { setAttribution(kChoices[std::clamp(index, 0, 4)].kind); });

    QFont titleFont = font();
    titleFont.setPointSizeF(titleFont.pointSizeF() + 2.0);
    titleFont.setBold(true);
    m_title = new QCPTextElement(m_plot, QString(), titleFont);
    m_plot->plotLayout()->insertRow(0);
    m_plot->plotLayout()->addElement(0, 0, m_title);

    QCPAxis *x = m_plot->xAxis, *y = m_plot->yAxis, *w = m_plot->yAxis2;
    x->setLabel(tr("time step"));
    x->setTicker(integerTicker());
    y->setLabel(tr("value"));
    w->setVisible(true);
    w->setLabel(tr("attention weight · attribution share"));
    // Bars first, so the series line is drawn over them.
    m_bars = new QCPBars(x, w);
    m_bars->setWidth(1.0);
    m_bars->setPen(Qt::NoPen);
    m_bars->setBrush(barColor());
    m_bars->setName(tr("attention weight"));
    m_uniform = m_plot->addGraph(x, w);
    m_uniform->setName(tr("uniform 1/T"));
    m_line = m_plot->addGraph(x, y);
    m_line->setPen(QPen(lineColor(), 2.0));
    m_line->setName(tr("series"));
    m_forecast = m_plot->addGraph(x, y);
    m_forecast->setLineStyle(QCPGraph::lsNone);
    m_forecast->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, forecastColor(), 9));
    m_forecast->setName(tr("forecast"));
    m_truth = m_plot->addGraph(x, y);
    m_truth->setLineStyle(QCPGraph::lsNone);
    m_truth->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(lineColor(), 2.0), QBrush(Qt::NoBrush), 11));
    m_truth->setName(tr("true next value"));
    m_share = m_plot->addGraph(x, w);
    m_share->setPen(QPen(shareColor(), 2.0));
    m_share->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDiamond, shareColor(), shareColor(), 8));
    m_seasonLine = new QCPItemStraightLine(m_plot);
    m_seasonLine->setPen(QPen(forecastColor(), 1.2, Qt::DotLine));
    m_seasonLabel = new QCPItemText(m_plot);
    m_seasonLabel->position->setTypeX(QCPItemPosition::ptPlotCoords);
    m_seasonLabel->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
    m_seasonLabel->setPositionAlignment(Qt::AlignBottom | Qt::AlignHCenter);
    m_seasonLabel->setColor(forecastColor());
    placeLegendBelow(m_plot, 2); // over the axis rect it would hide the first steps
    applyTheme();
    clear();
}

SeriesView::~SeriesView() = default;

void SeriesView::setSnapshot(const EpochSnapshot &s)
{
    m_snapshot = s;
    m_hasSnapshot = true;
    const int rows = s.probeInputs.rows;
    if (m_rowSelector->count() != rows) {
        const QSignalBlocker block(m_rowSelector);
        m_rowSelector->clear();
        for (int r = 0; r < rows; ++r)
            m_rowSelector->addItem(tr("probe row %1").arg(r));
    }
    m_row = std::clamp(m_row, 0, std::max(0, rows - 1));
    {
        const QSignalBlocker block(m_rowSelector);
        m_rowSelector->setCurrentIndex(m_row);
    }
    showRow();
}

void SeriesView::clear()
{
    m_hasSnapshot = false;
    m_snapshot = EpochSnapshot{};
    showRow();
}

void SeriesView::setProbeRow(int row)
{
    m_row = std::clamp(row, 0, std::max(0, m_snapshot.probeInputs.rows - 1));
    const QSignalBlocker block(m_rowSelector);
    m_rowSelector->setCurrentIndex(m_row);
    showRow();
}

void SeriesView::setAttribution(Attribution kind)
{
    m_attribution = kind;
    const QSignalBlocker block(m_attributionSelector);
    m_attributionSelector->setCurrentIndex(int(kind));
    showRow();
}

const Grid *SeriesView::chosenAttribution() const
{
    if (!m_snapshot.faithfulness)
        return nullptr;
    const FaithfulnessSummary &f = *m_snapshot.faithfulness;
    switch (m_attribution) {
    case Attribution::LeaveOneOut: return &f.probeLeaveOneOut;
    case Attribution::InputXGradient: return &f.probeInputXGradient;
    case Attribution::Gradient: return &f.probeGradient;
    case Attribution::IntegratedGradients: return &f.probeIntegratedGradients;
    case Attribution::None: break;
    }
    return nullptr;
}

void SeriesView::showSeasonMarker(int T)
{
    const int P = m_snapshot.season;
    m_seasonStep = P >= 1 && P <= T ? T - P : -1;
    m_seasonLine->setVisible(m_seasonStep >= 0);
    m_seasonLabel->setVisible(m_seasonStep >= 0);
    if (m_seasonStep < 0)
        return;
    m_seasonLine->point1->setCoords(m_seasonStep, 0.0);
    m_seasonLine->point2->setCoords(m_seasonStep, 1.0);
    m_seasonLabel->position->setCoords(m_seasonStep, 0.995);
    m_seasonLabel->setText(tr("a season (P = %1) before the forecast").arg(P));
    // Near the left edge the centred label would be cut off: align it to the step instead.
    m_seasonLabel->setPositionAlignment(Qt::AlignBottom |
                                        (m_seasonStep < T / 4 ? Qt::AlignLeft : Qt::AlignHCenter));
}

void SeriesView::showRow()
{
    m_seasonStep = -1;
    m_seasonLine->setVisible(false);
    m_seasonLabel->setVisible(false);
    for (QCPGraph *g : {m_line, m_uniform, m_forecast, m_truth, m_share})
        g->data()->clear();
    m_share->removeFromLegend(); // back below when this row has shares
    m_bars->data()->clear();
    const Grid &in = m_snapshot.probeInputs;
    if (!m_hasSnapshot || in.empty() || m_row >= in.rows) {
        m_title->setText(tr("No epoch finished yet"));
        m_plot->replot(QCustomPlot::rpQueuedReplot);
        return;
    }
    const int T = in.cols;
    for (int t = 0; t < T; ++t)
        m_line->addData(t, in.valueOrNaN(m_row, t));
    const Grid &a = m_snapshot.attention;
    const bool attention = a.rows > m_row && a.cols == T;
    double largest = 1.0 / T;
    if (attention)
        for (int t = 0; t < T; ++t) {
            m_bars->addData(t, a.valueOrNaN(m_row, t));
            largest = std::max(largest, a.valueOrNaN(m_row, t));
        }
    const Grid *attribution = chosenAttribution();
    const bool shares = attribution && attribution->rows > m_row && attribution->cols == T;
    m_attributionSelector->setEnabled(m_snapshot.faithfulness.has_value());
    m_attributionSelector->setToolTip(
        m_snapshot.faithfulness ? tr("What the output leans on, measured on this row, as shares of "
                                     "its total (|value| / sum), on the attention's axis")
                                : tr("This run measures no attributions: turn on Explain"));
    int sharePeak = 0;
    if (shares) {
        double total = 0.0;
        for (int t = 0; t < T; ++t)
            total += std::abs(attribution->valueOrNaN(m_row, t));
        for (int t = 0; t < T; ++t) {
            const double share = total > 0.0 ? std::abs(attribution->valueOrNaN(m_row, t)) / total : 0.0;
            m_share->addData(t, share);
            largest = std::max(largest, share);
            if (share > m_share->data()->at(sharePeak)->value)
                sharePeak = t;
        }
        m_share->setName(tr("%1 share").arg(m_attributionSelector->currentText()));
        m_share->addToLegend();
    }
    m_uniform->addData(-0.5, 1.0 / T);
    m_uniform->addData(T + 0.5, 1.0 / T);
    const bool forecast = m_snapshot.metricName == "mae" &&
                          m_row < int(m_snapshot.probePredictions.size()) &&
                          m_row < int(m_snapshot.probeTargets.size());
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (int t = 0; t < T; ++t) {
        lo = std::min(lo, in.valueOrNaN(m_row, t));
        hi = std::max(hi, in.valueOrNaN(m_row, t));
    }
    for (QCPGraph *g : {m_forecast, m_truth}) // in the legend only for a forecast
        forecast ? g->addToLegend() : g->removeFromLegend();
    QString title = tr("Epoch %1 · probe row %2").arg(m_snapshot.epoch).arg(m_row);
    if (forecast) {
        const double p = m_snapshot.probePredictions[std::size_t(m_row)];
        const double truth = m_snapshot.probeTargets[std::size_t(m_row)];
        m_forecast->addData(T, p);
        m_truth->addData(T, truth);
        lo = std::min({lo, p, truth});
        hi = std::max({hi, p, truth});
        title += tr(" · forecast %1, true %2").arg(p, 0, 'g', 5).arg(truth, 0, 'g', 5);
    } else if (m_row < int(m_snapshot.probePredictions.size()) &&
               m_row < int(m_snapshot.probeTargets.size())) {
        title += tr(" · output %1, target %2")
                     .arg(double(m_snapshot.probePredictions[std::size_t(m_row)]), 0, 'g', 3)
                     .arg(double(m_snapshot.probeTargets[std::size_t(m_row)]), 0, 'g', 3);
    }
    if (attention) {
        int peak = 0;
        for (int t = 1; t < T; ++t)
            if (a.valueOrNaN(m_row, t) > a.valueOrNaN(m_row, peak))
                peak = t;
        title += tr(" · largest weight %1 at step %2 (uniform %3)")
                     .arg(a.valueOrNaN(m_row, peak), 0, 'f', 3)
                     .arg(peak)
                     .arg(1.0 / T, 0, 'f', 3);
    } else {
        title += tr(" · no attention (baseline)");
    }
    if (shares)
        title += tr("\n%1: largest share %2 at step %3")
                     .arg(m_attributionSelector->currentText())
                     .arg(m_share->data()->at(sharePeak)->value, 0, 'f', 3)
                     .arg(sharePeak);
    if (forecast)
        showSeasonMarker(T);
    m_title->setText(title);
    m_plot->xAxis->setRange(-0.5, forecast ? T + 0.5 : T - 0.5);
    m_plot->yAxis->setRange(paddedRange(lo, hi));
    m_plot->yAxis2->setRange(0.0, largest * 1.1);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

QVector<double> SeriesView::seriesValues() const
{
    QVector<double> v;
    for (auto it = m_line->data()->constBegin(); it != m_line->data()->constEnd(); ++it)
        v << it->value;
    return v;
}

QVector<double> SeriesView::attentionValues() const
{
    QVector<double> v;
    for (auto it = m_bars->data()->constBegin(); it != m_bars->data()->constEnd(); ++it)
        v << it->value;
    return v;
}

QVector<double> SeriesView::attributionValues() const
{
    QVector<double> v;
    for (auto it = m_share->data()->constBegin(); it != m_share->data()->constEnd(); ++it)
        v << it->value;
    return v;
}

double SeriesView::forecastValue() const
{
    return m_forecast->data()->isEmpty() ? kNaN : m_forecast->data()->constBegin()->value;
}

double SeriesView::truthValue() const
{
    return m_truth->data()->isEmpty() ? kNaN : m_truth->data()->constBegin()->value;
}

double SeriesView::weightAxisMax() const { return m_plot->yAxis2->range().upper; }

QString SeriesView::titleText() const { return m_title->text(); }

void SeriesView::setDark(bool dark)
{
    m_dark = dark;
    applyTheme();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void SeriesView::applyTheme()
{
    const PlotTheme theme = PlotTheme::forDark(m_dark);
    theme.apply(m_plot);
    m_uniform->setPen(QPen(theme.muted, 1.5, Qt::DashLine));
    // The season's label sits over the bars: a translucent background keeps it readable.
    QColor labelBackground = theme.background;
    labelBackground.setAlpha(200);
    m_seasonLabel->setBrush(labelBackground);
    m_seasonLabel->setPadding(QMargins(3, 1, 3, 1));
}

bool SeriesView::savePng(const QString &path, int width, int height, double scale, QString *error)
{
    return savePlotPng(m_plot, path, width, height, scale, error);
}

bool SeriesView::savePdf(const QString &path, int width, int height, QString *error)
{
    return savePlotPdf(m_plot, path, width, height, m_title->text(), error);
}

} // namespace attn
