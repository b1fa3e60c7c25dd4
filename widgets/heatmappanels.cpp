// SPDX-License-Identifier: GPL-3.0-or-later
// HeatmapPanels: cell (row, col) of a grid is data cell (key = col, value = row) centred on plot
// coordinate (col, row); the y axis is reversed so row 0 is drawn at the top, like an image.
// After every layout pass the panel column widths and the outer margins are adjusted so the
// cells come out square (rows 16 px tall for very long sequences) and title, panels and colour
// bars stay together, centred. Moved here from HeatmapView, which shows the snapshot.
#include "widgets/heatmappanels.h"

#include "widgets/colormap.h"
#include "widgets/plotutil.h"

#include <QMargins>
#include <QSharedPointer>

#include <algorithm>
#include <cmath>
#include <limits>

namespace attn {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Rings on exact-zero inputs: orange reads on black cells, in both themes.
const QColor kZeroMarkColor(0xff, 0x9f, 0x1c);

/// Black (smallest input) to white (largest input), the Input panel's colour map.
QCPColorGradient inputGradient()
{
    return colorMapGradient(ColorMapKind::Grayscale);
}

} // namespace

HeatmapPanels::HeatmapPanels(QCustomPlot *plot, QCPLayoutGrid *panelLayout,
                             const QCPColorGradient &gradient)
    : m_plot(plot), m_panelLayout(panelLayout)
{
    m_marginGroup = new QCPMarginGroup(m_plot);
    m_colorScale = makeWeightColorScale(m_plot, gradient, tr("weight"));
    m_colorScale->setMarginGroup(QCP::msTop | QCP::msBottom, m_marginGroup);
    m_colorScale->setVisible(false);
    m_truthScale = makeWeightColorScale(m_plot, gradient, tr("ground truth (0 \u2013 1)"));
    m_truthScale->setMarginGroup(QCP::msTop | QCP::msBottom, m_marginGroup);
    m_truthScale->setVisible(false);

    m_inputScale = new QCPColorScale(m_plot);
    m_inputScale->setType(QCPAxis::atLeft);
    m_inputScale->setGradient(inputGradient());
    m_inputScale->setDataRange(QCPRange(0.0, 1.0));
    m_inputScale->setRangeDrag(false);
    m_inputScale->setRangeZoom(false);
    m_inputScale->setBarWidth(14);
    m_inputScale->setLabel(tr("input"));
    m_inputScale->axis()->setTicker(QSharedPointer<QCPAxisTicker>::create());
    m_inputScale->axis()->ticker()->setTickCount(5);
    m_inputScale->setMarginGroup(QCP::msTop | QCP::msBottom, m_marginGroup);
    m_inputScale->setVisible(false);
}

const std::vector<HeatmapPanels::Panel> &HeatmapPanels::panels() const
{
    return m_panels;
}

QCPColorScale *HeatmapPanels::colorScale() const
{
    return m_colorScale;
}

QCPColorScale *HeatmapPanels::truthScale() const
{
    return m_truthScale;
}

QCPColorScale *HeatmapPanels::inputScale() const
{
    return m_inputScale;
}

bool HeatmapPanels::matches(const std::vector<PanelSpec> &specs, bool separateTruthScale) const
{
    bool sameLayout = specs.size() == m_panels.size() && separateTruthScale == m_separateTruthScale;
    for (std::size_t i = 0; sameLayout && i < specs.size(); ++i) {
        const Panel &p = m_panels[i];
        sameLayout = p.kind == specs[i].kind && p.rows == specs[i].grid->rows &&
                     p.cols == specs[i].grid->cols;
    }
    return sameLayout;
}

void HeatmapPanels::setWeightTop(double top, const QString &label)
{
    m_colorScale->setDataRange(QCPRange(0.0, top));
    m_colorScale->setLabel(label);
    // 0..1 keeps its fixed 0.2 steps; a small maximum (0.0067 for T = 150) needs automatic
    // ticks with significant digits, or every label reads "0.0".
    QCPAxis *scaleAxis = m_colorScale->axis();
    const bool fixed = top == 1.0;
    if (fixed != bool(scaleAxis->ticker().dynamicCast<QCPAxisTickerFixed>())) {
        if (fixed) {
            auto ticker = QSharedPointer<QCPAxisTickerFixed>::create();
            ticker->setTickStep(0.2);
            ticker->setScaleStrategy(QCPAxisTickerFixed::ssNone);
            scaleAxis->setTicker(ticker);
        } else {
            scaleAxis->setTicker(QSharedPointer<QCPAxisTicker>::create());
        }
        scaleAxis->setNumberFormat(fixed ? QStringLiteral("f") : QStringLiteral("g"));
        scaleAxis->setNumberPrecision(fixed ? 1 : 2);
    }
}

