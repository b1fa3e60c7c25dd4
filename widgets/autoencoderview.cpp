// SPDX-License-Identifier: GPL-3.0-or-later
// AutoencoderView: one QCustomPlot with a title, a text line and two axis rects: the inputs'
// bars (two QCPBars: other and informative columns, a graph for 1/F) and, taken out of the
// layout while unused, the sorted hidden-unit weights (bars and a graph for 1/H1).
#include "widgets/autoencoderview.h"

#include "widgets/featureweightsview.h"
#include "widgets/plottheme.h"
#include "widgets/plotutil.h"

#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

namespace attn {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double cell(const Grid &g, int r, int c)
{
    const std::size_t i = std::size_t(r) * std::size_t(g.cols) + std::size_t(c);
    return i < g.values.size() ? double(g.values[i]) : kNaN;
}

QCPBars *makeBars(QCPAxisRect *rect, const QColor &color, const QString &name)
{
    auto *bars = new QCPBars(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
    bars->setWidth(0.8);
    bars->setPen(Qt::NoPen);
    bars->setBrush(color);
    bars->setName(name);
    return bars;
}

void setupAxes(QCPAxisRect *rect, const QString &xLabel)
{
    QCPAxis *x = rect->axis(QCPAxis::atBottom);
    QCPAxis *y = rect->axis(QCPAxis::atLeft);
    x->setLabel(xLabel);
    x->setTicker(integerTicker());
    x->setSubTicks(false);
    y->setLabel(QObject::tr("attention weight"));
    for (QCPAxis *axis : {x, y}) { // ticks outside, so they never cross a bar
        axis->setTickLength(0, 5);
        axis->setSubTickLength(0, 3);
    }
}

} // namespace

AutoencoderView::AutoencoderView(QWidget *parent) : QWidget(parent), m_plot(new QCustomPlot(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot, 1);

    QCPLayoutGrid *top = m_plot->plotLayout();
    QFont titleFont = font();
    titleFont.setPointSizeF(titleFont.pointSizeF() + 2.0);
    titleFont.setBold(true);
    m_title = new QCPTextElement(m_plot, QString(), titleFont);
    m_summary = new QCPTextElement(m_plot, QString(), font());
    top->insertRow(0);
    top->insertRow(0);
    top->addElement(0, 0, m_title);
    top->addElement(1, 0, m_summary);
    top->setRowSpacing(0);

    m_inputRect = m_plot->axisRect();
    setupAxes(m_inputRect, tr("input column"));
    m_hiddenRect = new QCPAxisRect(m_plot);
    setupAxes(m_hiddenRect, tr("hidden unit of the first encoder layer, sorted by weight"));
    m_hiddenRect->axis(QCPAxis::atBottom)->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));

    m_uniform = m_plot->addGraph(m_inputRect->axis(QCPAxis::atBottom), m_inputRect->axis(QCPAxis::atLeft));
    m_inputBars = makeBars(m_inputRect, FeatureWeightsView::barColor(), tr("attention weight"));
    m_informativeBars = makeBars(m_inputRect, FeatureWeightsView::highlightColor(), tr("informative column"));
    m_hiddenUniform = m_plot->addGraph(m_hiddenRect->axis(QCPAxis::atBottom), m_hiddenRect->axis(QCPAxis::atLeft));
    m_hiddenBars = makeBars(m_hiddenRect, FeatureWeightsView::barColor(), tr("hidden unit"));
    m_hiddenBars->setWidth(1.0); // hundreds of units: bars touch
    m_hiddenBars->removeFromLegend();
    m_hiddenUniform->removeFromLegend();

    connect(m_plot, &QCustomPlot::afterLayout, this, &AutoencoderView::wrapTexts);
    m_plot->legend->setVisible(true);
    m_plot->legend->setBrush(Qt::NoBrush);
    m_plot->legend->setBorderPen(Qt::NoPen);
    m_inputRect->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);

    applyTheme();
    clear();
}

