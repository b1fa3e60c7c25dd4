// SPDX-License-Identifier: GPL-3.0-or-later
// SentenceView: the words, weights and colours are derived once per snapshot (Sentence/Word),
// the geometry once per width (Layout: a flow of word boxes per sentence between the sample
// number on the left and the prediction column on the right, or the prediction under the words
// when the page is narrow). The same paintLayout() draws the viewport, the PNG and the PDF.
#include "widgets/sentenceview.h"

#include "widgets/plottheme.h"

#include <QEvent>
#include <QFont>
#include <QFontMetricsF>
#include <QHelpEvent>
#include <QLinearGradient>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QScrollBar>
#include <QToolTip>

#include <algorithm>
#include <cmath>
#include <limits>

namespace attn {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kMargin = 12.0;   // page margin
constexpr double kPadX = 4.0;      // word box padding, horizontal
constexpr double kPadY = 2.0;      // word box padding, vertical
constexpr double kGapX = 3.0;      // between word boxes
constexpr double kGapY = 4.0;      // between lines of a sentence
constexpr double kRowGap = 14.0;   // between sentences (a rule in the middle)
constexpr double kColumnGap = 18.0; // between the words and the prediction column
constexpr double kMinWordsWidth = 220.0; // narrower: the prediction goes under the words
constexpr double kGradientWidth = 110.0;
const QString kWrongMark = QStringLiteral("\u2717"); // ✗

QColor wrongColor(bool dark)
{
    return dark ? QColor(0xff, 0x6b, 0x6b) : QColor(0xc6, 0x28, 0x28);
}

/// WCAG relative luminance of an sRGB colour.
double luminance(const QColor &c)
{
    auto lin = [](double v) {
        return v <= 0.04045 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * lin(c.redF()) + 0.7152 * lin(c.greenF()) + 0.0722 * lin(c.blueF());
}

/// Black or white, whichever contrasts more with the background (WCAG contrast ratio).
QColor contrastingText(const QColor &background)
{
    const double l = luminance(background);
    return (l + 0.05) / 0.05 >= 1.05 / (l + 0.05) ? QColor(Qt::black) : QColor(Qt::white);
}

double gridValue(const Grid &g, int r, int c)
{
    if (r < 0 || r >= g.rows || c < 0 || c >= g.cols)
        return kNaN;
    const std::size_t i = std::size_t(r) * std::size_t(g.cols) + std::size_t(c);
    return i < g.values.size() ? double(g.values[i]) : kNaN;
}

QFont titleFontOf(const QFont &base)
{
    QFont f = base;
    f.setPointSizeF(f.pointSizeF() + 2.0);
    f.setBold(true);
    return f;
}

} // namespace

SentenceView::SentenceView(QWidget *parent)
    : QAbstractScrollArea(parent), m_gradient(colorMapGradient(m_colorMapKind))
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
    m_snapshot = s;
    m_hasSnapshot = true;
    rebuildSentences();
}

void SentenceView::clear()
{
    m_snapshot = EpochSnapshot{};
    m_hasSnapshot = false;
    rebuildSentences();
}

void SentenceView::setScaleToRowMax(bool rowMax)
{
    if (rowMax == m_scaleToRowMax)
        return;
    m_scaleToRowMax = rowMax;
    rebuildSentences();
}

bool SentenceView::scaleToRowMax() const
{
    return m_scaleToRowMax;
}

void SentenceView::setColorMap(ColorMapKind kind)
{
    m_colorMapKind = kind;
    m_gradient = colorMapGradient(kind);
    recolour();
    viewport()->update();
}

