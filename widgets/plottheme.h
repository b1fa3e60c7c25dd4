// SPDX-License-Identifier: GPL-3.0-or-later
// PlotTheme: the colours of a QCustomPlot's chrome (background, axes, tick labels, grid, titles,
// legend, colour-scale frames) for the light and the dark palette, so the views can follow the
// system theme. Data colours (curves, colour maps) are not part of the theme.
#pragma once

#include <QColor>

class QCustomPlot;

namespace attn {

struct PlotTheme {
    QColor background; // plot background
    QColor foreground; // axes, ticks, tick labels, axis labels, titles, legend text
    QColor grid;       // major grid lines
    QColor subGrid;    // minor grid lines
    QColor muted;      // placeholder text and notes

    /// Black on white (QCustomPlot's own defaults for axes and grid).
    static PlotTheme light();
    /// Light grey on a near-black background, grid lines dimmed to stay behind the data.
    static PlotTheme dark();
    /// light() or dark().
    static PlotTheme forDark(bool dark);

    /// Recolours plot: its background, every axis of every axis rect (pens, labels, tick
    /// labels, grid, sub-grid and zero line), every QCPTextElement, legend and the axes of
    /// every QCPColorScale anywhere in its layout. Call again after adding axis rects.
    /// Does not replot.
    void apply(QCustomPlot *plot) const;
};

} // namespace attn
