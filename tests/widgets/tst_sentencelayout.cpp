// SPDX-License-Identifier: GPL-3.0-or-later
// Qt Test of SentenceLayout without a widget: padding hidden and its weight noted, shades over the
// sentence maximum, prediction text; word boxes in reading order inside the page margins, one
// line when wide, wrapped and with the prediction under the words when narrow, a rule between
// sentences. Measured on a 96 dpi QImage, like the exports; runs headless.
#include "widgets/sentencelayout.h"

#include <QApplication>
#include <QImage>
#include <QTest>

#include <vector>

using attn::EpochSnapshot;
using attn::SentenceLayout;

namespace {

/// Two sentences over T = 6 steps, post-padded: "good food here" (weights
/// 0.2, 0.5, 0.1; 0.2 on 3 padding steps) and "very slow service today" (0.1 each; 0.6 on 2).
EpochSnapshot snapshot()
{
    EpochSnapshot s;
    s.epoch = 2;
    s.totalEpochs = 5;
    s.probeTokens = {{"good", "food", "here", "", "", ""},
                     {"very", "slow", "service", "today", "", ""}};
    s.attention.rows = 2;
    s.attention.cols = 6;
    s.attention.values = {0.2f, 0.5f, 0.1f, 0.1f, 0.1f, 0.0f, 0.1f, 0.1f, 0.1f, 0.1f, 0.3f, 0.3f};
    s.probePredictions = {0.9f, 0.8f};
    s.probeTargets = {1.0f, 0.0f};
    return s;
}

} // namespace

class TestSentenceLayout : public QObject {
    Q_OBJECT

private slots:
    void wordsShadesAndPredictions();
    void wideLayoutOneLinePerSentence();
    void narrowLayoutWrapsAndStacks();
    void sameWeightSameShadeInEverySentence();
};

void TestSentenceLayout::wordsShadesAndPredictions()
{
    SentenceLayout layout;
    QVERIFY(layout.sentences().empty());
    layout.setSnapshot(snapshot());
    QVERIFY(layout.hasAttention());
    const std::vector<SentenceLayout::Sentence> &sentences = layout.sentences();
    QCOMPARE(int(sentences.size()), 2);
    QCOMPARE(int(sentences[0].words.size()), 3);
    QCOMPARE(sentences[1].words[2].text, QStringLiteral("service"));
    QCOMPARE(sentences[1].words[2].step, 2);
    QCOMPARE(sentences[0].paddingSteps, 3);
    QVERIFY(std::abs(sentences[1].paddingWeight - 0.6) < 1e-6);
    // The fixed 0..1 scale by default: the shade is the weight.
    QVERIFY(std::abs(sentences[0].words[0].shade - 0.2) < 1e-6);
    QVERIFY(std::abs(sentences[0].words[1].shade - 0.5) < 1e-6);
    QCOMPARE(layout.scaleTop(), 1.0);
    // The uniform weight 1/L of each sentence.
    QCOMPARE(sentences[0].uniformWeight, 1.0 / 3.0);
    QCOMPARE(sentences[1].uniformWeight, 1.0 / 4.0);
    QCOMPARE(SentenceLayout::uniformText(sentences[0]), QStringLiteral("uniform 1/3 = 0.333"));
    QCOMPARE(SentenceLayout::paddingText(sentences[1]), QString("padding: 60% of the attention (2 hidden steps)"));
    QVERIFY(!sentences[0].wrong);
    QVERIFY(sentences[1].wrong);
    QCOMPARE(sentences[1].prediction, QStringLiteral("pred 0.80 \u2192 positive \u00b7 true: negative"));
    QVERIFY(layout.word(1, 4) == nullptr);
    QCOMPARE(layout.word(0, 1)->text, QStringLiteral("food"));

    // Scaled: one top for both sentences, the largest word weight of all (0.5), not each
    // sentence's own maximum (0.5 and 0.1).
    layout.setWeightScale({attn::WeightScale::Mode::LargestWeight});
    QVERIFY(std::abs(layout.scaleTop() - 0.5) < 1e-6);
    QVERIFY(std::abs(layout.sentences()[0].words[0].shade - 0.4) < 1e-6); // 0.2 / 0.5
    QCOMPARE(layout.sentences()[0].words[1].shade, 1.0);
    QCOMPARE(layout.titleText(), QStringLiteral("Sentiment: attention over the words \u00b7 epoch 2 / 5"));
    layout.clear();
    QVERIFY(layout.sentences().empty());
    QCOMPARE(layout.titleText(), QStringLiteral("No epoch finished yet"));
}