ColorMapKind SentenceView::colorMapKind() const
{
    return m_colorMapKind;
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

void SentenceView::rebuildSentences()
{
    const EpochSnapshot &s = m_snapshot;
    m_sentences.clear();
    m_hasAttention = !s.attention.empty();
    for (int r = 0; r < int(s.probeTokens.size()); ++r) {
        Sentence sentence;
        sentence.row = r;
        const std::vector<std::string> &tokens = s.probeTokens[std::size_t(r)];
        double rowMax = 0.0;
        for (int t = 0; t < int(tokens.size()); ++t) {
            const double w = m_hasAttention ? gridValue(s.attention, r, t) : kNaN;
            if (tokens[std::size_t(t)].empty()) { // padding: hidden, its weight noted
                ++sentence.paddingSteps;
                if (std::isfinite(w))
                    sentence.paddingWeight += w;
                continue;
            }
            Word word;
            word.step = t;
            word.text = QString::fromStdString(tokens[std::size_t(t)]);
            word.weight = w;
            if (std::isfinite(w))
                rowMax = std::max(rowMax, w);
            sentence.words.push_back(word);
        }
        for (Word &word : sentence.words) {
            if (!std::isfinite(word.weight))
                word.shade = kNaN;
            else if (m_scaleToRowMax)
                word.shade = rowMax > 0.0 ? word.weight / rowMax : 0.0;
            else
                word.shade = std::clamp(word.weight, 0.0, 1.0);
        }
        if (r < int(s.probePredictions.size())) {
            const double p = s.probePredictions[std::size_t(r)];
            const bool positive = p >= 0.5;
            sentence.hasPrediction = true;
            sentence.prediction = tr("pred %1 \u2192 %2")
                                      .arg(p, 0, 'f', 2)
                                      .arg(positive ? tr("positive") : tr("negative"));
            if (r < int(s.probeTargets.size())) {
                const bool truth = s.probeTargets[std::size_t(r)] >= 0.5f;
                sentence.prediction += QStringLiteral(" \u00b7 ") +
                                       tr("true: %1").arg(truth ? tr("positive") : tr("negative"));
                sentence.wrong = positive != truth;
            }
        }
        m_sentences.push_back(std::move(sentence));
    }
    recolour();
    invalidateLayout();
}

void SentenceView::recolour()
{
    for (Sentence &sentence : m_sentences)
        for (Word &word : sentence.words) {
            if (std::isnan(word.shade)) {
                word.background = QColor(Qt::transparent);
                word.foreground = QColor(); // the page's text colour
            } else {
                word.background = QColor::fromRgba(m_gradient.color(word.shade, QCPRange(0.0, 1.0)));
                word.foreground = contrastingText(word.background);
            }
        }
}

QString SentenceView::titleText() const
{
    if (!m_hasSnapshot)
        return tr("No epoch finished yet");
    if (m_sentences.empty())
        return tr("No probe sentences in this snapshot");
    QString title = tr("Sentiment: attention over the words");
    title += QStringLiteral(" \u00b7 ") +
             (m_snapshot.totalEpochs > 0
                  ? tr("epoch %1 / %2").arg(m_snapshot.epoch).arg(m_snapshot.totalEpochs)
                  : tr("epoch %1").arg(m_snapshot.epoch));
    return title;
}

QString SentenceView::legendText() const
{
    QStringList parts;
    for (const LegendPiece &piece : currentLayout().legend)
        if (piece.kind != LegendPiece::Gradient)
            parts << piece.text;
    return parts.join(QLatin1Char(' '));
}

SentenceView::Layout SentenceView::computeLayout(double width, const QPaintDevice *device) const
{
    Layout l;
    l.width = width;
    const QFont base = font();
    const QFontMetricsF fm(base, device);
    const QFontMetricsF tfm(titleFontOf(base), device);
    const double right = width - kMargin;
    double y = kMargin;

    l.titleRect = QRectF(kMargin, y, std::max(0.0, right - kMargin), tfm.height());
    y += tfm.height() + 6.0;

    // Legend: pieces flow like words and wrap as units.
    if (!m_sentences.empty()) {
        std::vector<LegendPiece> pieces;
        if (m_hasAttention) {
            pieces.push_back({LegendPiece::Muted, tr("attention weight"), {}});
            pieces.push_back({LegendPiece::Text, QStringLiteral("0"), {}});
            pieces.push_back({LegendPiece::Gradient, QString(), {}});
            pieces.push_back({LegendPiece::Text,
                              m_scaleToRowMax ? tr("sentence max") : QStringLiteral("1"), {}});
            pieces.push_back({LegendPiece::Muted,
                              m_scaleToRowMax
                                  ? tr("(shading scaled to each sentence's largest word weight)")
                                  : tr("(shading on the fixed 0..1 scale)"),
                              {}});
        } else {
            pieces.push_back(
                {LegendPiece::Muted, tr("no attention weights (model without attention)"), {}});
        }
        bool anyPrediction = false;
        for (const Sentence &s : m_sentences)
            anyPrediction = anyPrediction || s.hasPrediction;
        if (anyPrediction)
            pieces.push_back({LegendPiece::Wrong, kWrongMark + QLatin1Char(' ') +
                                                      tr("wrong prediction"), {}});
        double x = kMargin;
        const double h = fm.height();
        for (LegendPiece &piece : pieces) {
            const double w = piece.kind == LegendPiece::Gradient ? kGradientWidth
                                                                 : fm.horizontalAdvance(piece.text);
            if (x + w > right && x > kMargin) {
                x = kMargin;
                y += h + 2.0;
            }
            piece.rect = QRectF(x, y, w, h);
            x += w + (piece.kind == LegendPiece::Muted ? 14.0 : 6.0);
        }
        l.legend = std::move(pieces);
        y += h + 12.0;
    }

    if (m_sentences.empty()) {
        l.height = y + kMargin;
        return l;
    }

    // Columns: sample number | words | prediction (or prediction under the words).
    const double lineH = fm.height() + 2.0 * kPadY;
    const double indexW = fm.horizontalAdvance(QString::number(m_sentences.size() - 1)) + 2.0;
    double predW = 0.0;
    for (const Sentence &s : m_sentences) {
        if (s.hasPrediction)
            predW = std::max(predW, fm.horizontalAdvance(kWrongMark + QLatin1Char(' ') +
                                                         s.prediction));
        if (s.paddingSteps > 0 && m_hasAttention)
            predW = std::max(predW, fm.horizontalAdvance(paddingText(s)));
    }
    const double wordsLeft = kMargin + indexW + 10.0;
    double wordsRight = predW > 0.0 ? right - predW - kColumnGap : right;
    const bool stacked = wordsRight - wordsLeft < kMinWordsWidth;
    if (stacked)
        wordsRight = right;

    for (std::size_t si = 0; si < m_sentences.size(); ++si) {
        const Sentence &s = m_sentences[si];
        const double top = y;
        double x = wordsLeft;
        double lineTop = top;
        std::vector<QRectF> rects;
        for (const Word &w : s.words) {
            const double bw = fm.horizontalAdvance(w.text) + 2.0 * kPadX;
            if (x + bw > wordsRight && x > wordsLeft) {
                x = wordsLeft;
                lineTop += lineH + kGapY;
            }
            rects.emplace_back(x, lineTop, bw, lineH);
            x += bw + kGapX;
        }
        l.wordRects.push_back(std::move(rects));
        l.indexRects.emplace_back(kMargin, top, indexW, lineH);
        double bottom = lineTop + lineH;

        const double predLeft = stacked ? wordsLeft : right - predW;
        double predTop = stacked ? bottom + kGapY : top;
        const double predWidth = stacked ? right - wordsLeft : predW;
        QRectF predRect;
        QRectF padRect;
        if (s.hasPrediction) {
            predRect = QRectF(predLeft, predTop, predWidth, lineH);
            predTop += lineH;
        }
        if (s.paddingSteps > 0 && m_hasAttention)
            padRect = QRectF(predLeft, predTop, predWidth, fm.height());
        l.predictionRects.push_back(predRect);
        l.paddingRects.push_back(padRect);
        for (const QRectF &r : {predRect, padRect})
            if (!r.isNull())
                bottom = std::max(bottom, r.bottom());
        y = bottom;
        if (si + 1 < m_sentences.size()) {
            l.separators.push_back(y + kRowGap / 2.0);
            y += kRowGap;
        }
    }
    l.height = y + kMargin;
    return l;
}

QString SentenceView::paddingText(const Sentence &s) const
{
    return tr("weight %1 on %2 hidden padding steps").arg(s.paddingWeight, 0, 'f', 2).arg(s.paddingSteps);
}

void SentenceView::paintLayout(QPainter &p, const Layout &l) const
{
    const PlotTheme theme = PlotTheme::forDark(m_dark);
    const QFont base = font();
    p.setRenderHint(QPainter::Antialiasing, true);
    p.setRenderHint(QPainter::TextAntialiasing, true);

    p.setFont(titleFontOf(base));
    p.setPen(m_sentences.empty() ? theme.muted : theme.foreground);
    p.drawText(l.titleRect, Qt::AlignLeft | Qt::AlignVCenter, titleText());

    p.setFont(base);
    for (const LegendPiece &piece : l.legend) {
        switch (piece.kind) {
        case LegendPiece::Gradient: {
            const QRectF bar = piece.rect.adjusted(0.0, 3.0, 0.0, -3.0);
            QLinearGradient g(bar.topLeft(), bar.topRight());
            QCPColorGradient cg = m_gradient;
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
    for (std::size_t si = 0; si < m_sentences.size() && si < l.wordRects.size(); ++si) {
        const Sentence &s = m_sentences[si];
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
                const QString mark = kWrongMark + QLatin1Char(' ');
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
            p.drawText(pad, Qt::AlignLeft | Qt::AlignVCenter, paddingText(s));
        }
    }
}

const SentenceView::Layout &SentenceView::currentLayout() const
{
    const double width = double(viewport()->width());
    if (!m_layoutValid || m_layout.width != width) {
        m_layout = computeLayout(width, viewport());
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
    return int(m_sentences.size());
}

const SentenceView::Word *SentenceView::word(int row, int i) const
{
    if (row < 0 || row >= sentenceCount())
        return nullptr;
    const Sentence &s = m_sentences[std::size_t(row)];
    if (i < 0 || i >= int(s.words.size()))
        return nullptr;
    return &s.words[std::size_t(i)];
}

QStringList SentenceView::words(int row) const
{
    QStringList list;
    if (row >= 0 && row < sentenceCount())
        for (const Word &w : m_sentences[std::size_t(row)].words)
            list << w.text;
    return list;
}

int SentenceView::wordStep(int row, int i) const
{
    const Word *w = word(row, i);
    return w ? w->step : -1;
}

double SentenceView::wordWeight(int row, int i) const
{
    const Word *w = word(row, i);
    return w ? w->weight : kNaN;
}

double SentenceView::wordShade(int row, int i) const
{
    const Word *w = word(row, i);
    return w ? w->shade : kNaN;
}

QColor SentenceView::wordBackground(int row, int i) const
{
    const Word *w = word(row, i);
    return w ? w->background : QColor();
}

QColor SentenceView::wordForeground(int row, int i) const
{
    const Word *w = word(row, i);
    if (!w)
        return {};
    return w->foreground.isValid() ? w->foreground : PlotTheme::forDark(m_dark).foreground;
}

QRectF SentenceView::wordRect(int row, int i) const
{
    if (!word(row, i))
        return {};
    return currentLayout().wordRects[std::size_t(row)][std::size_t(i)];
}

QString SentenceView::wordToolTip(int row, int i) const
{
    const Word *w = word(row, i);
    if (!w)
        return {};
    QStringList lines;
    lines << QStringLiteral("\u201c%1\u201d").arg(w->text)
          << tr("sample %1, time step %2").arg(m_sentences[std::size_t(row)].row).arg(w->step);
    if (std::isfinite(w->weight)) {
        lines << tr("attention weight %1").arg(w->weight, 0, 'f', 4);
        double rowMax = 0.0;
        for (const Word &other : m_sentences[std::size_t(row)].words)
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
    const Sentence &s = m_sentences[std::size_t(row)];
    if (!s.hasPrediction)
        return {};
    return s.wrong ? kWrongMark + QLatin1Char(' ') + s.prediction : s.prediction;
}

bool SentenceView::isWrong(int row) const
{
    return row >= 0 && row < sentenceCount() && m_sentences[std::size_t(row)].wrong;
}

int SentenceView::fittedHeight(int width) const
{
    QImage probe(1, 1, QImage::Format_ARGB32_Premultiplied); // 96 dpi, like the exports
    return int(std::ceil(computeLayout(double(width), &probe).height));
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
        const Layout l = computeLayout(double(width), &image);
        QPainter p(&image);
        p.scale(scale, scale);
        paintLayout(p, l);
    }
    const int dotsPerMeter = int(std::lround(96.0 * scale / 0.0254));
    image.setDotsPerMeterX(dotsPerMeter);
    image.setDotsPerMeterY(dotsPerMeter);
    return image;
}

bool SentenceView::savePng(const QString &path, int width, int height, double scale) const
{
    return toImage(width, height, scale).save(path, "PNG");
}

bool SentenceView::savePdf(const QString &path, int width, int height) const
{
    if (width <= 0)
        width = viewport()->width();
    if (height <= 0)
        height = fittedHeight(width);
    QPdfWriter writer(path);
    writer.setCreator(QStringLiteral("Attention Studio"));
    writer.setTitle(titleText());
    writer.setResolution(96); // one device unit = one logical pixel of the view
    writer.setPageMargins(QMarginsF(0, 0, 0, 0));
    if (!writer.setPageSize(QPageSize(QSizeF(width / 96.0, height / 96.0), QPageSize::Inch)))
        return false;
    QPainter p;
    if (!p.begin(&writer))
        return false;
    p.fillRect(QRectF(0, 0, width, height), PlotTheme::forDark(m_dark).background);
    paintLayout(p, computeLayout(double(width), &writer));
    return p.end();
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
