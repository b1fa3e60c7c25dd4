// SPDX-License-Identifier: GPL-3.0-or-later
// SelfAttentionView: sample and head selectors above one QCustomPlot (title row, then one axis
// rect with a QCPColorMap and the 0..1 colour scale beside it). Map cell (query q, key k) is
// data cell (key = k, value = q) centred on plot coordinate (k, q); the y axis is reversed so
// query 0 is at the top. After each layout pass the outer margins take the slack so the cells
// come out square and title, map and colour bar stay together, centred.
#include "widgets/selfattentionview.h"

#include "widgets/headmaps.h"
#include "widgets/plottheme.h"
#include "widgets/plotutil.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QMouseEvent>
#include <QSignalBlocker>
#include <QStringList>
#include <QToolTip>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

namespace attn {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

} // namespace

SelfAttentionView::SelfAttentionView(QWidget *parent)
    : QWidget(parent), m_sampleSelector(new QComboBox(this)), m_headSelector(new QComboBox(this)),
      m_plot(new QCustomPlot(this)), m_gradient(colorMapGradient(m_colorMapKind))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(6, 2, 6, 0);
    auto *sampleLabel = new QLabel(tr("Sample:"), this);
    sampleLabel->setBuddy(m_sampleSelector);
    auto *headLabel = new QLabel(tr("Head:"), this);
    headLabel->setBuddy(m_headSelector);
    bar->addWidget(sampleLabel);
    bar->addWidget(m_sampleSelector);
    bar->addSpacing(12);
    bar->addWidget(headLabel);
    bar->addWidget(m_headSelector);
    bar->addStretch(1);
    layout->addLayout(bar);
    layout->addWidget(m_plot, 1);
    m_sampleSelector->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_headSelector->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    connect(m_sampleSelector, &QComboBox::currentIndexChanged, this,
            [this](int index) { setProbeRow(index); });
    connect(m_headSelector, &QComboBox::currentIndexChanged, this,
            [this](int index) { setHead(index - 1); });

    // Layout: title row / [axis rect][colour scale].
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
    m_panelLayout->setAutoMargins(QCP::msNone); // its margins hold the slack, see fitSquareCells()

    m_rect = new QCPAxisRect(m_plot, true);
    m_panelLayout->addElement(0, 0, m_rect);
    QCPAxis *x = m_rect->axis(QCPAxis::atBottom);
    QCPAxis *y = m_rect->axis(QCPAxis::atLeft);
    x->setLabel(tr("key time step"));
    y->setLabel(tr("query time step"));
    for (QCPAxis *axis : {x, y}) {
        axis->setSubTicks(false);
        axis->setTickLength(0, 4); // outside: ticks never cover a cell
        axis->grid()->setVisible(false);
    }
    y->setRangeReversed(true); // query 0 at the top
    for (QCPAxis *frame : {m_rect->axis(QCPAxis::atTop), m_rect->axis(QCPAxis::atRight)}) {
        frame->setVisible(true);
        frame->setTicks(false);
        frame->setTickLabels(false);
        frame->grid()->setVisible(false);
    }

    m_map = new QCPColorMap(x, y);
    m_map->setInterpolate(false);
    m_map->setTightBoundary(false); // cells extend +-0.5 around integer coordinates
    m_map->setGradient(m_gradient);
    m_map->setDataRange(QCPRange(0.0, 1.0));

    m_colorScale = makeWeightColorScale(m_plot, m_gradient, tr("weight"));
    m_panelLayout->addElement(0, 1, m_colorScale);
    m_panelLayout->setColumnStretchFactor(1, 0.01);
    auto *group = new QCPMarginGroup(m_plot);
    m_rect->setMarginGroup(QCP::msTop | QCP::msBottom, group);
    m_colorScale->setMarginGroup(QCP::msTop | QCP::msBottom, group);
    m_map->setColorScale(m_colorScale);

    m_plot->setMouseTracking(true);
    connect(m_plot, &QCustomPlot::afterLayout, this, &SelfAttentionView::fitSquareCells);
    connect(m_plot, &QCustomPlot::mouseMove, this, &SelfAttentionView::onPlotMouseMove);
    applyTheme();
    clear();
}

SelfAttentionView::~SelfAttentionView() = default;

