// SPDX-License-Identifier: GPL-3.0-or-later
// The colour maps (widgets/colormap.h): names and their parsing round-trip, and each map's
// endpoints and viridis' middle entry match matplotlib's published tables.
#include "widgets/colormap.h"

#include <QColor>
#include <QTest>

using attn::ColorMapKind;

class TestColorMap : public QObject {
    Q_OBJECT

private slots:
    void colorMapNamesRoundTrip();
    void publishedEndpoints();
};

void TestColorMap::colorMapNamesRoundTrip()
{
    const QStringList names{"viridis", "cividis", "magma", "grayscale"};
    QCOMPARE(attn::allColorMapKinds().size(), names.size());
    for (int i = 0; i < names.size(); ++i) {
        const ColorMapKind kind = attn::allColorMapKinds()[i];
        QCOMPARE(attn::colorMapKindToString(kind), names[i]);
        QCOMPARE(attn::colorMapKindFromString(names[i]), std::optional<ColorMapKind>(kind));
        QVERIFY(!attn::colorMapDisplayName(kind).isEmpty());
    }
    QCOMPARE(attn::colorMapKindFromString(" Magma "), std::optional<ColorMapKind>(ColorMapKind::Magma));
    QCOMPARE(attn::colorMapKindFromString("grey"), std::optional<ColorMapKind>(ColorMapKind::Grayscale));
    QVERIFY(!attn::colorMapKindFromString("jet").has_value());
    QVERIFY(!attn::colorMapKindFromString("").has_value());
}

void TestColorMap::publishedEndpoints()
{
    // First and last entries of matplotlib's 256-entry tables, as 8-bit sRGB.
    const struct {
        ColorMapKind kind;
        QColor low;
        QColor high;
    } cases[] = {{ColorMapKind::Viridis, QColor("#440154"), QColor("#fde725")},
                 {ColorMapKind::Cividis, QColor("#00224e"), QColor("#fee838")},
                 {ColorMapKind::Magma, QColor("#000004"), QColor("#fcfdbf")},
                 {ColorMapKind::Grayscale, QColor("#000000"), QColor("#ffffff")}};
    for (const auto &c : cases) {
        QCPColorGradient g = attn::colorMapGradient(c.kind);
        QCOMPARE(QColor(g.color(0.0, QCPRange(0.0, 1.0))).name(), c.low.name());
        QCOMPARE(QColor(g.color(1.0, QCPRange(0.0, 1.0))).name(), c.high.name());
    }
    // Viridis' middle entry (128 of 255: 0.127568, 0.566949, 0.550556 -> #21918c) is a stop.
    QCPColorGradient viridis = attn::colorMapGradient(ColorMapKind::Viridis);
    QCOMPARE(QColor(viridis.color(128.0 / 255.0, QCPRange(0.0, 1.0))).name(), QStringLiteral("#21918c"));
}

QTEST_MAIN(TestColorMap)
#include "tst_colormap.moc"