void TestSentenceLayout::wideLayoutOneLinePerSentence()
{
    SentenceLayout layout;
    layout.setSnapshot(snapshot());
    const QImage device(1, 1, QImage::Format_ARGB32_Premultiplied);
    const double width = 1200.0;
    const SentenceLayout::Geometry g = layout.compute(width, QApplication::font(), &device);
    QCOMPARE(g.width, width);
    QCOMPARE(int(g.wordRects.size()), 2);
    QCOMPARE(int(g.separators.size()), 1);
    QVERIFY(!g.legend.empty());
    for (std::size_t si = 0; si < g.wordRects.size(); ++si) {
        const std::vector<QRectF> &rects = g.wordRects[si];
        for (std::size_t wi = 0; wi < rects.size(); ++wi) {
            QCOMPARE(rects[wi].top(), rects.front().top()); // one line
            QVERIFY(rects[wi].left() >= SentenceLayout::kMargin);
            if (wi > 0)
                QVERIFY(rects[wi].left() > rects[wi - 1].right()); // in order, apart
        }
        // The prediction column is to the right of the words, on the first line.
        QVERIFY(g.predictionRects[si].left() > rects.back().right());
        QVERIFY(g.predictionRects[si].right() <= width - SentenceLayout::kMargin + 1e-9);
        QCOMPARE(g.predictionRects[si].top(), rects.front().top());
        // The uniform weight 1/L is noted in the same column, under the prediction.
        QVERIFY(!g.uniformRects[si].isNull());
        QVERIFY(g.uniformRects[si].top() >= g.predictionRects[si].bottom());
        QCOMPARE(g.uniformRects[si].left(), g.predictionRects[si].left());
    }
    QVERIFY(g.separators[0] > g.wordRects[0].front().bottom());
    QVERIFY(g.separators[0] < g.wordRects[1].front().top());
}

void TestSentenceLayout::narrowLayoutWrapsAndStacks()
{
    SentenceLayout layout;
    layout.setSnapshot(snapshot());
    const QImage device(1, 1, QImage::Format_ARGB32_Premultiplied);
    const QFont font = QApplication::font();
    const SentenceLayout::Geometry wide = layout.compute(1200.0, font, &device);
    const double width = 160.0;
    const SentenceLayout::Geometry g = layout.compute(width, font, &device);
    QVERIFY(g.height > wide.height);
    const std::vector<QRectF> &rects = g.wordRects[1];
    QVERIFY(rects.back().top() > rects.front().top()); // wrapped onto a second line
    for (const QRectF &r : rects)
        QVERIFY(r.right() <= width - SentenceLayout::kMargin || r.left() == rects.front().left());
    // Too narrow for a prediction column: the prediction goes under the words.
    QVERIFY(g.predictionRects[1].top() >= rects.back().bottom());
    QCOMPARE(g.predictionRects[1].left(), rects.front().left());
}

void TestSentenceLayout::sameWeightSameShadeInEverySentence()
{
    // "here" (sentence 0, maximum 0.5) and "very" (sentence 1, maximum 0.1) both weigh 0.1.
    SentenceLayout layout;
    layout.setSnapshot(snapshot());
    for (auto mode : {attn::WeightScale::Mode::Fixed, attn::WeightScale::Mode::LargestWeight}) {
        layout.setWeightScale({mode});
        const SentenceLayout::Word *here = layout.word(0, 2);
        const SentenceLayout::Word *very = layout.word(1, 0);
        QVERIFY(std::abs(here->weight - 0.1) < 1e-6 && std::abs(very->weight - 0.1) < 1e-6);
        QCOMPARE(here->shade, very->shade);
        QCOMPARE(here->background, very->background);
        QVERIFY(very->shade < 0.5); // not its own sentence's maximum (it would be 1)
    }
}

QTEST_MAIN(TestSentenceLayout)
#include "tst_sentencelayout.moc"
