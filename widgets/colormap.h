// SPDX-License-Identifier: GPL-3.0-or-later
// ColorMapKind: the colour maps the heatmaps can use for attention weights, their stable names
// (for QSettings and the command line), display names (for menus) and QCustomPlot gradients.
// viridis (the default), cividis and magma are perceptually uniform and readable with the
// common colour-vision deficiencies; grayscale is for print.
#pragma once

#include <QList>
#include <QString>

#include <qcustomplot.h>

#include <optional>

namespace attn {

enum class ColorMapKind {
    Viridis,   // matplotlib's default map (van der Walt & Smith, 2015): dark purple -> yellow
    Cividis,   // optimised for red-green colour-vision deficiency (Nunez et al., 2018)
    Magma,     // black -> purple -> orange -> pale yellow (van der Walt & Smith, 2015)
    Grayscale, // black -> white, linear in sRGB
};

/// Every kind, in menu order (Viridis first).
QList<ColorMapKind> allColorMapKinds();
/// Stable lower-case name: "viridis", "cividis", "magma", "grayscale".
QString colorMapKindToString(ColorMapKind kind);
/// Inverse of colorMapKindToString, case-insensitive and ignoring surrounding blanks; also
/// accepts "greyscale", "gray" and "grey". std::nullopt for anything else.
std::optional<ColorMapKind> colorMapKindFromString(const QString &name);
/// Translated name for menus: "Viridis", "Cividis", "Magma", "Grayscale".
QString colorMapDisplayName(ColorMapKind kind);
/// The gradient for positions 0..1: colour stops sampled from the published 256-entry maps,
/// linearly interpolated in RGB, 256 levels, NaN drawn transparent.
QCPColorGradient colorMapGradient(ColorMapKind kind);

} // namespace attn
