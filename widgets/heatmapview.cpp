// SPDX-License-Identifier: GPL-3.0-or-later
// HeatmapView: a title row above the row of panels (HeatmapPanels: QCPAxisRects in one
// QCustomPlot, the weight panels sharing one colour scale, 0..1 (or the attention 0..max beside
// it and the ground truth's own 0..1 bar), on the right; the
// optional Input panel with its own grey scale on the left). The view chooses the panels of a
// snapshot, titles them, answers for their cells (values, tooltips) and exports the plot.
#include "widgets/heatmapview.h"

#include "widgets/plottheme.h"
#include "widgets/plotutil.h"

#include <QFont>
#include <QMargins>
#include <QMouseEvent>
#include <QStringList>
#include <QToolTip>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

namespace attn {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

QString fixed4(double v)
{
    return std::isnan(v) ? QStringLiteral("n/a") : QString::number(v, 'f', 4);
}

} // namespace

HeatmapView::HeatmapView(QWidget *parent)
    : QWidget(parent), m_plot(new QCustomPlot(this)), m_gradient(colorMapGradient(m_colorMapKind))
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
    auto *panelLayout = new QCPLayoutGrid;
    top->addElement(1, 0, panelLayout);
    top->setRowSpacing(0);
    top->setAutoMargins(QCP::msNone); // its margins hold the slack left by fitSquareCells()
    top->setMargins(QMargins());
    panelLayout->setColumnSpacing(12);

    m_panels = std::make_unique<HeatmapPanels>(m_plot, panelLayout, m_gradient);

    m_plot->setMouseTracking(true);
    connect(m_plot, &QCustomPlot::afterLayout, this, &HeatmapView::fitSquareCells);
    connect(m_plot, &QCustomPlot::mouseMove, this, &HeatmapView::onPlotMouseMove);
    applyTheme();
    clear();
}

HeatmapView::~HeatmapView() = default;

void HeatmapView::setSnapshot(const EpochSnapshot &s)
{
    m_snapshot = s;
    m_hasSnapshot = true;
    showSnapshot();
}