void SelfAttentionView::setSnapshot(const EpochSnapshot &s)
{
    m_snapshot = s;
    m_hasSnapshot = true;
    const int rows = int(s.headMaps.size());
    const int heads = rows > 0 ? int(s.headMaps.front().size()) : 0;
    rebuildSelectors(rows, heads);
    showMap();
}

void SelfAttentionView::clear()
{
    m_snapshot = EpochSnapshot{};
    m_hasSnapshot = false;
    rebuildSelectors(0, 0);
    showMap();
}

void SelfAttentionView::rebuildSelectors(int rows, int heads)
{
    if (rows != m_rows) {
        m_rows = rows;
        m_probeRow = std::clamp(m_probeRow, 0, std::max(rows - 1, 0));
        const QSignalBlocker block(m_sampleSelector);
        m_sampleSelector->clear();
        for (int r = 0; r < rows; ++r)
            m_sampleSelector->addItem(tr("Sample %1").arg(r));
        m_sampleSelector->setCurrentIndex(rows > 0 ? m_probeRow : -1);
        m_sampleSelector->setEnabled(rows > 0);
    }
    // The sentence's first words (sentiment) help to find a sample; they may change without
    // a shape change (another data file), so they are refreshed every time.
    for (int r = 0; r < rows; ++r)
        m_sampleSelector->setItemText(r, sampleLabel(m_snapshot, r));
    if (heads != m_heads) {
        m_heads = heads;
        if (m_head >= heads)
            m_head = -1;
        const QSignalBlocker block(m_headSelector);
        m_headSelector->clear();
        m_headSelector->addItem(tr("Mean of heads"));
        // The transformer's maps are layer-major: map l K + k is head k of layer l.
        const int layers = std::max(1, m_snapshot.headLayers);
        const int perLayer = heads % layers == 0 ? heads / layers : heads;
        for (int k = 0; k < heads; ++k)
            m_headSelector->addItem(layers > 1 && perLayer < heads
                                        ? tr("Layer %1, head %2").arg(k / perLayer + 1).arg(k % perLayer + 1)
                                        : tr("Head %1").arg(k + 1));
        m_headSelector->setCurrentIndex(m_head + 1);
        m_headSelector->setEnabled(heads > 0);
    }
}

void SelfAttentionView::setProbeRow(int row)
{
    row = std::clamp(row, 0, std::max(m_rows - 1, 0));
    const bool changed = row != m_probeRow;
    m_probeRow = row;
    {
        const QSignalBlocker block(m_sampleSelector);
        m_sampleSelector->setCurrentIndex(m_rows > 0 ? row : -1);
    }
    if (changed) {
        showMap();
        emit probeRowChanged(row);
    }
}

int SelfAttentionView::probeRow() const
{
    return m_probeRow;
}

void SelfAttentionView::setHead(int head)
{
    if (head < -1 || head >= m_heads)
        head = -1;
    const bool changed = head != m_head;
    m_head = head;
    {
        const QSignalBlocker block(m_headSelector);
        m_headSelector->setCurrentIndex(head + 1);
    }
    if (changed) {
        showMap();
        emit headChanged(head);
    }
}

int SelfAttentionView::head() const
{
    return m_head;
}

int SelfAttentionView::sampleCount() const
{
    return std::max(m_rows, 0);
}

int SelfAttentionView::headCount() const
{
    return std::max(m_heads, 0);
}

int SelfAttentionView::steps() const
{
    return m_shown.rows;
}

Grid SelfAttentionView::shownMap() const
{
    return m_shown;
}

