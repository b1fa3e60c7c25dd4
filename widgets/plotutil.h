// SPDX-License-Identifier: GPL-3.0-or-later
// Small helpers shared by the QCustomPlot views: integer-only axis ticks, the "title row /
// axis rect / centred legend row" layout of the epoch-keyed curve plots, padded value ranges,
// text broken into lines to a width, and the PNG (exact pixel size at a scale) and PDF export.
#pragma once

#include <QFont>
#include <QImage>
#include <QSharedPointer>
#include <QString>
#include <QStringList>

#include <qcustomplot.h>

namespace attn {

/// Integer-only ticks (1, 2, 5, 10, ... apart) for time-step, sample and feature axes.
QSharedPointer<QCPAxisTickerFixed> integerTicker();

/// Lays plot out as: a bold title row (plot->plotLayout()->element(0, 0), a QCPTextElement)
/// above the axis rect, and a row below it holding plot->legend, centred, one line, no frame;
/// the x axis is labelled "epoch" with integer ticks.
void setupEpochPlot(QCustomPlot *plot, const QString &title, const QFont &baseFont);

/// Moves plot->legend out of the axis rect into a new last row of the plot layout (at `row`),
/// centred, one line, no frame, so that it never covers data.
void placeLegendBelow(QCustomPlot *plot, int row);

/// Runs plot's layout passes now (preparation, margins, layout) so that axis-rect and margin
/// sizes can be read before the next replot.
void layoutNow(QCustomPlot *plot);

/// A colour scale for attention weights at the right of a panel row: gradient over 0..1, no
/// drag or zoom, 14 px wide, labelled "weight" (label text given), ticks every 0.2 with one decimal.
QCPColorScale *makeWeightColorScale(QCustomPlot *plot, const QCPColorGradient &gradient,
                                    const QString &label);

/// Linear range around [lo, hi] with 5% headroom (and a sensible width for a flat curve).
QCPRange paddedRange(double lo, double hi);

/// The parts joined by separator, with a line break instead of the separator wherever the
/// next part would make the line wider than width pixels in font (a part longer than width
/// stays whole on its own line). For titles and notes that must not be clipped.
QString wrapParts(const QStringList &parts, const QFont &font, double width,
                  const QString &separator = QStringLiteral(" \u00b7 "));

/// Sets title and summary (text elements of plot) to their parts wrapped to the plot's width
/// less 24 px (wrapParts), and lays plot out again if either text changed. The caller guards
/// against re-entry: the new layout can resize the plot.
void setWrappedTexts(QCustomPlot *plot, QCPTextElement *title, const QStringList &titleParts,
                     QCPTextElement *summary, const QStringList &summaryParts);

/// Renders plot into a PNG file of exactly round(width*scale) x round(height*scale) pixels:
/// laid out at width x height and drawn scale times larger; the file records 96*scale dots
/// per inch. width/height 0 mean the plot's current size. Queues a replot at the widget's
/// own size afterwards. Written with saveBytes (widgets/imagefile.h): false and *error
/// "PATH: cannot write the file: REASON" if the file cannot be written, the old file kept.
bool savePlotPng(QCustomPlot *plot, const QString &path, int width, int height, double scale,
                 QString *error = nullptr);
/// The same image in memory (what savePlotPng writes).
QImage plotImage(QCustomPlot *plot, int width, int height, double scale);
/// Renders plot as a vector PDF page of width x height units (0: the plot's current size),
/// with title as the document title (plotPdfBytes), written with saveBytes; false and *error
/// as savePlotPng.
bool savePlotPdf(QCustomPlot *plot, const QString &path, int width, int height,
                 const QString &title, QString *error = nullptr);

} // namespace attn
