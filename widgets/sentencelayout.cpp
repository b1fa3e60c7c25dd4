// SPDX-License-Identifier: GPL-3.0-or-later
// SentenceLayout: the words, weights and colours are derived once per snapshot, the geometry
// once per width (moved here from SentenceView, which paints it). Word text is black or white,
// whichever contrasts more with its background (WCAG 2.1 relative luminance and contrast ratio).
#include "widgets/sentencelayout.h"

#include <QFontMetricsF>
#include <QPaintDevice>

#include <algorithm>
#include <cmath>
#include <limits>

namespace attn {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kPadX = 4.0;      // word box padding, horizontal
constexpr double kPadY = 2.0;      // word box padding, vertical
constexpr double kGapX = 3.0;      // between word boxes
constexpr double kGapY = 4.0;      // between lines of a sentence
constexpr double kRowGap = 14.0;   // between sentences (a rule in the middle)
constexpr double kColumnGap = 18.0; // between the words and the prediction column
constexpr double kMinWordsWidth = 220.0; // narrower: the prediction goes under the words
constexpr double kGradientWidth = 110.0;
const QString kWrongMark = QStringLiteral("\u2717"); // ✗

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

} // namespace

SentenceLayout::SentenceLayout() : m_gradient(colorMapGradient(m_colorMapKind)) {}

void SentenceLayout::setSnapshot(const EpochSnapshot &s)
{
    m_snapshot = s;
    m_hasSnapshot = true;
    rebuildSentences();
}

void SentenceLayout::clear()
{
    m_snapshot = EpochSnapshot{};
    m_hasSnapshot = false;
    rebuildSentences();
}

void SentenceLayout::setWeightScale(const WeightScale &scale)
{
    m_weightScale = scale;
    rebuildSentences();
}

const WeightScale &SentenceLayout::weightScale() const
{
    return m_weightScale;
}

double SentenceLayout::scaleTop() const
{
    return m_top;
}

void SentenceLayout::setColorMap(ColorMapKind kind)
{
    m_colorMapKind = kind;
    m_gradient = colorMapGradient(kind);
    recolour();
}

ColorMapKind SentenceLayout::colorMapKind() const
{
    return m_colorMapKind;
}

const QCPColorGradient &SentenceLayout::gradient() const
{
    return m_gradient;
}

bool SentenceLayout::hasAttention() const
{
    return m_hasAttention;
}

const std::vector<SentenceLayout::Sentence> &SentenceLayout::sentences() const
{
    return m_sentences;
}

const SentenceLayout::Word *SentenceLayout::word(int row, int i) const
{
    if (row < 0 || row >= int(m_sentences.size()))
        return nullptr;
    const Sentence &s = m_sentences[std::size_t(row)];
    if (i < 0 || i >= int(s.words.size()))
        return nullptr;
    return &s.words[std::size_t(i)];
}


void SentenceLayout::rebuildSentences()
{
    const EpochSnapshot &s = m_snapshot;
    m_sentences.clear();
    m_hasAttention = !s.attention.empty();
    for (int r = 0; r < int(s.probeTokens.size()); ++r) {
        Sentence sentence;
        sentence.row = r;
        const std::vector<std::string> &tokens = s.probeTokens[std::size_t(r)];
        for (int t = 0; t < int(tokens.size()); ++t) {
            const double w = m_hasAttention ? s.attention.valueOrNaN(r, t) : kNaN;
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
            sentence.words.push_back(word);
        }
        sentence.uniformWeight = sentence.words.empty() ? kNaN : 1.0 / double(sentence.words.size());
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
    // One scale for all sentences: the largest word weight of any sentence (padding aside).
    double largest = 0.0;
    for (const Sentence &sentence : m_sentences)
        for (const Word &word : sentence.words)
            if (std::isfinite(word.weight))
                largest = std::max(largest, word.weight);
    m_top = m_weightScale.top(largest);
    for (Sentence &sentence : m_sentences)
        for (Word &word : sentence.words)
            word.shade = std::isfinite(word.weight) ? WeightScale::shade(word.weight, m_top) : kNaN;
    recolour();
}

void SentenceLayout::recolour()
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

QString SentenceLayout::titleText() const
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

SentenceLayout::Geometry SentenceLayout::compute(double width, const QFont &base,
                                                  const QPaintDevice *device) const
{
    Geometry l;
    l.width = width;
    const QFontMetricsF fm(base, device);
    const QFontMetricsF tfm(titleFont(base), device);
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
                              m_weightScale.scaled() ? QString::number(m_top, 'g', 2)
                                                     : QStringLiteral("1"),
                              {}});
            pieces.push_back({LegendPiece::Muted,
                              m_weightScale.scaled()
                                  ? tr("(scaled: 0 \u2013 %1, the largest word weight of all "
                                       "sentences)").arg(QString::number(m_top, 'g', 2))
                                  : tr("(shading on the fixed 0..1 scale, shared by all sentences)"),
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
        if (!s.words.empty() && m_hasAttention)
            predW = std::max(predW, fm.horizontalAdvance(uniformText(s)));
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
        QRectF uniformRect;
        if (s.hasPrediction) {
            predRect = QRectF(predLeft, predTop, predWidth, lineH);
            predTop += lineH;
        }
        if (s.paddingSteps > 0 && m_hasAttention) {
            padRect = QRectF(predLeft, predTop, predWidth, fm.height());
            predTop += fm.height();
        }
        if (!s.words.empty() && m_hasAttention)
            uniformRect = QRectF(predLeft, predTop, predWidth, fm.height());
        l.predictionRects.push_back(predRect);
        l.paddingRects.push_back(padRect);
        l.uniformRects.push_back(uniformRect);
        for (const QRectF &r : {predRect, padRect, uniformRect})
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

QString SentenceLayout::paddingText(const Sentence &s)
{
    // The share of the sentence's attention on its (hidden) padding steps: 0% with the padding
    // mask (docs/tasks.md, "Padding mask"), often most of it without.
    const QString steps = s.paddingSteps == 1 ? tr("1 hidden step")
                                              : tr("%1 hidden steps").arg(s.paddingSteps);
    return tr("padding: %1% of the attention (%2)").arg(100.0 * s.paddingWeight, 0, 'f', 0).arg(steps);
}

QString SentenceLayout::uniformText(const Sentence &s)
{
    return tr("uniform 1/%1 = %2").arg(s.words.size()).arg(s.uniformWeight, 0, 'f', 3);
}

QFont SentenceLayout::titleFont(const QFont &base)
{
    QFont f = base;
    f.setPointSizeF(f.pointSizeF() + 2.0);
    f.setBold(true);
    return f;
}

QString SentenceLayout::wrongMark()
{
    return kWrongMark;
}

} // namespace attn
