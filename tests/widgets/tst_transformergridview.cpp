// SPDX-License-Identifier: GPL-3.0-or-later
// Qt Test of TransformerGridView: N x K thumbnails from a snapshot's layer-major head maps, a
// click on a thumbnail enlarges that layer's head, the painted thumbnail and the enlarged map
// show the map's values in the colour map (a one-hot map: one bright cell per row), a shape
// change resets a selection that no longer exists, and the PNG export has the asked size.
// Runs headless (QT_QPA_PLATFORM=offscreen).
#include "widgets/transformergridview.h"

#include "widgets/colormap.h"

#include <QImage>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using attn::EpochSnapshot;
using attn::Grid;
using attn::TransformerGridView;

namespace {

/// R probe rows, N layers, K heads, T steps. Map l K + k of every row attends from query t to
/// key (t + l + k) mod T with weight 1 (one-hot rows), so every map differs.
EpochSnapshot gridSnapshot(int R, int N, int K, int T)
{
    EpochSnapshot s;
    s.headLayers = N;
    s.headMaps.resize(std::size_t(R));
    for (int r = 0; r < R; ++r)
        for (int l = 0; l < N; ++l)
            for (int k = 0; k < K; ++k) {
                Grid g;
                g.rows = g.cols = T;
                g.values.assign(std::size_t(T * T), 0.0f);
                for (int t = 0; t < T; ++t)
                    g.values[std::size_t(t * T + (t + l + k) % T)] = 1.0f;
                s.headMaps[std::size_t(r)].push_back(g);
            }
    return s;
}

} // namespace

class TestTransformerGridView : public QObject {
    Q_OBJECT
private slots:
    void showsLayersTimesHeads();
    void clickEnlargesAMap();
    void paintsTheMaps();
    void shapeChangeResetsSelection();
    void exportsPng();
};

void TestTransformerGridView::showsLayersTimesHeads()
{
    TransformerGridView view;
    QCOMPARE(view.layers(), 0);
    view.setSnapshot(gridSnapshot(3, 2, 4, 5));
    QCOMPARE(view.layers(), 2);
    QCOMPARE(view.heads(), 4);
    view.resize(800, 400);
    // Thumbnails: layer rows top to bottom, head columns left to right, none overlapping.
    const QRectF a = view.thumbnailRect(0, 0), b = view.thumbnailRect(0, 1), c = view.thumbnailRect(1, 0);
    QVERIFY(!a.isEmpty());
    QVERIFY(b.left() > a.right());
    QVERIFY(c.top() > a.bottom());
    QVERIFY(view.thumbnailRect(2, 0).isEmpty());
    QVERIFY(view.thumbnailRect(0, 4).isEmpty());
}

void TestTransformerGridView::clickEnlargesAMap()
{
    TransformerGridView view;
    view.resize(800, 400);
    view.setSnapshot(gridSnapshot(2, 3, 2, 4));
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QSignalSpy spy(&view, &TransformerGridView::mapSelected);
    QTest::mouseClick(&view, Qt::LeftButton, {}, view.thumbnailRect(2, 1).center().toPoint());
    QCOMPARE(view.selectedLayer(), 2);
    QCOMPARE(view.selectedHead(), 1);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(0).toInt(), 2);
    QTest::mouseClick(&view, Qt::LeftButton, {}, QPoint(2, 399)); // not on a thumbnail
    QCOMPARE(spy.count(), 1);
    QCOMPARE(view.selectedLayer(), 2);
}

void TestTransformerGridView::paintsTheMaps()
{
    // Grayscale: weight 1 is white, 0 black. Thumbnail (layer 1, head 0) maps query 0 to key 1.
    TransformerGridView view;
    view.setColorMap(attn::ColorMapKind::Grayscale);
    view.resize(800, 400);
    view.setSnapshot(gridSnapshot(1, 2, 2, 4));
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    const QImage image = view.grab().toImage();
    const QRectF t = view.thumbnailRect(1, 0);
    const double cell = t.width() / 4;
    const auto pixel = [&](int row, int col) {
        return QColor(image.pixel(QPointF(t.left() + (col + 0.5) * cell, t.top() + (row + 0.5) * cell).toPoint()));
    };
    QVERIFY(pixel(0, 1).lightness() > 200);
    QVERIFY(pixel(0, 0).lightness() < 50);
    QVERIFY(pixel(3, 0).lightness() > 200); // (3 + 1) mod 4 = 0
    QVERIFY(pixel(3, 3).lightness() < 50);
}

void TestTransformerGridView::shapeChangeResetsSelection()
{
    TransformerGridView view;
    view.resize(600, 300);
    view.setSnapshot(gridSnapshot(2, 3, 2, 4));
    view.selectMap(2, 1);
    QCOMPARE(view.selectedLayer(), 2);
    view.setSnapshot(gridSnapshot(2, 3, 2, 4)); // same shape: kept
    QCOMPARE(view.selectedLayer(), 2);
    view.setSnapshot(gridSnapshot(2, 1, 2, 4)); // one layer now
    QCOMPARE(view.selectedLayer(), 0);
    QCOMPARE(view.selectedHead(), 0);
    view.selectMap(5, 0); // out of range: ignored
    QCOMPARE(view.selectedLayer(), 0);
    view.clear();
    QCOMPARE(view.layers(), 0);
}

void TestTransformerGridView::exportsPng()
{
    QTemporaryDir dir;
    TransformerGridView view;
    view.resize(600, 300);
    view.setSnapshot(gridSnapshot(1, 2, 2, 6));
    const QString path = dir.filePath("grid.png");
    QString error;
    QVERIFY2(view.savePng(path, 500, 250, 2.0, &error), qPrintable(error));
    const QImage image(path);
    QCOMPARE(image.size(), QSize(1000, 500));
    QVERIFY(!view.savePng(dir.filePath("missing/grid.png"), 0, 0, 1.0, &error));
    QVERIFY(error.contains("grid.png"));
}

QTEST_MAIN(TestTransformerGridView)
#include "tst_transformergridview.moc"
