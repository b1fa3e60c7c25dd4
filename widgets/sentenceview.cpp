// SPDX-License-Identifier: GPL-3.0-or-later
// SentenceView: the words, weights, colours and geometry come from a SentenceLayout (once per
// snapshot, once per width); the view paints them. The same paintLayout() draws the viewport,
// the PNG and the PDF; the scroll bar and the word tooltips follow the layout at the viewport's
// width.
#include "widgets/sentenceview.h"

#include "widgets/imagefile.h"
#include "widgets/plottheme.h"

#include <QEvent>
#include <QFont>
#include <QFontMetricsF>
#include <QHelpEvent>
#include <QLinearGradient>
#include <QPageSize>
#include <QPainter>
#include <QBuffer>
#include <QPdfWriter>
#include <QScrollBar>
#include <QToolTip>

#include <algorithm>
#include <cmath>
#include <limits>

namespace attn {

namespace {

using Word = SentenceLayout::Word;
using Sentence = SentenceLayout::Sentence;
using LegendPiece = SentenceLayout::LegendPiece;
using Layout = SentenceLayout::Geometry;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kMargin = SentenceLayout::kMargin;

QColor wrongColor(bool dark)
{
    return dark ? QColor(0xff, 0x6b, 0x6b) : QColor(0xc6, 0x28, 0x28);
}

} // namespace

SentenceView::SentenceView(QWidget *parent) : QAbstractScrollArea(parent)
{
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setVerticalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    setFrameShape(QFrame::NoFrame);
    viewport()->setAttribute(Qt::WA_OpaquePaintEvent);
    clear();
}

SentenceView::~SentenceView() = default;

void SentenceView::setSnapshot(const EpochSnapshot &s)
{
    m_content.setSnapshot(s);
    invalidateLayout();
}

void SentenceView::clear()
{
    m_content.clear();
    invalidateLayout();
}

void SentenceView::setWeightScale(const WeightScale &scale)
{
    if (scale == m_content.weightScale())
        return;
    m_content.setWeightScale(scale);
    invalidateLayout();
}

const WeightScale &SentenceView::weightScale() const
{
    return m_content.weightScale();
}

double SentenceView::scaleTop() const
{
    return m_content.scaleTop();
}

double SentenceView::uniformWeight(int row) const
{
    if (row < 0 || row >= int(m_content.sentences().size()))
        return std::numeric_limits<double>::quiet_NaN();
    return m_content.sentences()[std::size_t(row)].uniformWeight;
}

void SentenceView::setColorMap(ColorMapKind kind)
{
    m_content.setColorMap(kind);
    viewport()->update();
}

ColorMapKind SentenceView::colorMapKind() const
{
    return m_content.colorMapKind();
}

void SentenceView::setDark(bool dark)
{
    m_dark = dark;
    viewport()->update();
}

bool SentenceView::isDark() const
{
    return m_dark;
}

QString SentenceView::titleText() const
{
    return m_content.titleText();
}

QString SentenceView::legendText() const
{
    QStringList parts;
    for (const LegendPiece &piece : currentLayout().legend)
        if (piece.kind != LegendPiece::Gradient)
            parts << piece.text;
    return parts.join(QLatin1Char(' '));
}

void SentenceView::paintLayout(QPainter &p, const Layout &l) const
{
    const PlotTheme theme = PlotTheme::forDark(m_dark);
    const std::vector<Sentence> &sentences = m_content.sentences();
    const QFont base = font();
    p.setRenderHint(QPainter::Antialiasing, true);
    p.setRenderHint(QPainter::TextAntialiasing, true);

    p.setFont(SentenceLayout::titleFont(base));
    p.setPen(sentences.empty() ? theme.muted : theme.foreground);
    p.drawText(l.titleRect, Qt::AlignLeft | Qt::AlignVCenter, titleText());

    p.setFont(base);
    for (const LegendPiece &piece : l.legend) {
        switch (piece.kind) {
        case LegendPiece::Gradient: {
            const QRectF bar = piece.rect.adjusted(0.0, 3.0, 0.0, -3.0);
            QLinearGradient g(bar.topLeft(), bar.topRight());
            QCPColorGradient cg = m_content.gradient();
            for (int i = 0; i <= 16; ++i) {
                const double t = double(i) / 16.0;
                g.setColorAt(t, QColor::fromRgba(cg.color(t, QCPRange(0.0, 1.0))));
            }
            p.fillRect(bar, g);
            p.setPen(QPen(theme.foreground, 0.0));
            p.setBrush(Qt::NoBrush);
            p.drawRect(bar);
            break;
        }
        case LegendPiece::Text:
            p.setPen(theme.foreground);
            p.drawText(piece.rect, Qt::AlignLeft | Qt::AlignVCenter, piece.text);
            break;
        case LegendPiece::Muted:
            p.setPen(theme.muted);
            p.drawText(piece.rect, Qt::AlignLeft | Qt::AlignVCenter, piece.text);
            break;
        case LegendPiece::Wrong:
            p.setPen(wrongColor(m_dark));
            p.drawText(piece.rect, Qt::AlignLeft | Qt::AlignVCenter, piece.text);
            break;
        }
    }

    p.setPen(QPen(theme.grid, 0.0));
    for (double y : l.separators)
        p.drawLine(QPointF(kMargin, y), QPointF(l.width - kMargin, y));

    const QFontMetricsF fm(base, p.device());
    for (std::size_t si = 0; si < sentences.size() && si < l.wordRects.size(); ++si) {
        const Sentence &s = sentences[si];
        p.setPen(theme.muted);
        p.drawText(l.indexRects[si], Qt::AlignRight | Qt::AlignVCenter, QString::number(s.row));
        for (std::size_t wi = 0; wi < s.words.size(); ++wi) {
            const Word &w = s.words[wi];
            const QRectF &r = l.wordRects[si][wi];
            if (w.background.alpha() > 0) {
                p.setPen(Qt::NoPen);
                p.setBrush(w.background);
                p.drawRoundedRect(r, 3.0, 3.0);
            }
            p.setPen(w.foreground.isValid() ? w.foreground : theme.foreground);
            p.drawText(r, Qt::AlignCenter, w.text);
        }
        const QRectF &pred = l.predictionRects[si];
        if (!pred.isNull()) {
            QRectF rest = pred;
            if (s.wrong) {
                const QString mark = SentenceLayout::wrongMark() + QLatin1Char(' ');
                p.setPen(wrongColor(m_dark));
                p.drawText(pred, Qt::AlignLeft | Qt::AlignVCenter, mark);
                rest.setLeft(pred.left() + fm.horizontalAdvance(mark));
            }
            p.setPen(s.wrong ? wrongColor(m_dark) : theme.foreground);
            p.drawText(rest, Qt::AlignLeft | Qt::AlignVCenter, s.prediction);
        }
        const QRectF &pad = l.paddingRects[si];
        if (!pad.isNull()) {
            p.setPen(theme.muted);
            p.drawText(pad, Qt::AlignLeft | Qt::AlignVCenter, SentenceLayout::paddingText(s));
        }
        if (si < l.uniformRects.size() && !l.uniformRects[si].isNull()) {
            p.setPen(theme.muted);
            p.drawText(l.uniformRects[si], Qt::AlignLeft | Qt::AlignVCenter,
                       SentenceLayout::uniformText(s));
        }
    }
}

const SentenceLayout::Geometry &SentenceView::currentLayout() const
{
    const double width = double(viewport()->width());
    if (!m_layoutValid || m_layout.width != width) {
        m_layout = m_content.compute(width, font(), viewport());
        m_layoutValid = true;
    }
    return m_layout;
}

void SentenceView::invalidateLayout()
{
    m_layoutValid = false;
    updateScrollBar();
    viewport()->update();
}

void SentenceView::updateScrollBar()
{
    const Layout &l = currentLayout();
    QScrollBar *bar = verticalScrollBar();
    bar->setRange(0, std::max(0, int(std::ceil(l.height)) - viewport()->height()));
    bar->setPageStep(viewport()->height());
    bar->setSingleStep(std::max(1, fontMetrics().height()));
}

int SentenceView::sentenceCount() const
{
    return int(m_content.sentences().size());
}

QStringList SentenceView::words(int row) const
{
    QStringList list;
    if (row >= 0 && row < sentenceCount())
        for (const Word &w : m_content.sentences()[std::size_t(row)].words)
            list << w.text;
    return list;
}

int SentenceView::wordStep(int row, int i) const
{
    const Word *w = m_content.word(row, i);
    return w ? w->step : -1;
}

double SentenceView::wordWeight(int row, int i) const
{
    const Word *w = m_content.word(row, i);
    return w ? w->weight : kNaN;
}

double SentenceView::wordShade(int row, int i) const
{
    const Word *w = m_content.word(row, i);
    return w ? w->shade : kNaN;
}

QColor SentenceView::wordBackground(int row, int i) const
{
    const Word *w = m_content.word(row, i);
    return w ? w->background : QColor();
}

QColor SentenceView::wordForeground(int row, int i) const
{
    const Word *w = m_content.word(row, i);
    if (!w)
        return {};
    return w->foreground.isValid() ? w->foreground : PlotTheme::forDark(m_dark).foreground;
}

QRectF SentenceView::wordRect(int row, int i) const
{
    if (!m_content.word(row, i))
        return {};
    return currentLayout().wordRects[std::size_t(row)][std::size_t(i)];
}

QString SentenceView::wordToolTip(int row, int i) const
{
    const Word *w = m_content.word(row, i);
    if (!w)
        return {};
    QStringList lines;
    lines << QStringLiteral("\u201c%1\u201d").arg(w->text)
          << tr("sample %1, time step %2").arg(m_content.sentences()[std::size_t(row)].row).arg(w->step);
    if (std::isfinite(w->weight)) {
        lines << tr("attention weight %1").arg(w->weight, 0, 'f', 4);
        double rowMax = 0.0;
        for (const Word &other : m_content.sentences()[std::size_t(row)].words)
            if (std::isfinite(other.weight))
                rowMax = std::max(rowMax, other.weight);
        if (rowMax > 0.0)
            lines << tr("%1 of the sentence's largest word weight")
                         .arg(w->weight / rowMax, 0, 'f', 2);
    } else {
        lines << tr("no attention weights");
    }
    return lines.join(QLatin1Char('\n'));
}

bool SentenceView::wordAt(const QPointF &contentPos, int *row, int *i) const
{
    const Layout &l = currentLayout();
    for (std::size_t si = 0; si < l.wordRects.size(); ++si)
        for (std::size_t wi = 0; wi < l.wordRects[si].size(); ++wi)
            if (l.wordRects[si][wi].contains(contentPos)) {
                if (row)
                    *row = int(si);
                if (i)
                    *i = int(wi);
                return true;
            }
    return false;
}

QString SentenceView::predictionText(int row) const
{
    if (row < 0 || row >= sentenceCount())
        return {};
    const Sentence &s = m_content.sentences()[std::size_t(row)];
    if (!s.hasPrediction)
        return {};
    return s.wrong ? SentenceLayout::wrongMark() + QLatin1Char(' ') + s.prediction : s.prediction;
}

bool SentenceView::isWrong(int row) const
{
    return row >= 0 && row < sentenceCount() && m_content.sentences()[std::size_t(row)].wrong;
}

int SentenceView::fittedHeight(int width) const
{
    QImage probe(1, 1, QImage::Format_ARGB32_Premultiplied); // 96 dpi, like the exports
    return int(std::ceil(m_content.compute(double(width), font(), &probe).height));
}

QImage SentenceView::toImage(int width, int height, double scale) const
{
    if (width <= 0)
        width = viewport()->width();
    if (height <= 0)
        height = fittedHeight(width);
    const QSize pixels(int(std::lround(width * scale)), int(std::lround(height * scale)));
    QImage image(pixels, QImage::Format_ARGB32_Premultiplied);
    image.fill(PlotTheme::forDark(m_dark).background);
    {
        // Laid out at the image's 96 dpi; the dpi recorded below is set after painting, as it
        // would otherwise scale the point-sized fonts a second time.
        const Layout l = m_content.compute(double(width), font(), &image);
        QPainter p(&image);
        p.scale(scale, scale);
        paintLayout(p, l);
    }
    const int dotsPerMeter = int(std::lround(96.0 * scale / 0.0254));
    image.setDotsPerMeterX(dotsPerMeter);
    image.setDotsPerMeterY(dotsPerMeter);
    return image;
}

bool SentenceView::savePng(const QString &path, int width, int height, double scale,
                           QString *error) const
{
    return saveImagePng(toImage(width, height, scale), path, error);
}

bool SentenceView::savePdf(const QString &path, int width, int height, QString *error) const
{
    if (width <= 0)
        width = viewport()->width();
    if (height <= 0)
        height = fittedHeight(width);
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    {
        QPdfWriter writer(&buffer); // in memory, then written atomically (saveBytes)
        writer.setCreator(QStringLiteral("Attention Studio"));
        writer.setTitle(titleText());
        writer.setResolution(96); // one device unit = one logical pixel of the view
        writer.setPageMargins(QMarginsF(0, 0, 0, 0));
        QPainter p;
        bool painted =
            writer.setPageSize(QPageSize(QSizeF(width / 96.0, height / 96.0), QPageSize::Inch))
            && p.begin(&writer);
        if (painted) {
            p.fillRect(QRectF(0, 0, width, height), PlotTheme::forDark(m_dark).background);
            paintLayout(p, m_content.compute(double(width), font(), &writer));
            painted = p.end();
        }
        if (!painted) {
            if (error)
                *error = tr("%1: cannot paint a PDF page of %2 x %3").arg(path).arg(width).arg(height);
            return false;
        }
    }
    return saveBytes(path, bytes, error);
}

void SentenceView::changeEvent(QEvent *event)
{
    QAbstractScrollArea::changeEvent(event);
    if (event->type() == QEvent::FontChange)
        invalidateLayout(); // word boxes are measured in the widget's font
}

void SentenceView::paintEvent(QPaintEvent *)
{
    QPainter p(viewport());
    p.fillRect(viewport()->rect(), PlotTheme::forDark(m_dark).background);
    p.translate(0.0, -double(verticalScrollBar()->value()));
    paintLayout(p, currentLayout());
}

void SentenceView::resizeEvent(QResizeEvent *event)
{
    QAbstractScrollArea::resizeEvent(event);
    updateScrollBar();
}

bool SentenceView::viewportEvent(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        const QPointF content(help->pos().x(), help->pos().y() + verticalScrollBar()->value());
        int row = -1;
        int i = -1;
        if (wordAt(content, &row, &i)) {
            const QRect r = wordRect(row, i)
                                .translated(0.0, -double(verticalScrollBar()->value()))
                                .toAlignedRect();
            QToolTip::showText(help->globalPos(), wordToolTip(row, i), viewport(), r);
        } else {
            QToolTip::hideText();
            event->ignore();
        }
        return true;
    }
    return QAbstractScrollArea::viewportEvent(event);
}

} // namespace attn
