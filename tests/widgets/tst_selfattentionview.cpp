// SPDX-License-Identifier: GPL-3.0-or-later
// Qt Test of SelfAttentionView: the colour map holds the chosen head's (T, T) map of the chosen
// probe row, the "mean of heads" is the element-wise mean, the selectors list K heads and R
// samples and follow shape changes, query 0 is drawn at the top with square cells on a fixed
// 0..1 scale, words label the steps when there are tokens, and PNG exports have the asked pixel
// size at a scale. Runs headless (QT_QPA_PLATFORM=offscreen).
#include "widgets/selfattentionview.h"

#include "widgets/plottheme.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QDir>
#include <QImage>
#include <QPixmap>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <random>

using attn::EpochSnapshot;
using attn::Grid;
using attn::SelfAttentionView;

namespace {

/// A self-attention snapshot of R probe rows, K heads, T steps, causal (history-only): head 0
/// looks one step back, head 1 at itself, head 2 at the row's largest input so far, further
/// heads spread over the history. Rows of every map sum to 1.
EpochSnapshot selfAttentionSnapshot(int R, int K, int T, unsigned seed = 3)
{
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> input(0.0, 1.0);
    std::normal_distribution<double> noise(0.0, 0.3);
    EpochSnapshot s;
    s.epoch = 5;
    s.totalEpochs = 10;
    s.headMaps.resize(std::size_t(R));
    for (int r = 0; r < R; ++r) {
        std::vector<double> x(static_cast<std::size_t>(T));
        for (double &v : x)
            v = input(rng);
        for (int k = 0; k < K; ++k) {
            Grid map;
            map.rows = map.cols = T;
            for (int q = 0; q < T; ++q) {
                int best = 0;
                for (int j = 1; j <= q; ++j)
                    if (x[std::size_t(j)] > x[std::size_t(best)])
                        best = j;
                std::vector<double> e(std::size_t(T), 0.0);
                double sum = 0.0;
                for (int j = 0; j <= q; ++j) { // causal: keys after the query get no weight
                    double score = noise(rng);
                    if (k == 0 && j == std::max(q - 1, 0))
                        score += 3.0;
                    if (k == 1 && j == q)
                        score += 3.0;
                    if (k == 2 && j == best)
                        score += 4.0;
                    e[std::size_t(j)] = std::exp(score);
                    sum += e[std::size_t(j)];
                }
                for (double v : e)
                    map.values.push_back(float(v / sum));
            }
            s.headMaps[std::size_t(r)].push_back(map);
        }
    }
    return s;
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

class TestSelfAttentionView : public QObject {
    Q_OBJECT

private slots:
    void cellsHoldTheChosenHead();
    void meanOfHeadsIsTheMean();
    void selectorsListHeadsAndSamples();
    void selectorsDriveTheMap();
    void selectorsFollowShapeChanges();
    void axesAndScale();
    void cellsAreSquareAndQueryZeroOnTop();
    void causalUpperTriangleIsEmptyInThePixels();
    void wordsLabelTheSteps();
    void marginsShrinkBackAfterWordLabels();
    void toolTipOfACell();
    void withoutMapsShowsANote();
    void savePngHonoursSizeAndScale();
};

void TestSelfAttentionView::cellsHoldTheChosenHead()
{
    SelfAttentionView view;
    const EpochSnapshot s = selfAttentionSnapshot(6, 4, 10);
    view.setSnapshot(s);
    for (int row : {0, 3, 5})
        for (int head : {0, 2, 3}) {
            view.setProbeRow(row);
            view.setHead(head);
            QCOMPARE(view.steps(), 10);
            const Grid &map = s.headMaps[std::size_t(row)][std::size_t(head)];
            for (int q = 0; q < 10; ++q)
                for (int k = 0; k < 10; ++k)
                    QCOMPARE(view.cellValue(q, k), double(map.at(q, k)));
            // Data cell (key = k, value = q) sits at plot coordinate (k, q).
            QCOMPARE(view.colorMap()->data()->data(7.0, 2.0), double(map.at(2, 7)));
        }
    QVERIFY(std::isnan(view.cellValue(10, 0)));
    QVERIFY(std::isnan(view.cellValue(0, -1)));
}

void TestSelfAttentionView::meanOfHeadsIsTheMean()
{
    SelfAttentionView view;
    const EpochSnapshot s = selfAttentionSnapshot(3, 4, 8);
    view.setSnapshot(s);
    QCOMPARE(view.head(), -1); // the default
    view.setProbeRow(2);
    const auto &heads = s.headMaps[2];
    for (int q = 0; q < 8; ++q) {
        double rowSum = 0.0;
        for (int k = 0; k < 8; ++k) {
            double mean = 0.0;
            for (const Grid &h : heads)
                mean += h.at(q, k);
            mean /= double(heads.size());
            QVERIFY(std::abs(view.cellValue(q, k) - mean) < 1e-6);
            rowSum += view.cellValue(q, k);
        }
        QVERIFY(std::abs(rowSum - 1.0) < 1e-5); // a mean of distributions is one
    }
}

void TestSelfAttentionView::selectorsListHeadsAndSamples()
{
    SelfAttentionView view;
    view.setSnapshot(selfAttentionSnapshot(5, 3, 6));
    QCOMPARE(view.headCount(), 3);
    QCOMPARE(view.sampleCount(), 5);
    QComboBox *heads = view.headSelector();
    QCOMPARE(heads->count(), 4);
    QCOMPARE(heads->itemText(0), QStringLiteral("Mean of heads"));
    for (int k = 0; k < 3; ++k)
        QCOMPARE(heads->itemText(k + 1), QStringLiteral("Head %1").arg(k + 1));
    QComboBox *samples = view.sampleSelector();
    QCOMPARE(samples->count(), 5);
    for (int r = 0; r < 5; ++r)
        QCOMPARE(samples->itemText(r), QStringLiteral("Sample %1").arg(r));
    QCOMPARE(heads->currentIndex(), 0);
    QCOMPARE(samples->currentIndex(), 0);
}

void TestSelfAttentionView::selectorsDriveTheMap()
{
    SelfAttentionView view;
    const EpochSnapshot s = selfAttentionSnapshot(5, 3, 6);
    view.setSnapshot(s);
    QSignalSpy headSpy(&view, &SelfAttentionView::headChanged);
    QSignalSpy rowSpy(&view, &SelfAttentionView::probeRowChanged);
    view.headSelector()->setCurrentIndex(2); // "Head 2" = head index 1
    view.sampleSelector()->setCurrentIndex(4);
    QCOMPARE(view.head(), 1);
    QCOMPARE(view.probeRow(), 4);
    QCOMPARE(headSpy.count(), 1);
    QCOMPARE(headSpy.at(0).at(0).toInt(), 1);
    QCOMPARE(rowSpy.count(), 1);
    QCOMPARE(view.cellValue(3, 3), double(s.headMaps[4][1].at(3, 3)));
    // And the setters move the selectors.
    view.setHead(-1);
    QCOMPARE(view.headSelector()->currentIndex(), 0);
    view.setHead(7); // out of range: the mean
    QCOMPARE(view.head(), -1);
    view.setProbeRow(2);
    QCOMPARE(view.sampleSelector()->currentIndex(), 2);
    view.setProbeRow(99); // clamped
    QCOMPARE(view.probeRow(), 4);
}

void TestSelfAttentionView::selectorsFollowShapeChanges()
{
    SelfAttentionView view;
    view.setSnapshot(selfAttentionSnapshot(10, 4, 10));
    view.setHead(3);
    view.setProbeRow(8);
    // Fewer heads and rows: the lists shrink, the gone choices fall back.
    const EpochSnapshot small = selfAttentionSnapshot(3, 2, 5);
    view.setSnapshot(small);
    QCOMPARE(view.headSelector()->count(), 3);
    QCOMPARE(view.sampleSelector()->count(), 3);
    QCOMPARE(view.head(), -1);
    QCOMPARE(view.probeRow(), 2);
    QCOMPARE(view.headSelector()->currentIndex(), 0);
    QCOMPARE(view.sampleSelector()->currentIndex(), 2);
    QCOMPARE(view.steps(), 5);
    QCOMPARE(view.colorMap()->keyAxis()->range().upper, 4.5);
    // A choice that still exists is kept through a same-shape update.
    view.setHead(1);
    view.setSnapshot(selfAttentionSnapshot(3, 2, 5, 9));
    QCOMPARE(view.head(), 1);
    QCOMPARE(view.probeRow(), 2);
    // More heads: listed again.
    view.setSnapshot(selfAttentionSnapshot(3, 6, 5));
    QCOMPARE(view.headSelector()->count(), 7);
    QCOMPARE(view.headSelector()->itemText(6), QStringLiteral("Head 6"));
    view.clear();
    QCOMPARE(view.headSelector()->count(), 1);
    QCOMPARE(view.sampleSelector()->count(), 0);
    QCOMPARE(view.steps(), 0);
}

void TestSelfAttentionView::axesAndScale()
{
    SelfAttentionView view;
    view.setSnapshot(selfAttentionSnapshot(2, 2, 7));
    QCPColorMap *map = view.colorMap();
    QCOMPARE(map->keyAxis()->label(), QStringLiteral("key time step"));
    QCOMPARE(map->valueAxis()->label(), QStringLiteral("query time step"));
    QVERIFY(map->valueAxis()->rangeReversed());
    QVERIFY(!map->interpolate());
    QCOMPARE(view.colorRange().lower, 0.0);
    QCOMPARE(view.colorRange().upper, 1.0);
    QCOMPARE(map->dataRange().lower, 0.0);
    QCOMPARE(map->dataRange().upper, 1.0);
    QCOMPARE(view.weightColor(0.0), QColor(0x44, 0x01, 0x54)); // viridis endpoints
    view.setColorMap(attn::ColorMapKind::Grayscale);
    QCOMPARE(view.weightColor(1.0), QColor(Qt::white));
    QCOMPARE(map->gradient().color(0.0, QCPRange(0, 1)), QColor(Qt::black).rgb());
}

void TestSelfAttentionView::cellsAreSquareAndQueryZeroOnTop()
{
    SelfAttentionView view;
    view.setSnapshot(selfAttentionSnapshot(2, 2, 12));
    for (QSize size : {QSize(700, 400), QSize(400, 700), QSize(500, 500)}) {
        view.plot()->toPixmap(size.width(), size.height()); // lays out at that size
        QCPAxis *x = view.colorMap()->keyAxis();
        QCPAxis *y = view.colorMap()->valueAxis();
        const double cellW = std::abs(x->coordToPixel(11.5) - x->coordToPixel(-0.5)) / 12.0;
        const double cellH = std::abs(y->coordToPixel(11.5) - y->coordToPixel(-0.5)) / 12.0;
        QVERIFY2(std::abs(cellW - cellH) <= 1.0 / 6.0,
                 qPrintable(QStringLiteral("%1 x %2").arg(cellW).arg(cellH)));
        QVERIFY(cellW > 10.0);
        QVERIFY(y->coordToPixel(0.0) < y->coordToPixel(11.0)); // query 0 at the top
        QVERIFY(x->coordToPixel(0.0) < x->coordToPixel(11.0));
    }
}

void TestSelfAttentionView::causalUpperTriangleIsEmptyInThePixels()
{
    SelfAttentionView view;
    view.setSnapshot(selfAttentionSnapshot(2, 2, 8));
    view.setHead(1); // mostly on the diagonal
    const QImage image = view.plot()->toPixmap(600, 500).toImage();
    QCPAxis *x = view.colorMap()->keyAxis();
    QCPAxis *y = view.colorMap()->valueAxis();
    const QRgb zero = view.weightColor(0.0).rgb();
    for (int q = 0; q < 8; ++q)
        for (int k = q + 1; k < 8; ++k) {
            const QRgb px = image.pixel(int(x->coordToPixel(k)), int(y->coordToPixel(q)));
            QCOMPARE(QColor(px), QColor(zero));
        }
    // The diagonal cell is drawn in its weight's colour.
    const QRgb diag = image.pixel(int(x->coordToPixel(4)), int(y->coordToPixel(4)));
    QCOMPARE(QColor(diag), view.weightColor(view.cellValue(4, 4)));
}

void TestSelfAttentionView::wordsLabelTheSteps()
{
    SelfAttentionView view;
    EpochSnapshot s = selfAttentionSnapshot(2, 2, 6);
    s.probeTokens = {{"the", "food", "was", "great", "", ""}, {"not", "good", "", "", "", ""}};
    view.setSnapshot(s);
    auto ticker = view.colorMap()->keyAxis()->ticker().dynamicCast<QCPAxisTickerText>();
    QVERIFY(ticker);
    QCOMPARE(ticker->ticks().value(3.0), QStringLiteral("great"));
    QCOMPARE(ticker->ticks().value(4.0), QString());
    QVERIFY(view.sampleSelector()->itemText(0).startsWith("Sample 0: the food was great"));
    view.setProbeRow(1);
    ticker = view.colorMap()->valueAxis()->ticker().dynamicCast<QCPAxisTickerText>();
    QVERIFY(ticker);
    QCOMPARE(ticker->ticks().value(1.0), QStringLiteral("good"));
    QVERIFY(view.cellToolTip(1, 0).contains(QStringLiteral("key step 0 (\u201cnot\u201d)")));
    // Without tokens: integer ticks again.
    view.setSnapshot(selfAttentionSnapshot(2, 2, 6));
    QVERIFY(!view.colorMap()->keyAxis()->ticker().dynamicCast<QCPAxisTickerText>());
}

void TestSelfAttentionView::marginsShrinkBackAfterWordLabels()
{
    // Long rotated word labels need a tall bottom margin; integer steps afterwards must get
    // the map back to the size a fresh view gives them.
    EpochSnapshot words = selfAttentionSnapshot(2, 2, 32);
    words.probeTokens.assign(2, std::vector<std::string>(32));
    words.probeTokens[0][0] = "recommendation";
    words.probeTokens[0][1] = "selection";
    SelfAttentionView fresh;
    fresh.setSnapshot(selfAttentionSnapshot(2, 2, 10));
    fresh.plot()->toPixmap(333, 201, 1.5);
    const QRect expected = fresh.colorMap()->keyAxis()->axisRect()->rect();
    SelfAttentionView view;
    view.setSnapshot(words);
    view.plot()->toPixmap(700, 640);
    const int wordMargin = view.colorMap()->keyAxis()->axisRect()->margins().bottom();
    view.setSnapshot(selfAttentionSnapshot(2, 2, 10));
    view.plot()->toPixmap(333, 201, 1.5);
    QCOMPARE(view.colorMap()->keyAxis()->axisRect()->rect(), expected);
    QVERIFY(view.colorMap()->keyAxis()->axisRect()->margins().bottom() < wordMargin - 20);
}

void TestSelfAttentionView::toolTipOfACell()
{
    SelfAttentionView view;
    const EpochSnapshot s = selfAttentionSnapshot(3, 2, 6);
    view.setSnapshot(s);
    view.setProbeRow(1);
    view.setHead(0);
    const QString tip = view.cellToolTip(4, 3);
    QVERIFY(tip.contains("sample 1, head 1"));
    QVERIFY(tip.contains("query step 4"));
    QVERIFY(tip.contains("key step 3"));
    QVERIFY(tip.contains(QStringLiteral("weight %1").arg(s.headMaps[1][0].at(4, 3), 0, 'f', 4)));
    QVERIFY(view.cellToolTip(6, 0).isEmpty());
    // cellAt maps a pixel back to its cell.
    view.plot()->toPixmap(500, 400);
    const QPointF centre(view.colorMap()->keyAxis()->coordToPixel(3),
                         view.colorMap()->valueAxis()->coordToPixel(4));
    int q = -1;
    int k = -1;
    QVERIFY(view.cellAt(centre, &q, &k));
    QCOMPARE(q, 4);
    QCOMPARE(k, 3);
}

void TestSelfAttentionView::withoutMapsShowsANote()
{
    SelfAttentionView view;
    EpochSnapshot s;
    s.epoch = 2;
    view.setSnapshot(s); // e.g. a luong model: no head maps
    QCOMPARE(view.steps(), 0);
    QCOMPARE(view.headCount(), 0);
    QVERIFY(!view.headSelector()->isEnabled());
    QVERIFY(!view.colorMap()->keyAxis()->axisRect()->visible()); // only the title says why
    view.setSnapshot(selfAttentionSnapshot(2, 2, 4));
    QVERIFY(view.colorMap()->keyAxis()->axisRect()->visible());
    const QImage image = view.plot()->toPixmap(300, 200).toImage();
    QCOMPARE(image.size(), QSize(300, 200));
}

void TestSelfAttentionView::savePngHonoursSizeAndScale()
{
    QTemporaryDir tmp;
    const QString dir = sampleDir(tmp);
    SelfAttentionView view;
    view.resize(640, 560);
    EpochSnapshot tokens = selfAttentionSnapshot(10, 4, 32);
    const std::vector<std::string> sentence{"the", "selection", "on", "the", "menu", "was",
                                            "great", "and", "so", "were", "the", "prices"};
    tokens.probeTokens.assign(10, std::vector<std::string>(32));
    std::copy(sentence.begin(), sentence.end(), tokens.probeTokens[0].begin());
    struct Case {
        const char *name;
        int w, h;
        double scale;
        QSize expected;
        bool dark;
        int head;
        bool words;
    };
    const Case cases[] = {{"selfattention-mean.png", 640, 560, 1.0, {640, 560}, false, -1, false},
                          {"selfattention-head3-2x.png", 640, 560, 2.0, {1280, 1120}, false, 2, false},
                          {"selfattention-dark.png", 640, 560, 1.0, {640, 560}, true, 0, false},
                          {"selfattention-words.png", 700, 640, 1.0, {700, 640}, false, -1, true},
                          {"selfattention-odd.png", 333, 201, 1.5, {500, 302}, false, -1, false}};
    for (const Case &c : cases) {
        view.setSnapshot(c.words ? tokens : selfAttentionSnapshot(10, 4, 10));
        view.setDark(c.dark);
        view.setHead(c.head);
        const QString path = dir + QLatin1Char('/') + QLatin1String(c.name);
        QVERIFY(view.savePng(path, c.w, c.h, c.scale));
        QImage image;
        QVERIFY(image.load(path));
        QCOMPARE(image.size(), c.expected);
        QVERIFY(std::abs(image.dotsPerMeterX() - 96.0 * c.scale / 0.0254) < 50.0); // 96*scale dpi
    }
    QVERIFY(!view.savePng(dir + "/no/such/dir/x.png", 100, 100));
    // The widget itself, selectors included, as it looks in a dock.
    SelfAttentionView shown;
    shown.resize(640, 600);
    shown.show();
    QVERIFY(QTest::qWaitForWindowExposed(&shown));
    shown.setSnapshot(selfAttentionSnapshot(10, 4, 10));
    QCoreApplication::processEvents(); // the queued replot and the toolbar's layout
    const QPixmap grab = shown.grab();
    QCOMPARE(grab.size(), shown.size());
    QVERIFY(grab.save(dir + "/selfattentionview-widget.png"));
    QVERIFY(view.savePdf(dir + "/selfattention.pdf", 600, 500));
}

QTEST_MAIN(TestSelfAttentionView)
#include "tst_selfattentionview.moc"
