// SPDX-License-Identifier: GPL-3.0-or-later
// FeatureWeightsView: a row selector above one QCustomPlot (title, text line, one axis rect
// with two QCPBars, the ordinary features and the true columns, and a two-point graph for the
// uniform weight 1/F). The true column's label is a QCPItemText above its bar.
#include "widgets/featureweightsview.h"

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

/// Value of grid cell (r, c), NaN outside the grid.
double cell(const Grid &g, int r, int c)
{
    if (r < 0 || r >= g.rows || c < 0 || c >= g.cols)
        return kNaN;
    const std::size_t i = std::size_t(r) * std::size_t(g.cols) + std::size_t(c);
    return i < g.values.size() ? double(g.values[i]) : kNaN;
}

} // namespace

FeatureWeightsView::FeatureWeightsView(QWidget *parent)
    : QWidget(parent), m_rowSelector(new QComboBox(this)), m_plot(new QCustomPlot(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(6, 2, 6, 0);
    auto *label = new QLabel(tr("Show:"), this);
    label->setBuddy(m_rowSelector);
    bar->addWidget(label);
    bar->addWidget(m_rowSelector);
    bar->addStretch(1);
    layout->addLayout(bar);
    layout->addWidget(m_plot, 1);
    m_rowSelector->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    connect(m_rowSelector, &QComboBox::currentIndexChanged, this,
            [this](int index) { setProbeRow(index - 1); });

    // Layout rows: title, text line, axis rect.
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

    QCPAxis *x = m_plot->xAxis;
    QCPAxis *y = m_plot->yAxis;
    x->setLabel(tr("input feature"));
    x->setTicker(integerTicker());
    x->setSubTicks(false);
    x->grid()->setVisible(false);
    y->setLabel(tr("attention weight"));
    y->setRange(0.0, 1.0);
    for (QCPAxis *axis : {x, y}) { // ticks outside, so they never cross a bar
        axis->setTickLength(0, 5);
        axis->setSubTickLength(0, 3);
    }

    // The uniform line first: drawn under the bars, visible between and above them.
    m_uniform = m_plot->addGraph();
    m_uniform->setPen(QPen(QColor(128, 128, 128), 1.5, Qt::DashLine));
    m_bars = new QCPBars(x, y);
    m_bars->setWidth(0.8);
    m_bars->setPen(Qt::NoPen);
    m_bars->setBrush(barColor());
    m_bars->setName(tr("attention weight"));
    m_trueBars = new QCPBars(x, y);
    m_trueBars->setWidth(0.8);
    m_trueBars->setPen(Qt::NoPen);
    m_trueBars->setBrush(highlightColor());
    m_trueBars->setName(tr("true column"));

    QFont labelFont = font();
    labelFont.setBold(true);
    m_trueLabel = new QCPItemText(m_plot);
    m_trueLabel->setText(tr("true column"));
    m_trueLabel->setFont(labelFont);
    m_trueLabel->setColor(highlightColor());
    m_trueLabel->setClipToAxisRect(false);
    m_trueLabel->setPadding(QMargins(2, 2, 2, 2));

    connect(m_plot, &QCustomPlot::afterLayout, this, &FeatureWeightsView::wrapTexts);
    m_plot->legend->setVisible(true);
    m_plot->legend->setBrush(Qt::NoBrush);
    m_plot->legend->setBorderPen(Qt::NoPen);
    m_plot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);

    applyTheme();
    clear();
}

FeatureWeightsView::~FeatureWeightsView() = default;

void FeatureWeightsView::setSnapshot(const EpochSnapshot &s)
{
    m_snapshot = s;
    m_hasSnapshot = true;
    rebuildSelector(s.attention.rows);
    showSnapshot();
}

void FeatureWeightsView::clear()
{
    m_snapshot = EpochSnapshot{};
    m_hasSnapshot = false;
    rebuildSelector(0);
    showSnapshot();
}