void HeatmapPanels::setGradient(const QCPColorGradient &gradient)
{
    m_colorScale->setGradient(gradient);
    m_truthScale->setGradient(gradient);
    for (Panel &p : m_panels)
        if (p.kind != Kind::Input)
            p.map->setGradient(gradient);
}

void HeatmapPanels::remove()
{
    for (const Panel &p : m_panels) {
        // Plottables go before their axes disappear with the axis rect.
        m_plot->removePlottable(p.map);
        if (p.zeroMarks)
            m_plot->removePlottable(p.zeroMarks);
    }
    m_panels.clear();
    for (QCPColorScale *scale : {m_colorScale, m_truthScale, m_inputScale}) {
        if (scale->layout() == m_panelLayout)
            m_panelLayout->take(scale);
        scale->setVisible(false);
    }
    m_panelLayout->clear(); // deletes the axis rects (or the empty placeholder)
    m_plot->plotLayout()->setMargins(QMargins()); // drop the slack of the square-cell fit
    // An empty grid would cap the title's column at zero width: hold the space open.
    m_panelLayout->addElement(0, 0, new QCPLayoutElement(m_plot));
}

void HeatmapPanels::rebuild(const std::vector<PanelSpec> &specs, const QFont &panelTitleFont,
                            const QCPColorGradient &gradient, bool separateTruthScale)
{
    remove();
    m_separateTruthScale = separateTruthScale;
    if (specs.empty())
        return;
    m_panelLayout->clear(); // the placeholder

    // Layout columns, left to right: [input scale][Input] weight panels [weight scale]; with a
    // separate truth scale: [input scale][Input] Attention [weight scale] truth panels [truth scale].
    const bool hasInput = specs.back().kind == Kind::Input;
    const int weightPanels = int(specs.size()) - (hasInput ? 1 : 0);
    int nextColumn = hasInput ? 2 : 0;
    int weightScaleColumn = -1;
    bool anyTruthPanel = false;

    for (const PanelSpec &spec : specs) {
        Panel p;
        p.kind = spec.kind;
        p.title = spec.title;
        p.rows = spec.grid->rows;
        p.cols = spec.grid->cols;
        p.column = spec.kind == Kind::Input ? 1 : nextColumn++;
        if (separateTruthScale && spec.kind == Kind::Attention)
            weightScaleColumn = nextColumn++;
        const bool truthPanel = spec.kind == Kind::GroundTruth || spec.kind == Kind::Argmax;
        anyTruthPanel = anyTruthPanel || truthPanel;
        p.rect = new QCPAxisRect(m_plot, true);
        m_panelLayout->addElement(0, p.column, p.rect);
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
        y->setLabel(p.column == (hasInput ? 1 : 0) ? tr("sample") : QString()); // leftmost only
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
        if (p.kind == Kind::Input) {
            p.map->setColorScale(m_inputScale);
            p.map->setGradient(inputGradient());
            p.zeroMarks = m_plot->addGraph(x, y);
            p.zeroMarks->setLineStyle(QCPGraph::lsNone);
            p.zeroMarks->setScatterStyle(
                QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(kZeroMarkColor, 1.5), Qt::NoBrush, 6.0));
            p.zeroMarks->setName(tr("exact zero"));
        } else {
            p.map->setColorScale(separateTruthScale && truthPanel ? m_truthScale : m_colorScale);
            p.map->setGradient(gradient);
            p.map->setDataRange(QCPRange(0.0, 1.0));
        }
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
    if (hasInput) {
        m_panelLayout->addElement(0, 0, m_inputScale);
        m_inputScale->setVisible(true);
    }
    if (separateTruthScale && weightScaleColumn < 0 && weightPanels > 0) // no Attention panel
        weightScaleColumn = nextColumn++;
    if (weightScaleColumn >= 0) {
        m_panelLayout->addElement(0, weightScaleColumn, m_colorScale);
        m_colorScale->setVisible(true);
        if (anyTruthPanel) {
            m_truthScale->setDataRange(QCPRange(0.0, 1.0));
            m_panelLayout->addElement(0, nextColumn, m_truthScale);
            m_truthScale->setVisible(true);
        }
    } else if (weightPanels > 0) {
        m_panelLayout->addElement(0, nextColumn, m_colorScale);
        m_colorScale->setVisible(true);
    }
}

