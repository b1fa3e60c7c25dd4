// SPDX-License-Identifier: GPL-3.0-or-later
// HeatmapView: the panels are QCPAxisRects in one QCustomPlot sharing a fixed 0..1 colour
// scale. Cell (row, col) of a grid is data cell (key = col, value = row) centred on plot
// coordinate (col, row); the y axis is reversed so row 0 is drawn at the top, like an image.
// After every layout pass the panel column widths and the outer margins are adjusted so the
// cells come out square and title, panels and colour bar stay together, centred.
#include "widgets/heatmapview.h"

#include <QFont>
#include <QMargins>
#include <QSharedPointer>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>

namespace attn {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// A viridis-like perceptually uniform gradient (QCustomPlot 2.1 has no viridis preset):
/// nine stops sampled along viridis, interpolated in RGB. NaN cells are left transparent.
QCPColorGradient viridisGradient()
{
    QCPColorGradient g;
    g.clearColorStops();
    const QColor stops[] = {QColor(0x44, 0x01, 0x54), QColor(0x47, 0x2c, 0x7a),
                            QColor(0x3b, 0x52, 0x8b), QColor(0x2c, 0x72, 0x8e),
                            QColor(0x21, 0x91, 0x8c), QColor(0x28, 0xae, 0x80),
                            QColor(0x5e, 0xc9, 0x62), QColor(0xad, 0xdc, 0x30),
                            QColor(0xfd, 0xe7, 0x25)};
    const int n = int(std::size(stops));
    for (int i = 0; i < n; ++i)
        g.setColorStopAt(double(i) / double(n - 1), stops[i]);
    g.setColorInterpolation(QCPColorGradient::ciRGB);
    g.setLevelCount(256);
    g.setNanHandling(QCPColorGradient::nhTransparent);
    return g;
}

/// Integer-only ticks (1, 2, 5, 10, ... apart) for the time-step and sample axes.
QSharedPointer<QCPAxisTickerFixed> integerTicker()
{
    auto ticker = QSharedPointer<QCPAxisTickerFixed>::create();
    ticker->setTickStep(1.0);
    ticker->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
    ticker->setTickCount(6);
    return ticker;
}

/// Value of grid cell (r, c), NaN if the grid's value vector is too short.
double gridValue(const Grid &grid, int r, int c)
{
    const std::size_t i = std::size_t(r) * std::size_t(grid.cols) + std::size_t(c);
    return i < grid.values.size() ? double(grid.values[i]) : kNaN;
}

} // namespace

HeatmapView::HeatmapView(QWidget *parent)
    : QWidget(parent), m_plot(new QCustomPlot(this)), m_gradient(viridisGradient())
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);

    // Replace QCustomPlot's default single axis rect by: title row / row of panels.
    QCPLayoutGrid *top = m_plot->plotLayout();
    top->clear();
    QFont titleFont = font();
    titleFont.setPointSizeF(titleFont.pointSizeF() + 2.0);
    titleFont.setBold(true);
    m_title = new QCPTextElement(m_plot, QString(), titleFont);
    top->addElement(0, 0, m_title);
    m_panelLayout = new QCPLayoutGrid;
    top->addElement(1, 0, m_panelLayout);
    top->setRowSpacing(0);
    top->setAutoMargins(QCP::msNone); // its margins hold the slack left by fitSquareCells()
    top->setMargins(QMargins());
    m_panelLayout->setColumnSpacing(12);

    m_marginGroup = new QCPMarginGroup(m_plot);
    m_colorScale = new QCPColorScale(m_plot);
    m_colorScale->setType(QCPAxis::atRight);
    m_colorScale->setGradient(m_gradient);
    m_colorScale->setDataRange(QCPRange(0.0, 1.0));
    m_colorScale->setRangeDrag(false);
    m_colorScale->setRangeZoom(false);
    m_colorScale->setBarWidth(14);
    m_colorScale->setLabel(tr("weight"));
    auto scaleTicker = QSharedPointer<QCPAxisTickerFixed>::create();
    scaleTicker->setTickStep(0.2);
    scaleTicker->setScaleStrategy(QCPAxisTickerFixed::ssNone);
    m_colorScale->axis()->setTicker(scaleTicker);
    m_colorScale->axis()->setNumberFormat(QStringLiteral("f"));
    m_colorScale->axis()->setNumberPrecision(1);
    m_colorScale->setMarginGroup(QCP::msTop | QCP::msBottom, m_marginGroup);
    m_colorScale->setVisible(false);

    connect(m_plot, &QCustomPlot::afterLayout, this, &HeatmapView::fitSquareCells);
    clear();
}