AutoencoderView::~AutoencoderView()
{
    if (!m_hiddenRect->layout()) // taken out of the layout: give it back for the plot to delete
        m_plot->plotLayout()->addElement(3, 0, m_hiddenRect);
}

void AutoencoderView::setSnapshot(const EpochSnapshot &s)
{
    m_snapshot = s;
    m_hasSnapshot = true;
    showSnapshot();
}

void AutoencoderView::clear()
{
    m_snapshot = EpochSnapshot{};
    m_hasSnapshot = false;
    showSnapshot();
}

void AutoencoderView::showSnapshot()
{
    const Grid &a = m_snapshot.attention;
    const Grid &gt = m_snapshot.groundTruth;
    const int R = a.rows, F = a.cols;
    const bool hasGt = gt.rows == R && gt.cols == F && R > 0;

    // The inputs: mean weight over the probe rows; informative = non-zero ground truth.
    m_values.assign(std::size_t(F), 0.0);
    std::vector<bool> informative(std::size_t(F), false);
    for (int r = 0; r < R; ++r)
        for (int c = 0; c < F; ++c) {
            m_values[std::size_t(c)] += cell(a, r, c) / double(R);
            if (hasGt && cell(gt, r, c) > 0.0)
                informative[std::size_t(c)] = true;
        }
    m_informative.clear();
    QVector<double> keys, values, infoKeys, infoValues;
    for (int c = 0; c < F; ++c) {
        (informative[std::size_t(c)] ? infoKeys : keys).push_back(c);
        (informative[std::size_t(c)] ? infoValues : values).push_back(m_values[std::size_t(c)]);
        if (informative[std::size_t(c)])
            m_informative.push_back(c);
    }
    m_inputBars->setData(keys, values, true);
    m_informativeBars->setData(infoKeys, infoValues, true);
    m_mass = kNaN;
    if (!m_informative.empty()) {
        m_mass = 0.0;
        for (int c : m_informative)
            m_mass += m_values[std::size_t(c)];
    }
    const double top = F > 0 ? *std::max_element(m_values.begin(), m_values.end()) : 0.0;
    m_inputRect->axis(QCPAxis::atBottom)->setRange(-0.5, std::max(9.5, double(F) - 0.5));
    m_inputRect->axis(QCPAxis::atLeft)->setRange(0.0, std::max(2.0 / std::max(F, 1), top * 1.15));
    if (F > 0)
        m_uniform->setData({-0.5, double(F) - 0.5}, {1.0 / F, 1.0 / F});
    else
        m_uniform->data()->clear();
    m_uniform->setName(tr("uniform 1/%1").arg(F));

    // The hidden units, largest weight first.
    m_hidden.assign(m_snapshot.hiddenAttention.begin(), m_snapshot.hiddenAttention.end());
    std::sort(m_hidden.begin(), m_hidden.end(), std::greater<double>());
    const int H = int(m_hidden.size());
    QVector<double> hiddenKeys, hiddenValues;
    for (int j = 0; j < H; ++j) {
        hiddenKeys.push_back(j);
        hiddenValues.push_back(m_hidden[std::size_t(j)]);
    }
    m_hiddenBars->setData(hiddenKeys, hiddenValues, true);
    if (H > 0) {
        m_hiddenRect->axis(QCPAxis::atBottom)->setRange(-0.5, double(H) - 0.5);
        m_hiddenRect->axis(QCPAxis::atLeft)->setRange(0.0, std::max(2.0 / H, m_hidden.front() * 1.15));
        m_hiddenUniform->setData({-0.5, double(H) - 0.5}, {1.0 / H, 1.0 / H});
    }
    QCPLayoutGrid *grid = m_plot->plotLayout();
    const bool shown = m_hiddenRect->layout() != nullptr;
    if (H > 0 && !shown) {
        grid->addElement(3, 0, m_hiddenRect);
        grid->setRowStretchFactor(3, 0.6);
    } else if (H == 0 && shown) {
        grid->take(m_hiddenRect);
        grid->simplify();
    }

    m_plot->legend->clearItems();
    if (F > 0) {
        m_inputBars->addToLegend();
        if (!m_informative.empty())
            m_informativeBars->addToLegend();
        m_uniform->addToLegend();
    }
    m_inputRect->setVisible(F > 0);
    const PlotTheme theme = PlotTheme::forDark(m_dark);
    if (!m_hasSnapshot || F == 0) {
        m_titleParts = {m_hasSnapshot ? tr("No autoencoder attention in this snapshot")
                                      : tr("No epoch finished yet")};
        m_title->setTextColor(theme.muted);
    } else {
        m_titleParts = {tr("Autoencoder attention over the inputs"),
                        tr("mean of %1 probe rows").arg(R),
                        m_snapshot.totalEpochs > 0
                            ? tr("epoch %1 / %2").arg(m_snapshot.epoch).arg(m_snapshot.totalEpochs)
                            : tr("epoch %1").arg(m_snapshot.epoch)};
        m_title->setTextColor(theme.foreground);
    }
    m_title->setText(m_titleParts.join(QStringLiteral(" \u00b7 ")));
    m_summary->setText(summaryText());
    applyTheme();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

int AutoencoderView::inputCount() const
{
    return int(m_values.size());
}

double AutoencoderView::inputValue(int f) const
{
    return f >= 0 && f < inputCount() ? m_values[std::size_t(f)] : kNaN;
}

std::vector<int> AutoencoderView::informativeColumns() const
{
    return m_informative;
}

double AutoencoderView::informativeMass() const
{
    return m_mass;
}

double AutoencoderView::chanceMass() const
{
    return m_values.empty() ? kNaN : double(m_informative.size()) / double(m_values.size());
}

QStringList AutoencoderView::summaryParts() const
{
    if (!m_hasSnapshot || m_values.empty())
        return {};
    QStringList parts;
    parts << (m_hidden.empty() ? tr("attention on the inputs")
                               : tr("attention over %1 hidden units, carried to the inputs by |W1|")
                                     .arg(m_hidden.size()));
    if (m_informative.empty())
        parts << tr("no ground truth (no informative columns known)");
    else
        parts << tr("mass on the %1 informative columns %2 (chance %3)")
                     .arg(m_informative.size())
                     .arg(m_mass, 0, 'f', 2)
                     .arg(chanceMass(), 0, 'f', 2);
    if (m_snapshot.alignment)
        parts << tr("validation alignment %1").arg(*m_snapshot.alignment, 0, 'f', 2);
    return parts;
}

QString AutoencoderView::summaryText() const
{
    return summaryParts().join(QStringLiteral(" \u00b7 "));
}

void AutoencoderView::wrapTexts()
{
    if (m_wrapping)
        return;
    m_wrapping = true;
    setWrappedTexts(m_plot, m_title, m_titleParts, m_summary, summaryParts());
    m_wrapping = false;
}

void AutoencoderView::setDark(bool dark)
{
    m_dark = dark;
    showSnapshot();
}

bool AutoencoderView::savePng(const QString &path, int width, int height, double scale, QString *error)
{
    return savePlotPng(m_plot, path, width, height, scale, error);
}

bool AutoencoderView::savePdf(const QString &path, int width, int height, QString *error)
{
    return savePlotPdf(m_plot, path, width, height, m_titleParts.join(QStringLiteral(" \u00b7 ")), error);
}

void AutoencoderView::applyTheme()
{
    const PlotTheme theme = PlotTheme::forDark(m_dark);
    theme.apply(m_plot);
    for (QCPAxisRect *rect : {m_inputRect, m_hiddenRect})
        rect->axis(QCPAxis::atBottom)->grid()->setVisible(false);
    m_uniform->setPen(QPen(theme.muted, 1.5, Qt::DashLine));
    m_hiddenUniform->setPen(QPen(theme.muted, 1.5, Qt::DashLine));
}

} // namespace attn
