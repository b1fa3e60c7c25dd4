// SPDX-License-Identifier: GPL-3.0-or-later
// Qt Test of CompareCurvesView: one graph per run holding its alignment (or validation metric)
// per epoch, one legend item per mechanism on the mean line, runs in their mechanism's colour
// with transparency, the mean line is the mean of the runs, switching the quantity refills the
// graphs, a restarted epoch replaces the tail, and PNG exports have the asked pixel size.
// Runs headless (QT_QPA_PLATFORM=offscreen).
#include "widgets/comparecurvesview.h"

#include "widgets/plottheme.h"

#include <QDir>
#include <QImage>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <random>

using attn::CompareCurvesView;
using attn::EpochSnapshot;
using Quantity = attn::CompareCurvesView::Quantity;

namespace {

/// A run's history: alignment climbing towards `ceiling` (none without attention), accuracy
/// towards `accuracy`, both with seeded noise.
std::vector<EpochSnapshot> runHistory(int epochs, double ceiling, double accuracy, bool attention,
                                      unsigned seed)
{
    std::mt19937 rng(seed);
    std::normal_distribution<double> noise(0.0, 0.02);
    std::vector<EpochSnapshot> history;
    for (int e = 1; e <= epochs; ++e) {
        EpochSnapshot s;
        s.epoch = e;
        s.totalEpochs = epochs;
        s.metricName = "accuracy";
        const double progress = 1.0 - std::exp(-0.35 * e);
        s.metric = 0.5 + (accuracy - 0.5) * progress + noise(rng);
        if (attention)
            s.alignment = std::clamp(0.1 + (ceiling - 0.1) * progress + noise(rng), 0.0, 1.0);
        history.push_back(s);
    }
    return history;
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

struct Fixture {
    std::vector<int> ids;
    std::vector<std::vector<EpochSnapshot>> histories;
};

/// 3 mechanisms x `runs` runs, added interleaved (as a compare run of seeds would).
Fixture fill(CompareCurvesView &view, int runs, int epochs = 10)
{
    Fixture f;
    const char *names[] = {"luong", "bahdanau", "none"};
    for (int r = 0; r < runs; ++r)
        for (int m = 0; m < 3; ++m) {
            const int id = view.addRun(QString::fromLatin1(names[m]), r);
            auto h = runHistory(epochs, 0.9 - 0.1 * m, 0.82 - 0.02 * m, m != 2,
                                unsigned(100 * m + r));
            view.setRunHistory(id, h);
            f.ids.push_back(id);
            f.histories.push_back(h);
        }
    return f;
}

} // namespace

class TestCompareCurvesView : public QObject {
    Q_OBJECT

private slots:
    void oneGraphPerRun();
    void oneLegendItemPerMechanism();
    void runsTakeTheirMechanismsColour();
    void meanLineIsTheMeanOfTheRuns();
    void metricQuantity();
    void appendEpochAndRestart();
    void clearRemovesEverything();
    void narrowPlotsWrapTitleAndLegend();
    void darkThemeChangesTheBackground();
    void savePngHonoursSizeAndScale();
};

void TestCompareCurvesView::oneGraphPerRun()
{
    CompareCurvesView view;
    const Fixture f = fill(view, 4);
    QCOMPARE(view.runCount(), 12);
    QCOMPARE(view.plot()->graphCount(), 12 + 3); // runs + one mean per mechanism
    QSet<QCPGraph *> graphs;
    for (std::size_t i = 0; i < f.ids.size(); ++i) {
        QCPGraph *g = view.runGraph(f.ids[i]);
        QVERIFY(g);
        graphs.insert(g);
        const auto &h = f.histories[i];
        if (!h.front().alignment) {
            QCOMPARE(g->dataCount(), 0); // "none": nothing to align
            continue;
        }
        QCOMPARE(g->dataCount(), int(h.size()));
        for (int e = 0; e < g->dataCount(); ++e) {
            QCOMPARE(g->data()->at(e)->key, double(h[std::size_t(e)].epoch));
            QCOMPARE(g->data()->at(e)->value, *h[std::size_t(e)].alignment);
        }
    }
    QCOMPARE(graphs.size(), 12);
    QVERIFY(!view.runGraph(12));
    QVERIFY(!view.runGraph(-1));
    QCOMPARE(view.plot()->yAxis->range().lower, 0.0); // alignment: fixed 0..1
    QCOMPARE(view.plot()->yAxis->range().upper, 1.0);
    QCOMPARE(view.plot()->xAxis->range().lower, 0.5);
    QCOMPARE(view.plot()->xAxis->range().upper, 10.5);
}

void TestCompareCurvesView::oneLegendItemPerMechanism()
{
    CompareCurvesView view;
    fill(view, 5);
    QCOMPARE(view.mechanisms(), QStringList({"luong", "bahdanau", "none"}));
    QCPLegend *legend = view.plot()->legend;
    QCOMPARE(legend->itemCount(), 3);
    for (const QString &m : view.mechanisms()) {
        QVERIFY(legend->hasItemWithPlottable(view.meanGraph(m)));
        QVERIFY(view.meanGraph(m)->name().startsWith(m + " ("));
    }
    QCOMPARE(view.meanGraph("luong")->name(), QStringLiteral("luong (mean of 5 runs)"));
    QCOMPARE(view.meanGraph("none")->name(), QStringLiteral("none (no attention to align)"));
    for (int id = 0; id < view.runCount(); ++id)
        QVERIFY(!legend->hasItemWithPlottable(view.runGraph(id)));
    QVERIFY(!view.meanGraph("local"));
}

void TestCompareCurvesView::runsTakeTheirMechanismsColour()
{
    CompareCurvesView view;
    const Fixture f = fill(view, 3);
    QSet<QRgb> colours;
    for (const QString &m : view.mechanisms()) {
        colours.insert(view.mechanismColor(m).rgb());
        QCOMPARE(view.meanGraph(m)->pen().color(), view.mechanismColor(m));
        QCOMPARE(view.meanGraph(m)->pen().color().alpha(), 255);
    }
    QCOMPARE(colours.size(), 3); // distinct per mechanism
    const char *names[] = {"luong", "bahdanau", "none"};
    for (std::size_t i = 0; i < f.ids.size(); ++i) {
        const QColor pen = view.runGraph(f.ids[i])->pen().color();
        const QColor mech = view.mechanismColor(QString::fromLatin1(names[i % 3]));
        QCOMPARE(pen.rgb(), mech.rgb()); // same hue, see-through
        QVERIFY(pen.alpha() > 0 && pen.alpha() < 255);
        QVERIFY(view.runGraph(f.ids[i])->pen().widthF() < view.meanGraph(names[i % 3])->pen().widthF());
    }
}

void TestCompareCurvesView::meanLineIsTheMeanOfTheRuns()
{
    CompareCurvesView view;
    // Runs of unequal length: the mean at an epoch averages the runs that reached it.
    const int a = view.addRun("luong", 0);
    const int b = view.addRun("luong", 1);
    const auto ha = runHistory(6, 0.9, 0.8, true, 1);
    const auto hb = runHistory(4, 0.9, 0.8, true, 2);
    view.setRunHistory(a, ha);
    view.setRunHistory(b, hb);
    QCPGraph *mean = view.meanGraph("luong");
    QCOMPARE(mean->dataCount(), 6);
    for (int e = 0; e < 6; ++e) {
        const double expected = e < 4 ? (*ha[e].alignment + *hb[e].alignment) / 2.0 : *ha[e].alignment;
        QCOMPARE(mean->data()->at(e)->key, double(e + 1));
        QVERIFY(std::abs(mean->data()->at(e)->value - expected) < 1e-12);
    }
    QCOMPARE(mean->name(), QStringLiteral("luong (mean of 2 runs)"));
}

void TestCompareCurvesView::metricQuantity()
{
    CompareCurvesView view;
    const Fixture f = fill(view, 2);
    view.setQuantity(Quantity::Metric);
    QCOMPARE(view.quantity(), Quantity::Metric);
    for (std::size_t i = 0; i < f.ids.size(); ++i) {
        QCPGraph *g = view.runGraph(f.ids[i]);
        QCOMPARE(g->dataCount(), int(f.histories[i].size())); // "none" has a metric too
        for (int e = 0; e < g->dataCount(); ++e)
            QCOMPARE(g->data()->at(e)->value, f.histories[i][std::size_t(e)].metric);
    }
    QCOMPARE(view.plot()->yAxis->label(), QStringLiteral("validation accuracy"));
    QCOMPARE(view.meanGraph("none")->name(), QStringLiteral("none (mean of 2 runs)"));
    // The metric axis follows the data, inside 0..1 for an accuracy.
    double lo = 1.0;
    double hi = 0.0;
    for (const auto &h : f.histories)
        for (const EpochSnapshot &s : h) {
            lo = std::min(lo, s.metric);
            hi = std::max(hi, s.metric);
        }
    const QCPRange r = view.plot()->yAxis->range();
    QVERIFY(r.lower <= lo && r.lower >= 0.0);
    QVERIFY(r.upper >= hi && r.upper <= 1.0);
    QVERIFY(r.lower > 0.3); // fitted, not 0..1
    view.setQuantity(Quantity::Alignment);
    QCOMPARE(view.plot()->yAxis->label(), QStringLiteral("alignment"));
    QCOMPARE(view.runGraph(f.ids[0])->data()->at(0)->value, *f.histories[0][0].alignment);
}

void TestCompareCurvesView::appendEpochAndRestart()
{
    CompareCurvesView view;
    const int id = view.addRun("bahdanau", 0);
    const auto h = runHistory(5, 0.8, 0.8, true, 4);
    for (const EpochSnapshot &s : h)
        view.appendEpoch(id, s);
    QCOMPARE(view.runGraph(id)->dataCount(), 5);
    EpochSnapshot again = h[1]; // epoch 2 again: a restarted run
    again.alignment = 0.05;
    view.appendEpoch(id, again);
    QCOMPARE(view.runGraph(id)->dataCount(), 2);
    QCOMPARE(view.runGraph(id)->data()->at(1)->value, 0.05);
    view.appendEpoch(42, h[0]); // unknown run: ignored
    QCOMPARE(view.runCount(), 1);
}

void TestCompareCurvesView::clearRemovesEverything()
{
    CompareCurvesView view;
    fill(view, 2);
    view.clear();
    QCOMPARE(view.runCount(), 0);
    QCOMPARE(view.plot()->graphCount(), 0);
    QCOMPARE(view.plot()->legend->itemCount(), 0);
    QVERIFY(view.mechanisms().isEmpty());
    // Colours start over.
    view.addRun("bahdanau", 0);
    CompareCurvesView fresh;
    fresh.addRun("luong", 0);
    QCOMPARE(view.mechanismColor("bahdanau"), fresh.mechanismColor("luong"));
}

void TestCompareCurvesView::narrowPlotsWrapTitleAndLegend()
{
    CompareCurvesView view;
    fill(view, 3);
    auto *title = qobject_cast<QCPTextElement *>(view.plot()->plotLayout()->element(0, 0));
    QVERIFY(title);
    view.plot()->toPixmap(1200, 500);
    QCOMPARE(view.plot()->legend->rowCount(), 1);
    QVERIFY(!title->text().contains(QLatin1Char('\n')));
    view.plot()->toPixmap(330, 400);
    QCOMPARE(view.plot()->legend->rowCount(), 3); // one mechanism per line
    QCOMPARE(title->text(), QStringLiteral("Alignment with ground truth\n9 runs"));
    for (int i = 0; i < view.plot()->legend->itemCount(); ++i)
        QVERIFY(view.plot()->legend->item(i)->outerRect().right() <= 330);
    view.plot()->toPixmap(1200, 500);
    QCOMPARE(view.plot()->legend->rowCount(), 1);
}

void TestCompareCurvesView::darkThemeChangesTheBackground()
{
    CompareCurvesView view;
    fill(view, 1);
    view.setDark(true);
    const QImage image = view.plot()->toPixmap(400, 300).toImage();
    QCOMPARE(QColor(image.pixel(2, 2)), attn::PlotTheme::dark().background);
    QCOMPARE(view.plot()->legend->textColor(), attn::PlotTheme::dark().foreground);
}

void TestCompareCurvesView::savePngHonoursSizeAndScale()
{
    QTemporaryDir tmp;
    const QString dir = sampleDir(tmp);
    CompareCurvesView view;
    view.resize(800, 450);
    fill(view, 10, 20);
    struct Case {
        const char *name;
        int w, h;
        double scale;
        QSize expected;
        bool dark;
        Quantity quantity;
    };
    const Case cases[] = {
        {"compare-alignment.png", 800, 450, 1.0, {800, 450}, false, Quantity::Alignment},
        {"compare-alignment-2x.png", 800, 450, 2.0, {1600, 900}, false, Quantity::Alignment},
        {"compare-metric-dark.png", 800, 450, 1.0, {800, 450}, true, Quantity::Metric},
        {"compare-odd.png", 333, 201, 1.5, {500, 302}, false, Quantity::Alignment}};
    for (const Case &c : cases) {
        view.setDark(c.dark);
        view.setQuantity(c.quantity);
        const QString path = dir + QLatin1Char('/') + QLatin1String(c.name);
        QVERIFY(view.savePng(path, c.w, c.h, c.scale));
        QImage image;
        QVERIFY(image.load(path));
        QCOMPARE(image.size(), c.expected);
        QVERIFY(std::abs(image.dotsPerMeterX() - 96.0 * c.scale / 0.0254) < 50.0); // 96*scale dpi
    }
    QVERIFY(!view.savePng(dir + "/no/such/dir/x.png", 100, 100));
    QVERIFY(view.savePdf(dir + "/compare.pdf", 600, 400));
}

QTEST_MAIN(TestCompareCurvesView)
#include "tst_comparecurvesview.moc"