HeatmapView::~HeatmapView() = default;

void HeatmapView::setSnapshot(const EpochSnapshot &s)
{
    std::vector<std::pair<QString, const Grid *>> grids;
    if (!s.attention.empty())
        grids.emplace_back(tr("Attention"), &s.attention);
    if (!s.groundTruth.empty())
        grids.emplace_back(tr("Ground truth"), &s.groundTruth);
    if (!s.argmaxAttention.empty())
        grids.emplace_back(tr("argmax(attention)"), &s.argmaxAttention);

    bool sameLayout = grids.size() == m_panels.size();
    for (std::size_t i = 0; sameLayout && i < grids.size(); ++i) {
        const Panel &p = m_panels[i];
        sameLayout = p.title == grids[i].first && p.rows == grids[i].second->rows &&
                     p.cols == grids[i].second->cols;
    }
    if (!sameLayout)
        rebuildPanels(grids);
    for (std::size_t i = 0; i < grids.size(); ++i)
        fillPanel(m_panels[i], *grids[i].second);

    QString title = s.totalEpochs > 0 ? tr("Epoch %1 / %2").arg(s.epoch).arg(s.totalEpochs)
                                      : tr("Epoch %1").arg(s.epoch);
    if (s.alignment)
        title += QStringLiteral("      ") + tr("alignment %1").arg(*s.alignment, 0, 'f', 2);
    m_title->setText(title);
    m_title->setTextColor(palette().color(QPalette::WindowText));
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void HeatmapView::clear()
{
    removePanels();
    m_title->setText(tr("No epoch finished yet"));
    m_title->setTextColor(palette().color(QPalette::PlaceholderText));
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

int HeatmapView::panelCount() const
{
    return int(m_panels.size());
}

QString HeatmapView::panelTitle(int panel) const
{
    if (panel < 0 || panel >= panelCount())
        return {};
    return m_panels[std::size_t(panel)].title;
}

double HeatmapView::cellValue(int panel, int row, int col) const
{
    if (panel < 0 || panel >= panelCount())
        return kNaN;
    const Panel &p = m_panels[std::size_t(panel)];
    if (row < 0 || row >= p.rows || col < 0 || col >= p.cols)
        return kNaN;
    return p.map->data()->cell(col, row);
}

QCPColorMap *HeatmapView::colorMap(int panel) const
{
    if (panel < 0 || panel >= panelCount())
        return nullptr;
    return m_panels[std::size_t(panel)].map;
}

QCPRange HeatmapView::colorRange() const
{
    return m_colorScale->dataRange();
}

bool HeatmapView::savePng(const QString &path, int width, int height)
{
    return m_plot->savePng(path, width, height);
}

QCustomPlot *HeatmapView::plot()
{
    return m_plot;
}

void HeatmapView::removePanels()
{
    for (const Panel &p : m_panels)
        m_plot->removePlottable(p.map); // before its axes disappear with the axis rect
    m_panels.clear();
    if (m_colorScale->layout() == m_panelLayout)
        m_panelLayout->take(m_colorScale);
    m_panelLayout->clear(); // deletes the axis rects (or the empty placeholder)
    m_colorScale->setVisible(false);
    m_plot->plotLayout()->setMargins(QMargins()); // drop the slack of the square-cell fit
    // An empty grid would cap the title's column at zero width: hold the space open.
    m_panelLayout->addElement(0, 0, new QCPLayoutElement(m_plot));
}

void HeatmapView::rebuildPanels(const std::vector<std::pair<QString, const Grid *>> &grids)
{
    removePanels();
    if (!grids.empty())
        m_panelLayout->clear(); // the placeholder
    QFont panelTitleFont = font();
    panelTitleFont.setBold(true);

    for (std::size_t i = 0; i < grids.size(); ++i) {
        Panel p;
        p.title = grids[i].first;
        p.rows = grids[i].second->rows;
        p.cols = grids[i].second->cols;
        p.rect = new QCPAxisRect(m_plot, true);
        m_panelLayout->addElement(0, int(i), p.rect);
        p.rect->setMarginGroup(QCP::msTop | QCP::msBottom, m_marginGroup);

        QCPAxis *x = p.rect->axis(QCPAxis::atBottom);
        QCPAxis *y = p.rect->axis(QCPAxis::atLeft);
        QCPAxis *x2 = p.rect->axis(QCPAxis::atTop);
        QCPAxis *y2 = p.rect->axis(QCPAxis::atRight);
        x->setLabel(tr("time step"));
        x->setTicker(integerTicker());
        x->setSubTicks(false);
        x->grid()->setVisible(false);
        x->setRange(-0.5, double(p.cols) - 0.5);
        y->setLabel(i == 0 ? tr("sample") : QString());
        y->setTicker(integerTicker());
        y->setSubTicks(false);
        y->grid()->setVisible(false);
        y->setRangeReversed(true); // row 0 at the top
        y->setRange(-0.5, double(p.rows) - 0.5);
        // The top axis carries the panel title; top and right axes frame the heatmap.
        for (QCPAxis *frame : {x2, y2}) {
            frame->setVisible(true);
            frame->setTicks(false);
            frame->setTickLabels(false);
            frame->grid()->setVisible(false);
        }
        x2->setLabel(p.title);
        x2->setLabelFont(panelTitleFont);
        x2->setLabelPadding(4);

        p.map = new QCPColorMap(x, y);
        p.map->setInterpolate(false);
        p.map->setTightBoundary(false); // cells extend +-0.5 around integer coordinates
        p.map->setColorScale(m_colorScale);
        p.map->setGradient(m_gradient);
        p.map->setDataRange(QCPRange(0.0, 1.0));
        // A single row or column would give QCustomPlot a zero-size cell: pad to two cells,
        // the extra one NaN (transparent) and outside the visible axis range.
        const int keySize = std::max(p.cols, 2);
        const int valueSize = std::max(p.rows, 2);
        p.map->data()->setSize(keySize, valueSize);
        p.map->data()->setRange(QCPRange(0.0, double(keySize - 1)),
                                QCPRange(0.0, double(valueSize - 1)));
        p.map->data()->fill(kNaN);
        m_panels.push_back(p);
    }
    if (!m_panels.empty()) {
        m_panelLayout->addElement(0, int(m_panels.size()), m_colorScale);
        m_colorScale->setVisible(true);
    }
}

void HeatmapView::fillPanel(Panel &panel, const Grid &grid)
{
    QCPColorMapData *data = panel.map->data();
    for (int r = 0; r < panel.rows; ++r)
        for (int c = 0; c < panel.cols; ++c)
            data->setCell(c, r, gridValue(grid, r, c));
}

void HeatmapView::runLayout()
{
    QCPLayoutGrid *top = m_plot->plotLayout();
    top->update(QCPLayoutElement::upPreparation);
    top->update(QCPLayoutElement::upMargins);
    top->update(QCPLayoutElement::upLayout);
}

void HeatmapView::fitSquareCells()
{
    if (m_fitting || m_panels.empty())
        return;
    m_fitting = true;
    QCPLayoutGrid *top = m_plot->plotLayout();
    const int n = int(m_panels.size());

    // 1) Natural layout: no outer padding, equal panel columns.
    top->setMargins(QMargins());
    for (int i = 0; i <= n; ++i)
        m_panelLayout->setColumnStretchFactor(i, 1.0);
    runLayout();

    // 2) The largest square cell for which the panels fit side by side: each panel needs its
    //    axis margins plus cols * cell in width, and rows * cell in height.
    double width = 0.0;   // width of the panel columns together
    double margins = 0.0; // their horizontal axis margins together
    double cols = 0.0;
    int rows = 0;
    for (const Panel &p : m_panels) {
        width += p.rect->outerRect().width();
        margins += p.rect->outerRect().width() - p.rect->rect().width();
        cols += p.cols;
        rows = std::max(rows, p.rows);
    }
    const double height = m_panels.front().rect->rect().height();
    const double cell = std::min((width - margins) / cols, height / double(rows));

    if (cell >= 1.0) {
        // 3) Give every panel column exactly the width it needs and move the slack into the
        //    outer margins, so title, panels and colour bar stay together, centred.
        double needed = 0.0;
        double widest = 0.0;
        for (int i = 0; i < n; ++i) {
            const Panel &p = m_panels[std::size_t(i)];
            const double w = double(p.rect->outerRect().width() - p.rect->rect().width()) +
                             cell * double(p.cols);
            m_panelLayout->setColumnStretchFactor(i, w);
            needed += w;
            widest = std::max(widest, w);
        }
        m_panelLayout->setColumnStretchFactor(n, widest); // colour bar: capped by its own width
        const int slackW = std::max(0, int(std::floor(width - needed)));
        const int slackH = std::max(0, int(std::floor(height - cell * double(rows))));
        top->setMargins(
            QMargins(slackW / 2, slackH / 2, slackW - slackW / 2, slackH - slackH / 2));
        runLayout();
    }
    m_fitting = false;
}

} // namespace attn