void HeatmapView::clear()
{
    m_snapshot = EpochSnapshot{};
    m_hasSnapshot = false;
    m_panels->remove();
    m_title->setText(tr("No epoch finished yet"));
    m_title->setTextColor(PlotTheme::forDark(m_dark).muted);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

std::vector<HeatmapView::PanelSpec> HeatmapView::panelSpecs(const EpochSnapshot &s) const
{
    std::vector<PanelSpec> specs;
    if (!s.attention.empty())
        specs.push_back({Kind::Attention, tr("Attention"), &s.attention});
    if (!s.groundTruth.empty())
        specs.push_back({Kind::GroundTruth, tr("Ground truth"), &s.groundTruth});
    if (!s.argmaxAttention.empty())
        specs.push_back({Kind::Argmax, tr("argmax(attention)"), &s.argmaxAttention});
    if (m_showInputs && !s.probeInputs.empty())
        specs.push_back({Kind::Input, tr("Input"), &s.probeInputs});
    return specs;
}

void HeatmapView::showSnapshot()
{
    const EpochSnapshot &s = m_snapshot;
    const std::vector<PanelSpec> specs = panelSpecs(s);

    // Scaled attention gets its own bar; the ground truth and argmax keep theirs at 0..1.
    const bool scaled = m_weightScale.scaled() && !s.attention.empty();
    if (!m_panels->matches(specs, scaled))
        rebuildPanels(specs);
    for (std::size_t i = 0; i < specs.size(); ++i)
        m_panels->fill(i, *specs[i].grid);
    const double top = scaled ? m_weightScale.top(s.attention) : 1.0;
    m_panels->setWeightTop(top, scaled ? m_weightScale.label(top) : WeightScale{}.label(1.0));

    QString title = s.totalEpochs > 0 ? tr("Epoch %1 / %2").arg(s.epoch).arg(s.totalEpochs)
                                      : tr("Epoch %1").arg(s.epoch);
    if (s.alignment)
        title += QStringLiteral("      ") + tr("alignment %1").arg(*s.alignment, 0, 'f', 2);
    else if (s.attention.empty()) // the `none` baseline: its ground truth is still shown
        title += QStringLiteral("      ") + tr("this model has no attention");
    m_title->setText(title);
    m_title->setTextColor(PlotTheme::forDark(m_dark).foreground);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

QString HeatmapView::title() const
{
    return m_title->text();
}

int HeatmapView::panelCount() const
{
    return int(m_panels->panels().size());
}

QString HeatmapView::panelTitle(int panel) const
{
    if (panel < 0 || panel >= panelCount())
        return {};
    return m_panels->panels()[std::size_t(panel)].title;
}

int HeatmapView::panelIndex(const QString &title) const
{
    for (int i = 0; i < panelCount(); ++i)
        if (m_panels->panels()[std::size_t(i)].title == title)
            return i;
    return -1;
}

double HeatmapView::cellValue(int panel, int row, int col) const
{
    if (panel < 0 || panel >= panelCount())
        return kNaN;
    const Panel &p = m_panels->panels()[std::size_t(panel)];
    if (row < 0 || row >= p.rows || col < 0 || col >= p.cols)
        return kNaN;
    return p.map->data()->cell(col, row);
}

QCPColorMap *HeatmapView::colorMap(int panel) const
{
    if (panel < 0 || panel >= panelCount())
        return nullptr;
    return m_panels->panels()[std::size_t(panel)].map;
}

void HeatmapView::setWeightScale(const WeightScale &scale)
{
    m_weightScale = scale;
    if (m_hasSnapshot)
        showSnapshot();
}

const WeightScale &HeatmapView::weightScale() const { return m_weightScale; }

void HeatmapView::setScaleToMax(bool on)
{
    setWeightScale({on ? WeightScale::Mode::LargestWeight : WeightScale::Mode::Fixed});
}

bool HeatmapView::scaleToMax() const { return m_weightScale.scaled(); }

QString HeatmapView::colorScaleLabel() const
{
    return m_panels->colorScale()->label();
}

const QCPColorScale *HeatmapView::truthScale() const
{
    return m_panels->truthScale();
}

QCPRange HeatmapView::colorRange() const
{
    return m_panels->colorScale()->dataRange();
}

void HeatmapView::setColorMap(ColorMapKind kind)
{
    m_colorMapKind = kind;
    m_gradient = colorMapGradient(kind);
    m_panels->setGradient(m_gradient);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

ColorMapKind HeatmapView::colorMapKind() const
{
    return m_colorMapKind;
}

QCPColorGradient HeatmapView::gradient() const
{
    return m_gradient;
}

QColor HeatmapView::weightColor(double w) const
{
    QCPColorGradient g = m_gradient; // color() is non-const: it may build the lookup table
    return QColor::fromRgba(g.color(w, QCPRange(0.0, 1.0)));
}

void HeatmapView::setShowInputs(bool show)
{
    if (show == m_showInputs)
        return;
    m_showInputs = show;
    if (m_hasSnapshot)
        showSnapshot();
}

bool HeatmapView::showInputs() const
{
    return m_showInputs;
}

QCPRange HeatmapView::inputRange() const
{
    return m_panels->inputScale()->dataRange();
}

bool HeatmapView::cellAt(const QPointF &plotPos, int *panel, int *row, int *col) const
{
    for (int i = 0; i < panelCount(); ++i) {
        const Panel &p = m_panels->panels()[std::size_t(i)];
        if (!p.rect->rect().contains(plotPos.toPoint()))
            continue;
        const long c = std::lround(p.map->keyAxis()->pixelToCoord(plotPos.x()));
        const long r = std::lround(p.map->valueAxis()->pixelToCoord(plotPos.y()));
        if (r < 0 || r >= p.rows || c < 0 || c >= p.cols)
            return false;
        if (panel)
            *panel = i;
        if (row)
            *row = int(r);
        if (col)
            *col = int(c);
        return true;
    }
    return false;
}

QString HeatmapView::cellToolTip(int panel, int row, int col) const
{
    if (panel < 0 || panel >= panelCount())
        return {};
    const Panel &p = m_panels->panels()[std::size_t(panel)];
    if (row < 0 || row >= p.rows || col < 0 || col >= p.cols)
        return {};
    QStringList lines{p.title, tr("sample %1, time step %2").arg(row).arg(col)};
    switch (p.kind) {
    case Kind::GroundTruth:
        lines << tr("ground truth %1").arg(fixed4(cellValue(panel, row, col)));
        break;
    case Kind::Argmax:
        lines << tr("argmax %1").arg(fixed4(cellValue(panel, row, col)));
        break;
    case Kind::Attention:
    case Kind::Input:
        break;
    }
    if (!m_snapshot.attention.empty())
        lines << tr("attention weight %1").arg(fixed4(m_snapshot.attention.valueOrNaN(row, col)));
    if (!m_snapshot.probeInputs.empty())
        lines << tr("input %1").arg(fixed4(m_snapshot.probeInputs.valueOrNaN(row, col)));
    return lines.join(QLatin1Char('\n'));
}

QString HeatmapView::cellToolTip(int panel, const QPointF &plotPos) const
{
    int hitPanel = -1;
    int row = -1;
    int col = -1;
    if (!cellAt(plotPos, &hitPanel, &row, &col) || hitPanel != panel)
        return {};
    return cellToolTip(panel, row, col);
}

void HeatmapView::setDark(bool dark)
{
    m_dark = dark;
    applyTheme();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

bool HeatmapView::isDark() const
{
    return m_dark;
}

bool HeatmapView::savePng(const QString &path, int width, int height, double scale,
                           QString *error)
{
    return savePlotPng(m_plot, path, width, height, scale, error);
}

bool HeatmapView::savePdf(const QString &path, int width, int height, QString *error)
{
    return savePlotPdf(m_plot, path, width, height, m_title->text(), error);
}

QImage HeatmapView::toImage(int width, int height, double scale)
{
    QImage image = m_plot->toPixmap(width, height, scale).toImage();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
    return image;
}

int HeatmapView::fittedHeight(int width)
{
    if (m_panels->panels().empty() || width < 1)
        return 0;
    // Lay out (without drawing) in a very tall viewport: the cells are then limited by the
    // width and fitSquareCells() puts all spare height into the top and bottom margins.
    const QRect oldViewport = m_plot->viewport();
    const int tall = std::max(4 * width, 1000);
    m_plot->setViewport(QRect(0, 0, width, tall));
    layoutNow(m_plot);
    m_panels->fitSquareCells();
    const QMargins slack = m_plot->plotLayout()->margins();
    m_plot->setViewport(oldViewport);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
    // Two pixels more absorb the rounding of the cell size.
    return tall - slack.top() - slack.bottom() + 2;
}

QCustomPlot *HeatmapView::plot()
{
    return m_plot;
}

void HeatmapView::applyTheme()
{
    const PlotTheme theme = PlotTheme::forDark(m_dark);
    theme.apply(m_plot);
    // Colour scales outside the layout (no panels) are not reached by apply(); theme them too
    // so they are right when they come back.
    for (QCPColorScale *scale : {m_panels->colorScale(), m_panels->truthScale(), m_panels->inputScale()})
        for (QCPAxis *axis : scale->axis()->axisRect()->axes()) {
            axis->setBasePen(QPen(theme.foreground, 0.0));
            axis->setTickPen(QPen(theme.foreground, 0.0));
            axis->setSubTickPen(QPen(theme.foreground, 0.0));
            axis->setLabelColor(theme.foreground);
            axis->setTickLabelColor(theme.foreground);
        }
    m_title->setTextColor(m_hasSnapshot ? theme.foreground : theme.muted);
}

void HeatmapView::onPlotMouseMove(QMouseEvent *event)
{
    int panel = -1;
    int row = -1;
    int col = -1;
    if (!cellAt(event->position(), &panel, &row, &col)) {
        QToolTip::hideText();
        return;
    }
    const Panel &p = m_panels->panels()[std::size_t(panel)];
    QCPAxis *x = p.map->keyAxis();
    QCPAxis *y = p.map->valueAxis();
    const QRectF cell = QRectF(QPointF(x->coordToPixel(col - 0.5), y->coordToPixel(row - 0.5)),
                               QPointF(x->coordToPixel(col + 0.5), y->coordToPixel(row + 0.5)))
                            .normalized();
    QToolTip::showText(event->globalPosition().toPoint(), cellToolTip(panel, row, col), m_plot,
                       cell.toAlignedRect());
}

void HeatmapView::rebuildPanels(const std::vector<PanelSpec> &specs)
{
    QFont panelTitleFont = font();
    panelTitleFont.setBold(true);
    m_panels->rebuild(specs, panelTitleFont, m_gradient,
                      m_weightScale.scaled() && !m_snapshot.attention.empty());
    if (!specs.empty())
        applyTheme(); // the new axes start with QCustomPlot's default colours
}

void HeatmapView::fitSquareCells()
{
    m_panels->fitSquareCells();
}

} // namespace attn