void HeatmapPanels::fill(std::size_t i, const Grid &grid)
{
    Panel &panel = m_panels[i];
    QCPColorMapData *data = panel.map->data();
    for (int r = 0; r < panel.rows; ++r)
        for (int c = 0; c < panel.cols; ++c)
            data->setCell(c, r, grid.valueOrNaN(r, c));
    if (panel.kind != Kind::Input)
        return;
    updateInputScale(grid);
    QVector<double> keys;
    QVector<double> values;
    for (int r = 0; r < panel.rows; ++r)
        for (int c = 0; c < panel.cols; ++c)
            if (grid.valueOrNaN(r, c) == 0.0) {
                keys.push_back(double(c));
                values.push_back(double(r));
            }
    panel.zeroMarks->setData(keys, values);
}

void HeatmapPanels::updateInputScale(const Grid &inputs)
{
    double lo = std::numeric_limits<double>::infinity();
    double hi = -std::numeric_limits<double>::infinity();
    for (float v : inputs.values)
        if (std::isfinite(v)) {
            lo = std::min(lo, double(v));
            hi = std::max(hi, double(v));
        }
    QCPRange range(0.0, 1.0);
    if (lo < hi)
        range = QCPRange(lo, hi);
    else if (lo == hi)
        range = QCPRange(lo - 0.5, hi + 0.5);
    m_inputScale->setDataRange(range);
    for (Panel &p : m_panels)
        if (p.kind == Kind::Input)
            p.map->setDataRange(range);
}

void HeatmapPanels::fitSquareCells()
{
    if (m_fitting || m_panels.empty())
        return;
    m_fitting = true;
    QCPLayoutGrid *top = m_plot->plotLayout();
    const int columns = m_panelLayout->columnCount();

    // 1) Natural layout: no outer padding, equal panel columns.
    top->setMargins(QMargins());
    for (int i = 0; i < columns; ++i)
        m_panelLayout->setColumnStretchFactor(i, 1.0);
    layoutNow(m_plot);

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
    // Square cells, except when a long sequence (T = 150) narrows them below kThinCell: their
    // rows are then up to kMinRowHeight tall, or the map would shrink to a thin strip.
    constexpr double kThinCell = 6.0, kMinRowHeight = 16.0;
    const double cellHeight =
        cell < kThinCell ? std::max(cell, std::min(height / double(rows), kMinRowHeight)) : cell;

    if (cell >= 1.0) {
        // 3) Give every panel column exactly the width it needs and move the slack into the
        //    outer margins, so title, panels and colour bars stay together, centred. The colour
        //    bar columns are capped by their own width.
        double needed = 0.0;
        double widest = 0.0;
        for (const Panel &p : m_panels) {
            const double w = double(p.rect->outerRect().width() - p.rect->rect().width()) +
                             cell * double(p.cols);
            m_panelLayout->setColumnStretchFactor(p.column, w);
            needed += w;
            widest = std::max(widest, w);
            if (p.zeroMarks) {
                QCPScatterStyle style = p.zeroMarks->scatterStyle();
                style.setSize(std::max(4.0, 0.6 * cell));
                p.zeroMarks->setScatterStyle(style);
            }
        }
        for (int c = 0; c < columns; ++c)
            if (qobject_cast<QCPColorScale *>(m_panelLayout->element(0, c)))
                m_panelLayout->setColumnStretchFactor(c, widest);
        const int slackW = std::max(0, int(std::floor(width - needed)));
        const int slackH = std::max(0, int(std::floor(height - cellHeight * double(rows))));
        top->setMargins(
            QMargins(slackW / 2, slackH / 2, slackW - slackW / 2, slackH - slackH / 2));
        layoutNow(m_plot);
    }
    m_fitting = false;
}
} // namespace attn
