// SPDX-License-Identifier: GPL-3.0-or-later
// The Transformer's layers x heads grid of self-attention maps, painted with QPainter: the
// thumbnails on the left, the selected map enlarged on the right, a sample selector on top.
#include "widgets/transformergridview.h"

#include "widgets/headmaps.h"
#include "widgets/imagefile.h"
#include "widgets/plottheme.h"

#include <QBuffer>
#include <QComboBox>
#include <QFontMetrics>
#include <QMouseEvent>
#include <QPainter>
#include <QPdfWriter>
#include <QSignalBlocker>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace attn {

namespace {
constexpr double kLabel = 28;  // room for the "L1" / "H1" labels, logical pixels
constexpr double kGap = 3;     // between thumbnails
constexpr double kMargin = 8;
} // namespace

TransformerGridView::TransformerGridView(QWidget *parent)
    : QWidget(parent), m_gradient(colorMapGradient(ColorMapKind::Viridis))
{
    m_sampleSelector = new QComboBox(this);
    m_sampleSelector->setObjectName("transformerGridSample");
    m_sampleSelector->setToolTip(tr("The probe sample whose maps are shown"));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_sampleSelector, 0, Qt::AlignLeft);
    layout->addStretch(1);
    connect(m_sampleSelector, &QComboBox::currentIndexChanged, this, &TransformerGridView::setProbeRow);
    setMinimumSize(320, 240);
    clear();
}

TransformerGridView::~TransformerGridView() = default;

void TransformerGridView::setSnapshot(const EpochSnapshot &s)
{
    m_snapshot = s;
    m_hasSnapshot = true;
    const int maps = s.headMaps.empty() ? 0 : int(s.headMaps.front().size());
    m_layers = maps > 0 ? std::clamp(s.headLayers, 1, maps) : 0;
    m_heads = m_layers > 0 && maps % m_layers == 0 ? maps / m_layers : maps;
    if (m_layers > 0 && maps % m_layers != 0)
        m_layers = 1; // a damaged session: show the maps as one row
    m_row = std::clamp(m_row, 0, std::max(0, int(s.headMaps.size()) - 1));
    if (m_layer >= m_layers || m_head >= m_heads) {
        m_layer = 0;
        m_head = 0;
    }
    rebuildSamples();
    update();
}

void TransformerGridView::clear()
{
    m_snapshot = EpochSnapshot{};
    m_hasSnapshot = false;
    m_layers = m_heads = 0;
    rebuildSamples();
    update();
}

void TransformerGridView::rebuildSamples()
{
    const QSignalBlocker block(m_sampleSelector);
    const int rows = int(m_snapshot.headMaps.size());
    if (m_sampleSelector->count() != rows) {
        m_sampleSelector->clear();
        for (int r = 0; r < rows; ++r)
            m_sampleSelector->addItem(QString());
    }
    for (int r = 0; r < rows; ++r)
        m_sampleSelector->setItemText(r, sampleLabel(m_snapshot, r));
    m_sampleSelector->setCurrentIndex(rows > 0 ? m_row : -1);
    m_sampleSelector->setEnabled(rows > 0);
}

void TransformerGridView::setDark(bool dark)
{
    m_dark = dark;
    update();
}

void TransformerGridView::setColorMap(ColorMapKind kind)
{
    m_gradient = colorMapGradient(kind);
    update();
}

void TransformerGridView::setProbeRow(int row)
{
    m_row = std::clamp(row, 0, std::max(0, int(m_snapshot.headMaps.size()) - 1));
    const QSignalBlocker block(m_sampleSelector);
    m_sampleSelector->setCurrentIndex(m_snapshot.headMaps.empty() ? -1 : m_row);
    update();
}

void TransformerGridView::selectMap(int layer, int head)
{
    if (layer < 0 || layer >= m_layers || head < 0 || head >= m_heads)
        return;
    m_layer = layer;
    m_head = head;
    update();
    emit mapSelected(layer, head);
}

const Grid *TransformerGridView::map(int layer, int head) const
{
    if (m_row >= int(m_snapshot.headMaps.size()))
        return nullptr;
    const std::vector<Grid> &maps = m_snapshot.headMaps[std::size_t(m_row)];
    const std::size_t i = std::size_t(layer) * std::size_t(m_heads) + std::size_t(head);
    return i < maps.size() ? &maps[i] : nullptr;
}

QRectF TransformerGridView::paintArea() const
{
    const double top = m_sampleSelector->geometry().bottom() + kMargin;
    return QRectF(kMargin, top, width() - 2 * kMargin, height() - top - kMargin);
}

TransformerGridView::Geometry TransformerGridView::geometry(const QRectF &area) const
{
    Geometry g;
    if (m_layers == 0 || m_heads == 0 || area.width() <= 0 || area.height() <= 0)
        return g;
    // The grid takes up to half the width; the enlarged map the rest (a square).
    const double gridWidth = area.width() * 0.5 - kLabel;
    const double gridHeight = area.height() - kLabel;
    g.cell = std::max(4.0, std::min((gridWidth - kGap * (m_heads - 1)) / m_heads,
                                    (gridHeight - kGap * (m_layers - 1)) / m_layers));
    g.grid = QRectF(area.left() + kLabel, area.top() + kLabel, m_heads * g.cell + (m_heads - 1) * kGap,
                    m_layers * g.cell + (m_layers - 1) * kGap);
    const double side = std::max(0.0, std::min(area.right() - g.grid.right() - 2 * kMargin,
                                               area.height() - kLabel));
    g.large = QRectF(g.grid.right() + 2 * kMargin, area.top() + kLabel, side, side);
    return g;
}

