// SPDX-License-Identifier: GPL-3.0-or-later
// Qt Test of AutoencoderView: the input bars are the mean weights over the probe rows with the
// informative columns in their own bars, the text line's mass matches the grids, the hidden
// units' panel appears sorted only when the snapshot has the block after the first layer, and
// PNG exports have the asked pixel size. Runs headless (QT_QPA_PLATFORM=offscreen).
#include "widgets/autoencoderview.h"

#include <QImage>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using attn::AutoencoderView;
using attn::EpochSnapshot;

namespace {

/// Two probe rows over F = 8 inputs; columns 1 and 5 informative. Row 0 puts 0.3 on each of
/// them and 0.4 / 6 on the rest; row 1 is uniform (1/8).
EpochSnapshot snapshot(bool hidden)
{
    EpochSnapshot s;
    s.epoch = 3;
    s.totalEpochs = 20;
    s.alignment = 0.42;
    s.attention.rows = s.groundTruth.rows = 2;
    s.attention.cols = s.groundTruth.cols = 8;
    for (int r = 0; r < 2; ++r)
        for (int c = 0; c < 8; ++c) {
            const bool informative = c == 1 || c == 5;
            s.attention.values.push_back(r == 1 ? 0.125f : informative ? 0.3f : float(0.4 / 6));
            s.groundTruth.values.push_back(informative ? 1.0f : 0.0f);
        }
    if (hidden)
        s.hiddenAttention = {0.1f, 0.5f, 0.15f, 0.25f};
    return s;
}

} // namespace

class TestAutoencoderView : public QObject {
    Q_OBJECT
private slots:
    void barsAndMass();
    void hiddenPanelSorted();
    void emptyAndCleared();
    void savePngHasTheAskedSize();
};

void TestAutoencoderView::barsAndMass()
{
    AutoencoderView view;
    view.setSnapshot(snapshot(false));
    QCOMPARE(view.inputCount(), 8);
    QVERIFY(std::abs(view.inputValue(1) - (0.3 + 0.125) / 2) < 1e-6);
    QVERIFY(std::abs(view.inputValue(0) - (0.4 / 6 + 0.125) / 2) < 1e-6);
    QCOMPARE(view.informativeColumns(), (std::vector<int>{1, 5}));
    // Mass: row 0 has 0.6 on the informative columns, row 1 0.25; the mean is 0.425.
    QVERIFY(std::abs(view.informativeMass() - 0.425) < 1e-6);
    QCOMPARE(view.chanceMass(), 0.25);
    QVERIFY2(view.summaryText().contains("mass on the 2 informative columns 0.43 (chance 0.25)"),
             qPrintable(view.summaryText()));
    QVERIFY(view.summaryText().contains("attention on the inputs"));
    QVERIFY(view.summaryText().contains("validation alignment 0.42"));
    QVERIFY(view.hiddenRect()->layout() == nullptr); // no hidden panel for the inputs' block
    QVERIFY(view.sortedHidden().empty());
}

void TestAutoencoderView::hiddenPanelSorted()
{
    AutoencoderView view;
    view.setSnapshot(snapshot(true));
    QVERIFY(view.hiddenRect()->layout() != nullptr);
    QCOMPARE(view.sortedHidden(), (std::vector<double>{0.5f, 0.25f, 0.15f, 0.1f}));
    QVERIFY(view.summaryText().contains("attention over 4 hidden units, carried to the inputs"));
    view.setSnapshot(snapshot(false)); // back to the inputs: the panel leaves again
    QVERIFY(view.hiddenRect()->layout() == nullptr);
    view.setSnapshot(snapshot(true));
    QVERIFY(view.hiddenRect()->layout() != nullptr);
}

void TestAutoencoderView::emptyAndCleared()
{
    AutoencoderView view;
    QCOMPARE(view.inputCount(), 0);
    QVERIFY(view.summaryText().isEmpty());
    EpochSnapshot noGroundTruth = snapshot(false);
    noGroundTruth.groundTruth = {};
    view.setSnapshot(noGroundTruth);
    QVERIFY(std::isnan(view.informativeMass()));
    QVERIFY(view.summaryText().contains("no ground truth"));
    view.setSnapshot(snapshot(true));
    view.clear();
    QCOMPARE(view.inputCount(), 0);
    QVERIFY(view.hiddenRect()->layout() == nullptr);
}

void TestAutoencoderView::savePngHasTheAskedSize()
{
    AutoencoderView view;
    view.resize(600, 400);
    view.setSnapshot(snapshot(true));
    view.setDark(true);
    QTemporaryDir dir;
    const QString path = dir.filePath("ae.png");
    QVERIFY(view.savePng(path, 500, 300, 2.0));
    QImage image;
    QVERIFY(image.load(path));
    QCOMPARE(image.size(), QSize(1000, 600));
    QVERIFY(view.savePdf(dir.filePath("ae.pdf"), 500, 300));
    QVERIFY(!view.savePng(dir.filePath("no/such/dir/x.png"), 100, 100));
}

QTEST_MAIN(TestAutoencoderView)
#include "tst_autoencoderview.moc"
