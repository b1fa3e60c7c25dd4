// SPDX-License-Identifier: GPL-3.0-or-later
// Qt Test of SentenceView: words in order with padding hidden, shaded by weight on one scale shared
// by all sentences (fixed 0..1 or the largest word weight of all), the uniform weight 1/L noted, the heaviest word brightest (also in the rendered pixels), text contrasting with
// its background, prediction text and wrong mark right, tooltips with the exact weight, and PNG
// exports of the asked pixel size at a scale. Runs headless (QT_QPA_PLATFORM=offscreen).
#include "widgets/sentenceview.h"

#include "widgets/plottheme.h"

#include <QApplication>
#include <QDir>
#include <QHelpEvent>
#include <QScrollBar>
#include <QToolTip>
#include <QFileInfo>
#include <QImage>
#include <QStringList>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <random>

using attn::ColorMapKind;
using attn::EpochSnapshot;
using attn::SentenceView;

namespace {

constexpr int kSteps = 32;

struct Line {
    const char *text;
    int label;
    float prediction;
};

// Lines of amazon_cells and yelp (lower-cased, punctuation stripped, as the tokenizer does),
// with made-up predictions: rows 1 and 3 are wrong.
const Line kLines[] = {
    {"wow loved this place", 1, 0.93f},
    {"crust is not good", 0, 0.71f},
    {"not tasty and the texture was just nasty", 0, 0.08f},
    {"stopped by during the late may bank holiday off rick steve recommendation and loved it", 1,
     0.38f},
    {"the selection on the menu was great and so were the prices", 1, 0.91f},
    {"now i am getting angry and i want my damn pho", 0, 0.12f},
    {"good case excellent value", 1, 0.97f},
    {"needless to say i wasted my money", 0, 0.05f},
    {"i advise everyone do not be fooled", 0, 0.44f},
    {"the potatoes were like rubber and you could tell they had been made up ahead of time "
     "being kept under a warmer",
     0, 0.29f},
};

/// A sentiment snapshot: post-padded tokens, softmax attention over the 32 steps with the
/// sentiment-bearing words favoured and some weight left on the padding.
EpochSnapshot sentimentSnapshot()
{
    const QStringList strong{"loved", "good", "nasty", "great", "angry", "excellent", "wasted",
                             "fooled", "not", "rubber"};
    std::mt19937 rng(11);
    std::normal_distribution<double> noise(0.0, 0.4);
    EpochSnapshot s;
    s.epoch = 7;
    s.totalEpochs = 10;
    s.metricName = "accuracy";
    const int rows = int(std::size(kLines));
    s.attention.rows = rows;
    s.attention.cols = kSteps;
    for (const Line &line : kLines) {
        const QStringList words = QString::fromLatin1(line.text).split(' ');
        std::vector<std::string> tokens;
        std::vector<double> e;
        double sum = 0.0;
        for (int t = 0; t < kSteps; ++t) {
            const bool pad = t >= words.size();
            tokens.push_back(pad ? std::string() : words[t].toStdString());
            double score = pad ? -1.0 : noise(rng);
            if (!pad && strong.contains(words[t]))
                score += 2.5;
            e.push_back(std::exp(score));
            sum += e.back();
        }
        for (double v : e)
            s.attention.values.push_back(float(v / sum));
        s.probeTokens.push_back(tokens);
        s.probePredictions.push_back(line.prediction);
        s.probeTargets.push_back(float(line.label));
    }
    return s;
}

double luminance(const QColor &c)
{
    auto lin = [](double v) { return v <= 0.04045 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * lin(c.redF()) + 0.7152 * lin(c.greenF()) + 0.0722 * lin(c.blueF());
}

double contrast(const QColor &a, const QColor &b)
{
    const double la = luminance(a);
    const double lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

int colorDistance(QRgb a, QRgb b)
{
    return std::abs(qRed(a) - qRed(b)) + std::abs(qGreen(a) - qGreen(b)) +
           std::abs(qBlue(a) - qBlue(b));
}

QString sampleDir(QTemporaryDir &tmp)
{
    // ATTN_SAMPLE_PNG_DIR keeps the renders for looking at them; otherwise a temporary dir.
    const QString dir = qEnvironmentVariableIsSet("ATTN_SAMPLE_PNG_DIR")
                            ? qEnvironmentVariable("ATTN_SAMPLE_PNG_DIR")
                            : tmp.path();
    QDir().mkpath(dir);
    return dir;
}

} // namespace

class TestSentenceView : public QObject {
    Q_OBJECT

private slots:
    void wordsInOrderPaddingHidden();
    void shadesAreWeightsOverTheSentenceMax();
    void largestWeightIsBrightest();
    void renderedBackgroundsAreTheWordColours();
    void fixedScaleUsesTheWeights();
    void textContrastsWithItsBackground();
    void predictionText();
    void wrongMarkExactlyWhenWrong();
    void toolTipHasTheExactWeight();
    void toolTipEventFollowsTheScroll();
    void withoutAttentionWordsAreUnshaded();
    void colorMapRecolours();
    void wordsWrapInsideTheWidth();
    void savePngHonoursSizeAndScale();
};

void TestSentenceView::wordsInOrderPaddingHidden()
{
    SentenceView view;
    const EpochSnapshot s = sentimentSnapshot();
    view.setSnapshot(s);
    QCOMPARE(view.sentenceCount(), int(std::size(kLines)));
    for (int r = 0; r < view.sentenceCount(); ++r) {
        const QStringList expected = QString::fromLatin1(kLines[r].text).split(' ');
        QCOMPARE(view.words(r), expected);
        for (int i = 0; i < expected.size(); ++i)
            QCOMPARE(view.wordStep(r, i), i); // post-padding: word i is step i
        QCOMPARE(view.wordStep(r, int(expected.size())), -1);
        // Left to right on a line, then down.
        for (int i = 1; i < expected.size(); ++i) {
            const QRectF a = view.wordRect(r, i - 1);
            const QRectF b = view.wordRect(r, i);
            QVERIFY(b.top() > a.top() || (b.top() == a.top() && b.left() > a.right()));
        }
    }
    QVERIFY(view.words(-1).isEmpty());
    QVERIFY(view.words(10).isEmpty());
}

void TestSentenceView::shadesAreWeightsOverTheSentenceMax()
{
    // Named for what it replaced: the shades now share ONE scale, never a sentence's maximum.
    SentenceView view;
    const EpochSnapshot s = sentimentSnapshot();
    view.setSnapshot(s);
    QVERIFY(!view.weightScale().scaled()); // fixed 0..1 by default
    QCOMPARE(view.scaleTop(), 1.0);
    double largest = 0.0;
    for (int r = 0; r < view.sentenceCount(); ++r) {
        QCOMPARE(view.uniformWeight(r), 1.0 / double(view.words(r).size()));
        for (int i = 0; i < view.words(r).size(); ++i) {
            QCOMPARE(view.wordWeight(r, i), double(s.attention.at(r, view.wordStep(r, i))));
            QVERIFY(std::abs(view.wordShade(r, i) - view.wordWeight(r, i)) < 1e-12);
            largest = std::max(largest, view.wordWeight(r, i));
        }
    }
    QVERIFY2(view.legendText().contains("fixed 0..1 scale, shared by all sentences"),
             qPrintable(view.legendText()));

    view.setWeightScale({attn::WeightScale::Mode::LargestWeight});
    QCOMPARE(view.scaleTop(), largest);
    for (int r = 0; r < view.sentenceCount(); ++r)
        for (int i = 0; i < view.words(r).size(); ++i)
            QVERIFY(std::abs(view.wordShade(r, i) - view.wordWeight(r, i) / largest) < 1e-12);
    QVERIFY2(view.legendText().contains("largest word weight of all sentences"),
             qPrintable(view.legendText()));
    QVERIFY(view.legendText().contains(QStringLiteral("scaled: 0 \u2013 ")));
}

void TestSentenceView::largestWeightIsBrightest()
{
    for (ColorMapKind kind : {ColorMapKind::Viridis, ColorMapKind::Magma, ColorMapKind::Grayscale}) {
        for (bool scaled : {true, false}) {
            SentenceView view;
            view.setColorMap(kind);
            view.setWeightScale({scaled ? attn::WeightScale::Mode::LargestWeight
                                        : attn::WeightScale::Mode::Fixed});
            view.setSnapshot(sentimentSnapshot());
            for (int r = 0; r < view.sentenceCount(); ++r) {
                int heaviest = 0;
                int brightest = 0;
                for (int i = 1; i < view.words(r).size(); ++i) {
                    if (view.wordWeight(r, i) > view.wordWeight(r, heaviest))
                        heaviest = i;
                    if (luminance(view.wordBackground(r, i)) >
                        luminance(view.wordBackground(r, brightest)))
                        brightest = i;
                }
                QVERIFY2(heaviest == brightest,
                         qPrintable(QStringLiteral("row %1: heaviest %2, brightest %3")
                                        .arg(r).arg(heaviest).arg(brightest)));
            }
        }
    }
}

void TestSentenceView::renderedBackgroundsAreTheWordColours()
{
    SentenceView view;
    view.resize(900, 1200); // tall enough for no scroll bar: the viewport is 900 wide
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setSnapshot(sentimentSnapshot());
    QCOMPARE(view.viewport()->width(), 900);
    const QImage image = view.toImage(0, 0, 1.0);
    QCOMPARE(image.width(), 900);
    QCOMPARE(image.height(), view.fittedHeight(900));
    for (int r = 0; r < view.sentenceCount(); ++r)
        for (int i = 0; i < view.words(r).size(); ++i) {
            // Inside the box's left padding, half-way down: background only, no glyph.
            const QRectF rect = view.wordRect(r, i);
            const QPoint p(int(rect.left() + 2.0), int(rect.center().y()));
            QVERIFY(rect.bottom() <= image.height());
            QVERIFY2(colorDistance(image.pixel(p), view.wordBackground(r, i).rgb()) <= 6,
                     qPrintable(QStringLiteral("row %1 word %2").arg(r).arg(i)));
        }
    // At scale 2 the same layout is drawn twice as large.
    const QImage two = view.toImage(0, 0, 2.0);
    QCOMPARE(two.size(), image.size() * 2);
    const QRectF rect = view.wordRect(6, 2);
    QVERIFY(colorDistance(two.pixel(int(2 * rect.left() + 4), int(2 * rect.center().y())),
                          view.wordBackground(6, 2).rgb()) <= 6);
}

void TestSentenceView::fixedScaleUsesTheWeights()
{
    SentenceView view;
    const EpochSnapshot s = sentimentSnapshot();
    view.setSnapshot(s);
    const QColor fixedColour = view.wordBackground(6, 2);
    for (int r = 0; r < view.sentenceCount(); ++r)
        for (int i = 0; i < view.words(r).size(); ++i)
            QCOMPARE(view.wordShade(r, i), double(s.attention.at(r, i)));
    QVERIFY(!view.legendText().contains("scaled"));
    // The weights are below 1, so the same word is drawn brighter on the scaled scale.
    view.setWeightScale({attn::WeightScale::Mode::LargestWeight});
    QVERIFY(luminance(view.wordBackground(6, 2)) > luminance(fixedColour));
}

void TestSentenceView::textContrastsWithItsBackground()
{
    SentenceView view;
    view.setSnapshot(sentimentSnapshot());
    bool sawBlack = false;
    bool sawWhite = false;
    for (int r = 0; r < view.sentenceCount(); ++r)
        for (int i = 0; i < view.words(r).size(); ++i) {
            const QColor fg = view.wordForeground(r, i);
            const QColor bg = view.wordBackground(r, i);
            // Black or white, whichever contrasts more: never below WCAG AA's 4.5.
            QVERIFY(fg == QColor(Qt::black) || fg == QColor(Qt::white));
            const QColor other = fg == QColor(Qt::black) ? QColor(Qt::white) : QColor(Qt::black);
            QVERIFY(contrast(fg, bg) >= contrast(other, bg));
            QVERIFY(contrast(fg, bg) >= 4.5);
            sawBlack = sawBlack || fg == QColor(Qt::black);
            sawWhite = sawWhite || fg == QColor(Qt::white);
        }
    QVERIFY(sawBlack && sawWhite); // viridis: white on the dark end, black on the bright end
}

void TestSentenceView::predictionText()
{
    SentenceView view;
    view.setSnapshot(sentimentSnapshot());
    QCOMPARE(view.predictionText(4), QStringLiteral("pred 0.91 \u2192 positive \u00b7 true: positive"));
    QCOMPARE(view.predictionText(7), QStringLiteral("pred 0.05 \u2192 negative \u00b7 true: negative"));
    QCOMPARE(view.predictionText(1),
             QStringLiteral("\u2717 pred 0.71 \u2192 positive \u00b7 true: negative"));
    QVERIFY(view.predictionText(10).isEmpty());

    // Without targets only the prediction; without predictions nothing.
    EpochSnapshot s = sentimentSnapshot();
    s.probeTargets.clear();
    s.probePredictions.resize(5);
    view.setSnapshot(s);
    QCOMPARE(view.predictionText(4), QStringLiteral("pred 0.91 \u2192 positive"));
    QVERIFY(!view.isWrong(1));
    QVERIFY(view.predictionText(5).isEmpty());
}

void TestSentenceView::wrongMarkExactlyWhenWrong()
{
    SentenceView view;
    const EpochSnapshot s = sentimentSnapshot();
    view.setSnapshot(s);
    int wrong = 0;
    for (int r = 0; r < view.sentenceCount(); ++r) {
        const bool expected = (s.probePredictions[r] >= 0.5f) != (s.probeTargets[r] >= 0.5f);
        QCOMPARE(view.isWrong(r), expected);
        QCOMPARE(view.predictionText(r).contains(QStringLiteral("\u2717")), expected);
        wrong += expected ? 1 : 0;
    }
    QCOMPARE(wrong, 2);
    QVERIFY(view.legendText().contains(QStringLiteral("\u2717 wrong prediction")));
}

void TestSentenceView::toolTipHasTheExactWeight()
{
    SentenceView view;
    view.resize(900, 1200);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    const EpochSnapshot s = sentimentSnapshot();
    view.setSnapshot(s);
    const QString tip = view.wordToolTip(6, 2);
    QVERIFY2(tip.contains(QStringLiteral("\u201cexcellent\u201d")), qPrintable(tip));
    QVERIFY(tip.contains("sample 6, time step 2"));
    QVERIFY(tip.contains(QStringLiteral("attention weight %1").arg(s.attention.at(6, 2), 0, 'f', 4)));
    int row = -1;
    int i = -1;
    QVERIFY(view.wordAt(view.wordRect(6, 2).center(), &row, &i));
    QCOMPARE(row, 6);
    QCOMPARE(i, 2);
    QVERIFY(!view.wordAt(QPointF(1, 1), &row, &i));
    QVERIFY(view.wordToolTip(6, 99).isEmpty());
}

void TestSentenceView::toolTipEventFollowsTheScroll()
{
    SentenceView view;
    view.resize(700, 200); // shorter than the content: scrolls
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setSnapshot(sentimentSnapshot());
    QVERIFY(view.verticalScrollBar()->maximum() > 0);
    view.verticalScrollBar()->setValue(view.verticalScrollBar()->maximum());
    const int offset = view.verticalScrollBar()->value();
    const QRectF word = view.wordRect(9, 1); // "potatoes", near the end
    const QPoint inViewport = word.center().toPoint() - QPoint(0, offset);
    QVERIFY(view.viewport()->rect().contains(inViewport));
    QHelpEvent help(QEvent::ToolTip, inViewport, view.viewport()->mapToGlobal(inViewport));
    QApplication::sendEvent(view.viewport(), &help);
    QTRY_COMPARE(QToolTip::text(), view.wordToolTip(9, 1));
    QVERIFY(QToolTip::text().contains(QStringLiteral("\u201cpotatoes\u201d")));
    QToolTip::hideText();
}

void TestSentenceView::withoutAttentionWordsAreUnshaded()
{
    SentenceView view;
    EpochSnapshot s = sentimentSnapshot();
    s.attention = attn::Grid{}; // the no-attention baseline
    view.setSnapshot(s);
    QCOMPARE(view.words(0), QStringList({"wow", "loved", "this", "place"}));
    QCOMPARE(view.wordBackground(0, 1).alpha(), 0);
    QVERIFY(std::isnan(view.wordWeight(0, 1)));
    QCOMPARE(view.wordForeground(0, 1), attn::PlotTheme::light().foreground);
    QVERIFY(view.legendText().contains("no attention weights"));
    QVERIFY(view.toImage(600, 0, 1.0).width() == 600);
}

void TestSentenceView::colorMapRecolours()
{
    SentenceView view;
    view.setSnapshot(sentimentSnapshot());
    const QColor viridis = view.wordBackground(6, 2);
    view.setColorMap(ColorMapKind::Magma);
    QCOMPARE(view.colorMapKind(), ColorMapKind::Magma);
    QVERIFY(view.wordBackground(6, 2) != viridis);
    QCOMPARE(view.wordBackground(6, 2).rgb(),
             QColor::fromRgba(attn::colorMapGradient(ColorMapKind::Magma)
                                  .color(view.wordShade(6, 2), QCPRange(0.0, 1.0)))
                 .rgb());
}

void TestSentenceView::wordsWrapInsideTheWidth()
{
    SentenceView view;
    view.resize(420, 3000);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setSnapshot(sentimentSnapshot());
    const int width = view.viewport()->width();
    const int last = int(view.words(9).size()) - 1;
    QVERIFY(view.wordRect(9, last).top() > view.wordRect(9, 0).top()); // the long line wraps
    for (int r = 0; r < view.sentenceCount(); ++r)
        for (int i = 0; i < view.words(r).size(); ++i)
            QVERIFY(view.wordRect(r, i).right() <= width);
    // Sentences do not overlap.
    for (int r = 1; r < view.sentenceCount(); ++r)
        QVERIFY(view.wordRect(r, 0).top() >
                view.wordRect(r - 1, int(view.words(r - 1).size()) - 1).bottom());
    QVERIFY(view.fittedHeight(width) >= int(view.wordRect(9, last).bottom()));
}

void TestSentenceView::savePngHonoursSizeAndScale()
{
    QTemporaryDir tmp;
    const QString dir = sampleDir(tmp);
    SentenceView view;
    view.resize(960, 700);
    view.setSnapshot(sentimentSnapshot());
    const int fitted = view.fittedHeight(960);
    struct Case {
        const char *name;
        int w, h;
        double scale;
        QSize expected;
        bool dark;
        bool scaled;
    };
    const Case cases[] = {{"sentence-rowmax.png", 960, 0, 1.0, {960, fitted}, false, true},
                          {"sentence-rowmax-2x.png", 960, 0, 2.0, {1920, 2 * fitted}, false, true},
                          {"sentence-fixed-dark.png", 960, 0, 1.0, {960, fitted}, true, false},
                          {"sentence-narrow.png", 480, 700, 1.0, {480, 700}, false, true},
                          {"sentence-odd.png", 333, 201, 1.5, {500, 302}, false, true}};
    for (const Case &c : cases) {
        view.setDark(c.dark);
        view.setWeightScale({c.scaled ? attn::WeightScale::Mode::LargestWeight
                                      : attn::WeightScale::Mode::Fixed});
        const QString path = dir + QLatin1Char('/') + QLatin1String(c.name);
        QVERIFY(view.savePng(path, c.w, c.h, c.scale));
        QImage image;
        QVERIFY(image.load(path));
        QCOMPARE(image.size(), c.expected);
        QVERIFY(std::abs(image.dotsPerMeterX() - 96.0 * c.scale / 0.0254) < 50.0); // 96*scale dpi
        QCOMPARE(QColor(image.pixel(1, 1)), attn::PlotTheme::forDark(c.dark).background);
    }
    QVERIFY(!view.savePng(dir + "/no/such/dir/x.png", 100, 100));
    QVERIFY(view.savePdf(dir + "/sentence.pdf", 800, 0));
    QVERIFY(QFileInfo(dir + "/sentence.pdf").size() > 1000);
}

QTEST_MAIN(TestSentenceView)
#include "tst_sentenceview.moc"