void SelfAttentionView::showMap()
{
    // The map of the chosen head, or the element-wise mean of the heads.
    m_shown = headMap(m_snapshot, m_probeRow, m_head);

    const int T = std::max(m_shown.rows, m_shown.cols);
    if (T != m_steps) {
        m_steps = T;
        // A single step would give QCustomPlot a zero-size cell: pad to two cells, the extra
        // one NaN (transparent) and outside the visible axis range.
        const int size = std::max(T, 2);
        m_map->data()->setSize(size, size);
        m_map->data()->setRange(QCPRange(0.0, double(size - 1)), QCPRange(0.0, double(size - 1)));
    }
    m_map->data()->fill(kNaN);
    for (int q = 0; q < m_shown.rows; ++q)
        for (int k = 0; k < m_shown.cols; ++k)
            m_map->data()->setCell(k, q, m_shown.valueOrNaN(q, k));
    const double extent = double(std::max(T, 1)) - 0.5;
    m_rect->axis(QCPAxis::atBottom)->setRange(-0.5, extent);
    m_rect->axis(QCPAxis::atLeft)->setRange(-0.5, extent);
    updateTickers();

    // Without a map only the title (the reason) is shown.
    m_rect->setVisible(!m_shown.empty());
    m_colorScale->setVisible(!m_shown.empty());
    const PlotTheme theme = PlotTheme::forDark(m_dark);
    if (m_shown.empty()) {
        m_titleParts = {m_hasSnapshot ? tr("No self-attention maps in this snapshot")
                                      : tr("No epoch finished yet")};
        m_title->setTextColor(theme.muted);
    } else {
        m_titleParts = {tr("Self-attention"), tr("sample %1").arg(m_probeRow),
                        m_head >= 0 ? tr("head %1 of %2").arg(m_head + 1).arg(m_heads)
                                    : tr("mean of %1 heads").arg(m_heads),
                        m_snapshot.totalEpochs > 0 ? tr("epoch %1 / %2")
                                                         .arg(m_snapshot.epoch)
                                                         .arg(m_snapshot.totalEpochs)
                                                   : tr("epoch %1").arg(m_snapshot.epoch)};
        m_title->setTextColor(theme.foreground);
    }
    // One line until the next layout pass fits it to the width (fitSquareCells()).
    m_title->setText(m_titleParts.join(QStringLiteral(" \u00b7 ")));
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

QString SelfAttentionView::word(int step) const
{
    return stepWord(m_snapshot, m_probeRow, step);
}

void SelfAttentionView::updateTickers()
{
    // With words (sentiment), every step is labelled with its word (padding unlabelled);
    // otherwise integer steps.
    bool anyWord = false;
    for (int t = 0; t < m_steps && !anyWord; ++t)
        anyWord = !word(t).isEmpty();
    QCPAxis *x = m_rect->axis(QCPAxis::atBottom);
    QCPAxis *y = m_rect->axis(QCPAxis::atLeft);
    if (anyWord) {
        auto ticker = QSharedPointer<QCPAxisTickerText>::create();
        for (int t = 0; t < m_steps; ++t)
            ticker->addTick(double(t), word(t));
        x->setTicker(ticker);
        y->setTicker(ticker);
        x->setTickLabelRotation(-90.0);
        x->setLabel(tr("key time step (word)"));
        y->setLabel(tr("query time step (word)"));
    } else {
        x->setTicker(integerTicker());
        y->setTicker(integerTicker());
        x->setTickLabelRotation(0.0);
        x->setLabel(tr("key time step"));
        y->setLabel(tr("query time step"));
    }
}

double SelfAttentionView::cellValue(int query, int key) const
{
    if (query < 0 || query >= m_shown.rows || key < 0 || key >= m_shown.cols)
        return kNaN;
    return m_map->data()->cell(key, query);
}

QString SelfAttentionView::cellToolTip(int query, int key) const
{
    if (query < 0 || query >= m_shown.rows || key < 0 || key >= m_shown.cols)
        return {};
    auto step = [this](int t) {
        const QString w = word(t);
        return w.isEmpty() ? QString::number(t)
                           : QStringLiteral("%1 (\u201c%2\u201d)").arg(t).arg(w);
    };
    QStringList lines;
    lines << tr("sample %1, %2")
                 .arg(m_probeRow)
                 .arg(m_head >= 0 ? tr("head %1").arg(m_head + 1) : tr("mean of heads"));
    lines << tr("query step %1").arg(step(query)) << tr("key step %1").arg(step(key));
    lines << tr("weight %1").arg(m_shown.valueOrNaN(query, key), 0, 'f', 4);
    return lines.join(QLatin1Char('\n'));
}

bool SelfAttentionView::cellAt(const QPointF &plotPos, int *query, int *key) const
{
    if (m_shown.empty() || !m_rect->rect().contains(plotPos.toPoint()))
        return false;
    const long k = std::lround(m_map->keyAxis()->pixelToCoord(plotPos.x()));
    const long q = std::lround(m_map->valueAxis()->pixelToCoord(plotPos.y()));
    if (q < 0 || q >= m_shown.rows || k < 0 || k >= m_shown.cols)
        return false;
    if (query)
        *query = int(q);
    if (key)
        *key = int(k);
    return true;
}

void SelfAttentionView::setColorMap(ColorMapKind kind)
{
    m_colorMapKind = kind;
    m_gradient = colorMapGradient(kind);
    m_colorScale->setGradient(m_gradient);
    m_map->setGradient(m_gradient);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

ColorMapKind SelfAttentionView::colorMapKind() const
{
    return m_colorMapKind;
}

QColor SelfAttentionView::weightColor(double w) const
{
    QCPColorGradient g = m_gradient; // color() is non-const: it may build the lookup table
    return QColor::fromRgba(g.color(w, QCPRange(0.0, 1.0)));
}

QCPRange SelfAttentionView::colorRange() const
{
    return m_colorScale->dataRange();
}

void SelfAttentionView::setDark(bool dark)
{
    m_dark = dark;
    applyTheme();
    showMap();
}

bool SelfAttentionView::isDark() const
{
    return m_dark;
}

bool SelfAttentionView::savePng(const QString &path, int width, int height, double scale,
                                 QString *error)
{
    return savePlotPng(m_plot, path, width, height, scale, error);
}

bool SelfAttentionView::savePdf(const QString &path, int width, int height, QString *error)
{
    return savePlotPdf(m_plot, path, width, height, m_titleParts.join(QStringLiteral(" \u00b7 ")),
                       error);
}

QCustomPlot *SelfAttentionView::plot()
{
    return m_plot;
}

QCPColorMap *SelfAttentionView::colorMap()
{
    return m_map;
}

QComboBox *SelfAttentionView::headSelector()
{
    return m_headSelector;
}

QComboBox *SelfAttentionView::sampleSelector()
{
    return m_sampleSelector;
}

void SelfAttentionView::applyTheme()
{
    PlotTheme::forDark(m_dark).apply(m_plot);
}

void SelfAttentionView::fitSquareCells()
{
    if (m_fitting)
        return;
    m_fitting = true;
    QCPLayoutGrid *top = m_plot->plotLayout();
    // The title spans the whole width and breaks between its parts when the plot (widget or
    // export) is narrower than it.
    m_title->setText(wrapParts(m_titleParts, m_title->font(), m_plot->viewport().width() - 24.0));
    top->setMargins(QMargins());
    m_panelLayout->setMargins(QMargins());
    // A colour scale reports its current margins to the margin group, so the group's margin
    // would only ever grow (e.g. stay as tall as rotated word labels once were): start afresh.
    m_colorScale->setMargins(QMargins());
    layoutNow(m_plot);
    // The largest square cell that fits. The horizontal slack goes into the margins of the
    // map's row (map and colour bar stay together, centred under the full-width title), the
    // vertical slack above the title and below the map (title stays on top of the map).
    const QRect inner = m_rect->rect();
    const double cell =
        std::min(double(inner.width()), double(inner.height())) / double(std::max(m_steps, 1));
    if (m_steps > 0 && cell >= 1.0) {
        const int slackW = std::max(0, int(std::floor(inner.width() - cell * m_steps)));
        const int slackH = std::max(0, int(std::floor(inner.height() - cell * m_steps)));
        m_panelLayout->setMargins(QMargins(slackW / 2, 0, slackW - slackW / 2, 0));
        top->setMargins(QMargins(0, slackH / 2, 0, slackH - slackH / 2));
        layoutNow(m_plot);
    }
    m_fitting = false;
}

void SelfAttentionView::onPlotMouseMove(QMouseEvent *event)
{
    int query = -1;
    int key = -1;
    if (!cellAt(event->position(), &query, &key)) {
        QToolTip::hideText();
        return;
    }
    QCPAxis *x = m_map->keyAxis();
    QCPAxis *y = m_map->valueAxis();
    const QRectF cell = QRectF(QPointF(x->coordToPixel(key - 0.5), y->coordToPixel(query - 0.5)),
                               QPointF(x->coordToPixel(key + 0.5), y->coordToPixel(query + 0.5)))
                            .normalized();
    QToolTip::showText(event->globalPosition().toPoint(), cellToolTip(query, key), m_plot,
                       cell.toAlignedRect());
}

} // namespace attn
