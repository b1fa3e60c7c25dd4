// SPDX-License-Identifier: GPL-3.0-or-later
// Colour-map gradients. QCustomPlot 2.1 ships none of the perceptually uniform maps, so each is
// rebuilt from nine stops read off the published 256-entry tables of matplotlib
// (lib/matplotlib/_cm_listed.py: _viridis_data, _cividis_data, _magma_data; entries 0, 32, 64,
// 96, 128, 159, 191, 223 and 255) and placed at their exact positions (entry / 255). Between
// stops the maps are close to straight lines in RGB, so linear interpolation stays within a few
// 8-bit levels of the published tables.
#include "widgets/colormap.h"

#include <QColor>
#include <QCoreApplication>

#include <array>

namespace attn {

namespace {

struct Stop {
    int entry; // index into the published 256-entry table
    double r, g, b;
};
using StopTable = std::array<Stop, 9>;

// matplotlib viridis (van der Walt & Smith, 2015). Entry 0 is #440154, entry 255 #fde725.
constexpr StopTable kViridis{{{0, 0.267004, 0.004874, 0.329415},
                              {32, 0.278826, 0.175490, 0.483397},
                              {64, 0.229739, 0.322361, 0.545706},
                              {96, 0.172719, 0.448791, 0.557885},
                              {128, 0.127568, 0.566949, 0.550556},
                              {159, 0.153894, 0.680203, 0.504172},
                              {191, 0.360741, 0.785964, 0.387814},
                              {223, 0.668054, 0.861999, 0.196293},
                              {255, 0.993248, 0.906157, 0.143936}}};

// matplotlib cividis (Nunez, Anderton & Renslow, PLoS ONE 13(7), 2018). #00224e .. #fee838.
constexpr StopTable kCividis{{{0, 0.000000, 0.135112, 0.304751},
                              {32, 0.103401, 0.220406, 0.435790},
                              {64, 0.263738, 0.307831, 0.422789},
                              {96, 0.380830, 0.395164, 0.435653},
                              {128, 0.488697, 0.485318, 0.471008},
                              {159, 0.605211, 0.576777, 0.464441},
                              {191, 0.732422, 0.677364, 0.425717},
                              {223, 0.866421, 0.786028, 0.346571},
                              {255, 0.995737, 0.909344, 0.217772}}};

// matplotlib magma (van der Walt & Smith, 2015). #000004 .. #fcfdbf.
constexpr StopTable kMagma{{{0, 0.001462, 0.000466, 0.013866},
                            {32, 0.113094, 0.065492, 0.276784},
                            {64, 0.316654, 0.071690, 0.485380},
                            {96, 0.512831, 0.148179, 0.507648},
                            {128, 0.716387, 0.214982, 0.475290},
                            {159, 0.899552, 0.314616, 0.391037},
                            {191, 0.985693, 0.528148, 0.379371},
                            {223, 0.997019, 0.762398, 0.528821},
                            {255, 0.987053, 0.991438, 0.749504}}};

QCPColorGradient gradientFromStops(const StopTable &stops)
{
    QCPColorGradient g;
    g.clearColorStops();
    for (const Stop &s : stops)
        g.setColorStopAt(double(s.entry) / 255.0, QColor::fromRgbF(float(s.r), float(s.g), float(s.b)));
    return g;
}

} // namespace

QList<ColorMapKind> allColorMapKinds()
{
    return {ColorMapKind::Viridis, ColorMapKind::Cividis, ColorMapKind::Magma,
            ColorMapKind::Grayscale};
}

QString colorMapKindToString(ColorMapKind kind)
{
    switch (kind) {
    case ColorMapKind::Viridis:
        return QStringLiteral("viridis");
    case ColorMapKind::Cividis:
        return QStringLiteral("cividis");
    case ColorMapKind::Magma:
        return QStringLiteral("magma");
    case ColorMapKind::Grayscale:
        return QStringLiteral("grayscale");
    }
    return QStringLiteral("viridis");
}

std::optional<ColorMapKind> colorMapKindFromString(const QString &name)
{
    const QString n = name.trimmed().toLower();
    for (ColorMapKind kind : allColorMapKinds())
        if (n == colorMapKindToString(kind))
            return kind;
    if (n == QLatin1String("greyscale") || n == QLatin1String("gray") || n == QLatin1String("grey"))
        return ColorMapKind::Grayscale;
    return std::nullopt;
}

QString colorMapDisplayName(ColorMapKind kind)
{
    switch (kind) {
    case ColorMapKind::Viridis:
        return QCoreApplication::translate("attn::ColorMap", "Viridis");
    case ColorMapKind::Cividis:
        return QCoreApplication::translate("attn::ColorMap", "Cividis");
    case ColorMapKind::Magma:
        return QCoreApplication::translate("attn::ColorMap", "Magma");
    case ColorMapKind::Grayscale:
        return QCoreApplication::translate("attn::ColorMap", "Grayscale");
    }
    return {};
}

QCPColorGradient colorMapGradient(ColorMapKind kind)
{
    QCPColorGradient g;
    switch (kind) {
    case ColorMapKind::Viridis:
        g = gradientFromStops(kViridis);
        break;
    case ColorMapKind::Cividis:
        g = gradientFromStops(kCividis);
        break;
    case ColorMapKind::Magma:
        g = gradientFromStops(kMagma);
        break;
    case ColorMapKind::Grayscale:
        g.clearColorStops();
        g.setColorStopAt(0.0, Qt::black);
        g.setColorStopAt(1.0, Qt::white);
        break;
    }
    g.setColorInterpolation(QCPColorGradient::ciRGB);
    g.setLevelCount(256);
    g.setNanHandling(QCPColorGradient::nhTransparent);
    return g;
}

} // namespace attn
