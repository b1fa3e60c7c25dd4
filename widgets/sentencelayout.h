// SPDX-License-Identifier: GPL-3.0-or-later
// SentenceLayout: what SentenceView shows, without the widget. Once per snapshot the probe
// sentences become words with their weights, shades and colours (Sentence/Word); once per width
// Geometry places them: a flow of word boxes per sentence between the sample number on the left
// and the prediction column on the right (or the prediction under the words when the page is
// narrow), the legend above. Measured with QFontMetricsF on the paint device that will draw it.
#pragma once

#include "core/snapshot/snapshot.h"
#include "widgets/colormap.h"
#include "widgets/weightscale.h"

#include <QColor>
#include <QCoreApplication>
#include <QFont>
#include <QRectF>
#include <QString>

#include <qcustomplot.h>

#include <vector>

class QPaintDevice;

namespace attn {

class SentenceLayout {
    Q_DECLARE_TR_FUNCTIONS(SentenceLayout)

public:
    struct Word {
        int step = 0;
        QString text;
        double weight = 0.0; // NaN without attention
        double shade = 0.0;
        QColor background;
        QColor foreground; // invalid: the page's text colour
    };
    struct Sentence {
        int row = 0;
        std::vector<Word> words;
        QString prediction; // without the wrong mark
        bool hasPrediction = false;
        bool wrong = false;
        double paddingWeight = 0.0; // attention on the hidden padding steps
        int paddingSteps = 0;
        double uniformWeight = 0.0; // 1 / (words shown): the weight of uniform attention
    };
    struct LegendPiece {
        enum Kind { Text, Muted, Gradient, Wrong } kind = Text;
        QString text;
        QRectF rect;
    };
    /// Geometry at one width, in logical pixels.
    struct Geometry {
        double width = 0.0;
        double height = 0.0;
        QRectF titleRect;
        std::vector<LegendPiece> legend;
        std::vector<std::vector<QRectF>> wordRects; // [sentence][word]
        std::vector<QRectF> indexRects;             // the sample number
        std::vector<QRectF> predictionRects;
        std::vector<QRectF> paddingRects;           // "weight on padding" note
        std::vector<QRectF> uniformRects;           // "uniform 1/L = ..." note (null: none)
        std::vector<double> separators;             // y of the rules between sentences
    };

    /// Page margin around the content, logical pixels.
    static constexpr double kMargin = 12.0;

    SentenceLayout();

    /// The sentences of s.probeTokens ((R, T) words, "" = padding, hidden) shaded by
    /// s.attention ((R, T); may be empty: words unshaded), with s.probePredictions (R
    /// probabilities of "positive") and s.probeTargets (R labels 0/1) where present.
    void setSnapshot(const EpochSnapshot &s);
    /// No snapshot: no sentences, the "no epoch finished yet" title.
    void clear();
    /// One colour scale shared by all sentences: a word's shade is its weight on 0..1 (Fixed,
    /// the default) or its weight over the largest word weight of all sentences shown
    /// (LargestWeight), never over its own sentence's maximum, so a weight w has the same shade
    /// in every sentence. Rebuilds the sentences.
    void setWeightScale(const WeightScale &scale);
    const WeightScale &weightScale() const;
    /// The top of the shared scale for the sentences shown: 1, or their largest word weight.
    double scaleTop() const;
    /// Colour map of the word backgrounds (and of the legend's gradient); recolours the words.
    void setColorMap(ColorMapKind kind);
    ColorMapKind colorMapKind() const;
    const QCPColorGradient &gradient() const;

    bool hasAttention() const;
    const std::vector<Sentence> &sentences() const;
    /// The i-th word shown of a sentence; nullptr if invalid.
    const Word *word(int row, int i) const;
    /// The title line, e.g. "Sentiment: attention over the words · epoch 7 / 10".
    QString titleText() const;

    /// The sentences, legend and title placed at that width, measured in font base (the title
    /// in titleFont(base)) on device (its dots per inch size the point-sized fonts).
    Geometry compute(double width, const QFont &base, const QPaintDevice *device) const;

    /// The title's font: base, 2 points larger, bold.
    static QFont titleFont(const QFont &base);
    /// "✗", the mark of a wrong prediction.
    static QString wrongMark();
    /// "padding: 12% of the attention (3 hidden steps)".
    static QString paddingText(const Sentence &s);
    /// "uniform 1/7 = 0.143": the weight each word would have under uniform attention.
    static QString uniformText(const Sentence &s);

private:
    void rebuildSentences();
    void recolour();

    EpochSnapshot m_snapshot;
    std::vector<Sentence> m_sentences;
    bool m_hasSnapshot = false;
    bool m_hasAttention = false;
    WeightScale m_weightScale; // fixed 0..1 by default
    double m_top = 1.0;        // top of the shared scale (m_weightScale.top of all word weights)
    ColorMapKind m_colorMapKind = ColorMapKind::Viridis;
    QCPColorGradient m_gradient;
};

} // namespace attn