QRectF TransformerGridView::cellRect(const Geometry &g, int layer, int head)
{
    return QRectF(g.grid.left() + head * (g.cell + kGap), g.grid.top() + layer * (g.cell + kGap),
                  g.cell, g.cell);
}

QRectF TransformerGridView::thumbnailRect(int layer, int head) const
{
    if (layer < 0 || layer >= m_layers || head < 0 || head >= m_heads)
        return {};
    return cellRect(geometry(paintArea()), layer, head);
}

void TransformerGridView::paintMap(QPainter &p, const Grid &m, const QRectF &rect) const
{
    if (m.empty() || rect.width() <= 0)
        return;
    const double cw = rect.width() / m.cols, ch = rect.height() / m.rows;
    for (int r = 0; r < m.rows; ++r)
        for (int c = 0; c < m.cols; ++c) {
            const double v = m.valueOrNaN(r, c);
            const QColor colour = std::isnan(v) ? QColor(Qt::transparent)
                                                : QColor::fromRgba(m_gradient.color(v, QCPRange(0.0, 1.0)));
            p.fillRect(QRectF(rect.left() + c * cw, rect.top() + r * ch, cw + 0.5, ch + 0.5), colour);
        }
}

void TransformerGridView::paintContent(QPainter &p, const QRectF &area) const
{
    const PlotTheme theme = PlotTheme::forDark(m_dark);
    p.setPen(theme.muted);
    if (m_layers == 0) {
        p.drawText(area, Qt::AlignCenter,
                   m_hasSnapshot ? tr("No self-attention maps (train the transformer mechanism)")
                                 : tr("No snapshot yet"));
        return;
    }
    const Geometry g = geometry(area);
    p.setPen(theme.foreground);
    for (int l = 0; l < m_layers; ++l) {
        const QRectF label(area.left(), g.grid.top() + l * (g.cell + kGap), kLabel - 4, g.cell);
        p.drawText(label, Qt::AlignRight | Qt::AlignVCenter, tr("L%1").arg(l + 1));
        for (int k = 0; k < m_heads; ++k) {
            const QRectF rect = cellRect(g, l, k);
            if (const Grid *m = map(l, k))
                paintMap(p, *m, rect);
            if (l == m_layer && k == m_head) {
                p.setPen(QPen(theme.foreground, 2));
                p.drawRect(rect.adjusted(-1.5, -1.5, 1.5, 1.5));
                p.setPen(theme.foreground);
            }
        }
    }
    for (int k = 0; k < m_heads; ++k)
        p.drawText(QRectF(g.grid.left() + k * (g.cell + kGap), area.top(), g.cell, kLabel - 4),
                   Qt::AlignHCenter | Qt::AlignBottom, tr("H%1").arg(k + 1));
    if (const Grid *m = map(m_layer, m_head)) {
        // From the map's left edge to the view's right edge, elided: centred over a map narrower
        // than its text, the title lost its first and last letters.
        const QRectF title(g.large.left(), area.top(), area.right() - g.large.left(), kLabel - 4);
        const QString text = tr("Layer %1, head %2 (row = query step, column = key step)").arg(m_layer + 1).arg(m_head + 1);
        p.drawText(title, Qt::AlignLeft | Qt::AlignBottom,
                   p.fontMetrics().elidedText(text, Qt::ElideRight, int(title.width())));
        paintMap(p, *m, g.large);
    }
}

void TransformerGridView::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.fillRect(rect(), PlotTheme::forDark(m_dark).background);
    paintContent(p, paintArea());
}

void TransformerGridView::mousePressEvent(QMouseEvent *event)
{
    for (int l = 0; l < m_layers; ++l)
        for (int k = 0; k < m_heads; ++k)
            if (thumbnailRect(l, k).contains(event->position())) {
                selectMap(l, k);
                return;
            }
    QWidget::mousePressEvent(event);
}

bool TransformerGridView::savePng(const QString &path, int width, int height, double scale,
                                  QString *error)
{
    const int w = width > 0 ? width : this->width(), h = height > 0 ? height : this->height();
    QImage image(QSize(int(std::lround(w * scale)), int(std::lround(h * scale))),
                 QImage::Format_ARGB32_Premultiplied);
    image.fill(PlotTheme::forDark(m_dark).background);
    {
        QPainter p(&image);
        p.scale(scale, scale);
        const QRectF area = paintArea();
        paintContent(p, QRectF(area.left(), area.top(), w - 2 * kMargin, h - area.top() - kMargin));
    }
    return saveImagePng(image, path, error);
}

bool TransformerGridView::savePdf(const QString &path, int width, int height, QString *error)
{
    const int w = width > 0 ? width : this->width(), h = height > 0 ? height : this->height();
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    {
        QPdfWriter writer(&buffer); // in memory, then written atomically (saveBytes)
        writer.setCreator(QStringLiteral("Attention Studio"));
        writer.setTitle(tr("Transformer self-attention maps"));
        writer.setResolution(96);
        writer.setPageMargins(QMarginsF(0, 0, 0, 0));
        QPainter p;
        bool painted = writer.setPageSize(QPageSize(QSizeF(w / 96.0, h / 96.0), QPageSize::Inch)) &&
                       p.begin(&writer);
        if (painted) {
            p.fillRect(QRectF(0, 0, w, h), PlotTheme::forDark(m_dark).background);
            const QRectF area = paintArea();
            paintContent(p, QRectF(area.left(), area.top(), w - 2 * kMargin, h - area.top() - kMargin));
            painted = p.end();
        }
        if (!painted) {
            if (error)
                *error = tr("%1: cannot paint a PDF page of %2 x %3").arg(path).arg(w).arg(h);
            return false;
        }
    }
    return saveBytes(path, bytes, error);
}

} // namespace attn