void FeatureWeightsView::setProbeRow(int row)
{
    if (row < -1 || row >= m_selectorRows)
        row = -1;
    const bool changed = row != m_probeRow;
    m_probeRow = row;
    {
        const QSignalBlocker block(m_rowSelector);
        m_rowSelector->setCurrentIndex(row + 1);
    }
    if (changed) {
        showSnapshot();
        emit probeRowChanged(row);
    }
}

int FeatureWeightsView::probeRow() const
{
    return m_probeRow;
}

void FeatureWeightsView::rebuildSelector(int rows)
{
    if (rows == m_selectorRows)
        return;
    m_selectorRows = rows;
    if (m_probeRow >= rows)
        m_probeRow = -1;
    const QSignalBlocker block(m_rowSelector);
    m_rowSelector->clear();
    m_rowSelector->addItem(tr("Mean of %1 samples").arg(rows));
    for (int r = 0; r < rows; ++r)
        m_rowSelector->addItem(tr("Sample %1").arg(r));
    m_rowSelector->setCurrentIndex(m_probeRow + 1);
    m_rowSelector->setEnabled(rows > 0);
}

void FeatureWeightsView::showSnapshot()
{
    const Grid &a = m_snapshot.attention;
    const Grid &gt = m_snapshot.groundTruth;
    const int R = a.rows;
    const int F = a.cols;
    const bool hasGt = gt.rows == R && gt.cols == F && R > 0;

    // Heights: one row, or the mean over rows.
    m_values.assign(std::size_t(F), 0.0);
    std::vector<double> truth(std::size_t(F), 0.0);
    for (int r = 0; r < R; ++r) {
        if (m_probeRow >= 0 && r != m_probeRow)
            continue;
        for (int c = 0; c < F; ++c) {
            m_values[std::size_t(c)] += cell(a, r, c);
            if (hasGt)
                truth[std::size_t(c)] += cell(gt, r, c);
        }
    }
    const double shownRows = m_probeRow >= 0 ? 1.0 : double(R);
    if (shownRows > 0.0)
        for (double &v : m_values)
            v /= shownRows;

    m_trueColumns.clear();
    QVector<double> keys, values, trueKeys, trueValues;
    for (int c = 0; c < F; ++c) {
        if (truth[std::size_t(c)] > 0.0) {
            m_trueColumns.push_back(c);
            trueKeys.push_back(c);
            trueValues.push_back(m_values[std::size_t(c)]);
        } else {
            keys.push_back(c);
            values.push_back(m_values[std::size_t(c)]);
        }
    }
    m_bars->setData(keys, values, true);
    m_trueBars->setData(trueKeys, trueValues, true);

    // Statistics over all probe rows: weight on the true column(s), and whether it is the
    // row's largest weight.
    m_meanTrueWeight = kNaN;
    m_topShare = kNaN;
    m_rowsWithTruth = 0;
    m_rowsTop = 0;
    double massSum = 0.0;
    m_rowTrueWeight = kNaN;
    m_rowTop = false;
    for (int r = 0; hasGt && r < R; ++r) {
        double mass = 0.0;
        double trueMax = -1.0;
        double otherMax = -1.0;
        bool any = false;
        for (int c = 0; c < F; ++c) {
            const double w = cell(a, r, c);
            if (cell(gt, r, c) > 0.0) {
                any = true;
                mass += w;
                trueMax = std::max(trueMax, w);
            } else {
                otherMax = std::max(otherMax, w);
            }
        }
        if (!any)
            continue;
        ++m_rowsWithTruth;
        massSum += mass;
        const bool top = trueMax >= otherMax;
        m_rowsTop += top ? 1 : 0;
        if (r == m_probeRow) {
            m_rowTrueWeight = mass;
            m_rowTop = top;
        }
    }
    if (m_rowsWithTruth > 0) {
        m_meanTrueWeight = massSum / double(m_rowsWithTruth);
        m_topShare = double(m_rowsTop) / double(m_rowsWithTruth);
    }

    // Uniform reference 1/F across the whole axis.
    QCPAxis *x = m_plot->xAxis;
    if (F > 0) {
        x->setRange(-0.5, double(F) - 0.5);
        m_uniform->setData({-0.5, double(F) - 0.5}, {1.0 / F, 1.0 / F});
        m_uniform->setName(tr("uniform 1/%1").arg(F));
    } else {
        x->setRange(-0.5, 9.5);
        m_uniform->data()->clear();
    }
    // Legend, in this order: bars, true column (if any), uniform line.
    m_plot->legend->clearItems();
    if (F > 0) {
        m_bars->addToLegend();
        if (!m_trueColumns.empty())
            m_trueBars->addToLegend();
        m_uniform->addToLegend();
    }
    if (m_trueColumns.empty())
        m_trueLabel->setVisible(false);
    else
        placeTrueLabel(m_trueColumns.front(), m_values[std::size_t(m_trueColumns.front())]);

    m_plot->axisRect()->setVisible(F > 0); // without bars only the title (the reason) shows
    const PlotTheme theme = PlotTheme::forDark(m_dark);
    if (!m_hasSnapshot || F == 0) {
        m_titleParts = {m_hasSnapshot ? tr("No feature attention in this snapshot")
                                      : tr("No epoch finished yet")};
        m_title->setTextColor(theme.muted);
    } else {
        m_titleParts = {tr("Feature attention"),
                        m_probeRow >= 0 ? tr("sample %1").arg(m_probeRow)
                                        : tr("mean of %1 probe rows").arg(R),
                        m_snapshot.totalEpochs > 0 ? tr("epoch %1 / %2")
                                                         .arg(m_snapshot.epoch)
                                                         .arg(m_snapshot.totalEpochs)
                                                   : tr("epoch %1").arg(m_snapshot.epoch)};
        m_title->setTextColor(theme.foreground);
    }
    // One line each until the next layout pass fits them to the width (wrapTexts()).
    m_title->setText(m_titleParts.join(QStringLiteral(" \u00b7 ")));
    m_summary->setText(summaryText());
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void FeatureWeightsView::placeTrueLabel(int column, double value)
{
    m_trueLabel->setVisible(true);
    m_trueLabel->setText(tr("true column %1").arg(column));
    // Above the bar, running away from the nearer end of the axis; beside the bar's top when
    // the bar reaches the top of the axis.
    const bool leftHalf = double(column) < 0.5 * double(m_values.size());
    if (value <= 0.88) {
        m_trueLabel->position->setCoords(double(column) + (leftHalf ? -0.4 : 0.4), value);
        m_trueLabel->setPositionAlignment(Qt::AlignBottom |
                                          (leftHalf ? Qt::AlignLeft : Qt::AlignRight));
    } else {
        m_trueLabel->position->setCoords(double(column) + (leftHalf ? 0.5 : -0.5), value - 0.04);
        m_trueLabel->setPositionAlignment(Qt::AlignVCenter |
                                          (leftHalf ? Qt::AlignLeft : Qt::AlignRight));
    }
}

int FeatureWeightsView::featureCount() const
{
    return int(m_values.size());
}

double FeatureWeightsView::barValue(int feature) const
{
    for (QCPBars *bars : {m_bars, m_trueBars}) {
        auto it = bars->data()->findBegin(double(feature), false);
        if (it != bars->data()->constEnd() && it->key == double(feature))
            return it->value;
    }
    return kNaN;
}

QColor FeatureWeightsView::barFillColor(int feature) const
{
    for (QCPBars *bars : {m_bars, m_trueBars}) {
        auto it = bars->data()->findBegin(double(feature), false);
        if (it != bars->data()->constEnd() && it->key == double(feature))
            return bars->brush().color();
    }
    return {};
}

std::vector<int> FeatureWeightsView::trueColumns() const
{
    return m_trueColumns;
}

double FeatureWeightsView::meanTrueWeight() const
{
    return m_meanTrueWeight;
}

double FeatureWeightsView::topShare() const
{
    return m_topShare;
}

QStringList FeatureWeightsView::summaryParts() const
{
    if (m_values.empty())
        return {};
    if (std::isnan(m_meanTrueWeight))
        return {tr("no ground truth for these rows")};
    QStringList columns;
    for (int c : m_trueColumns)
        columns << QString::number(c);
    QStringList parts;
    const QString uniform = tr("(uniform %1)").arg(1.0 / double(m_values.size()), 0, 'f', 2);
    if (m_probeRow >= 0 && !std::isnan(m_rowTrueWeight)) {
        parts << tr("sample %1: weight %2 on true column %3 (%4)")
                     .arg(m_probeRow)
                     .arg(m_rowTrueWeight, 0, 'f', 2)
                     .arg(columns.join(QStringLiteral(", ")))
                     .arg(m_rowTop ? tr("its largest") : tr("not its largest"));
        parts << tr("over all rows: mean weight on it %1 %2").arg(m_meanTrueWeight, 0, 'f', 2).arg(uniform);
    } else {
        parts << tr("true column %1").arg(columns.join(QStringLiteral(", ")));
        parts << tr("mean weight on it %1 %2").arg(m_meanTrueWeight, 0, 'f', 2).arg(uniform);
    }
    parts << tr("largest weight on it in %1 of %2 rows (%3%)")
                 .arg(m_rowsTop)
                 .arg(m_rowsWithTruth)
                 .arg(std::lround(100.0 * m_topShare));
    return parts;
}

QString FeatureWeightsView::summaryText() const
{
    return summaryParts().join(QStringLiteral(" \u00b7 "));
}

void FeatureWeightsView::wrapTexts()
{
    // Title and text line break between their parts when the plot (the widget, or an export)
    // is narrower than they are, instead of being clipped.
    if (m_wrapping)
        return;
    m_wrapping = true;
    setWrappedTexts(m_plot, m_title, m_titleParts, m_summary, summaryParts());
    m_wrapping = false;
}

QColor FeatureWeightsView::barColor()
{
    return {0x00, 0x72, 0xb2}; // Okabe-Ito blue
}

QColor FeatureWeightsView::highlightColor()
{
    return {0xd5, 0x5e, 0x00}; // Okabe-Ito vermillion: distinct from the blue for all viewers
}

void FeatureWeightsView::setDark(bool dark)
{
    m_dark = dark;
    applyTheme();
    showSnapshot();
}

bool FeatureWeightsView::isDark() const
{
    return m_dark;
}

bool FeatureWeightsView::savePng(const QString &path, int width, int height, double scale,
                                  QString *error)
{
    return savePlotPng(m_plot, path, width, height, scale, error);
}

bool FeatureWeightsView::savePdf(const QString &path, int width, int height, QString *error)
{
    return savePlotPdf(m_plot, path, width, height, m_titleParts.join(QStringLiteral(" \u00b7 ")),
                       error);
}

QCustomPlot *FeatureWeightsView::plot()
{
    return m_plot;
}

QCPBars *FeatureWeightsView::otherBars()
{
    return m_bars;
}

QCPBars *FeatureWeightsView::trueBars()
{
    return m_trueBars;
}

QComboBox *FeatureWeightsView::rowSelector()
{
    return m_rowSelector;
}

void FeatureWeightsView::applyTheme()
{
    const PlotTheme theme = PlotTheme::forDark(m_dark);
    theme.apply(m_plot);
    m_plot->xAxis->grid()->setVisible(false);
    m_uniform->setPen(QPen(theme.muted, 1.5, Qt::DashLine));
}

} // namespace attn
