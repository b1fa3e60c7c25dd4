// SPDX-License-Identifier: GPL-3.0-or-later
// Helpers shared by the QCustomPlot views (moved here from HeatmapView and CurvesView so the
// feature, self-attention and compare views use the same ticks, layout and export).
#include "widgets/plotutil.h"

#include "widgets/imagefile.h"

#include <QFontMetricsF>
#include <QMargins>
#include <QObject>

#include <algorithm>
#include <cmath>

namespace attn {

QSharedPointer<QCPAxisTickerFixed> integerTicker()
{
    auto ticker = QSharedPointer<QCPAxisTickerFixed>::create();
    ticker->setTickStep(1.0);
    ticker->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
    ticker->setTickCount(6);
    return ticker;
}

void setupEpochPlot(QCustomPlot *plot, const QString &title, const QFont &baseFont)
{
    QFont titleFont = baseFont;
    titleFont.setPointSizeF(titleFont.pointSizeF() + 2.0);
    titleFont.setBold(true);
    plot->plotLayout()->insertRow(0);
    plot->plotLayout()->addElement(0, 0, new QCPTextElement(plot, title, titleFont));

    auto ticker = QSharedPointer<QCPAxisTickerFixed>::create();
    ticker->setTickStep(1.0);
    ticker->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
    ticker->setTickCount(8);
    plot->xAxis->setTicker(ticker);
    plot->xAxis->setSubTicks(false);
    plot->xAxis->setLabel(QObject::tr("epoch"));
    plot->xAxis->setRange(0.5, 1.5);

    placeLegendBelow(plot, 2);
}

void placeLegendBelow(QCustomPlot *plot, int row)
{
    // Legend row: empty stretching elements either side keep the legend centred and compact.
    auto *legendRow = new QCPLayoutGrid;
    plot->plotLayout()->addElement(row, 0, legendRow);
    plot->plotLayout()->setRowStretchFactor(row, 0.001);
    plot->legend->setVisible(true);
    plot->axisRect()->insetLayout()->take(plot->legend);
    legendRow->addElement(0, 0, new QCPLayoutElement(plot));
    legendRow->addElement(0, 1, plot->legend);
    legendRow->addElement(0, 2, new QCPLayoutElement(plot));
    legendRow->setColumnStretchFactor(1, 0.001);
    plot->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    plot->legend->setBorderPen(Qt::NoPen);
    plot->legend->setBrush(Qt::NoBrush);
    plot->legend->setMargins(QMargins(6, 0, 6, 4));
}

QCPRange paddedRange(double lo, double hi)
{
    double pad = 0.05 * (hi - lo);
    if (pad <= 0.0)
        pad = std::max(0.05 * std::abs(hi), 1e-3);
    return {lo - pad, hi + pad};
}

QString wrapParts(const QStringList &parts, const QFont &font, double width,
                  const QString &separator)
{
    const QFontMetricsF fm(font);
    QStringList lines;
    for (const QString &part : parts) {
        if (!lines.isEmpty() && fm.horizontalAdvance(lines.back() + separator + part) <= width)
            lines.back() += separator + part;
        else
            lines << part;
    }
    return lines.join(QLatin1Char('\n'));
}

QImage plotImage(QCustomPlot *plot, int width, int height, double scale)
{
    QImage image = plot->toPixmap(width, height, scale).toImage();
    // As QCustomPlot::savePng records 96 * scale dots per inch.
    const int dotsPerMeter = int(double(std::lround(96.0 * scale)) / 0.0254);
    image.setDotsPerMeterX(dotsPerMeter);
    image.setDotsPerMeterY(dotsPerMeter);
    plot->replot(QCustomPlot::rpQueuedReplot); // back to the widget's own layout
    return image;
}

bool savePlotPng(QCustomPlot *plot, const QString &path, int width, int height, double scale,
                 QString *error)
{
    return saveImagePng(plotImage(plot, width, height, scale), path, error);
}

bool savePlotPdf(QCustomPlot *plot, const QString &path, int width, int height,
                 const QString &title, QString *error)
{
    const QByteArray pdf = plotPdfBytes(plot, width, height, title);
    plot->replot(QCustomPlot::rpQueuedReplot);
    if (pdf.isEmpty()) {
        if (error)
            *error = QObject::tr("%1: cannot paint the PDF page").arg(path);
        return false;
    }
    return saveBytes(path, pdf, error);
}

void setWrappedTexts(QCustomPlot *plot, QCPTextElement *title, const QStringList &titleParts,
                     QCPTextElement *summary, const QStringList &summaryParts)
{
    const double width = double(plot->viewport().width()) - 24.0;
    const QString titleText = wrapParts(titleParts, title->font(), width);
    const QString summaryText = wrapParts(summaryParts, summary->font(), width);
    if (titleText == title->text() && summaryText == summary->text())
        return;
    title->setText(titleText);
    summary->setText(summaryText);
    layoutNow(plot);
}

void layoutNow(QCustomPlot *plot)
{
    QCPLayoutGrid *top = plot->plotLayout();
    top->update(QCPLayoutElement::upPreparation);
    top->update(QCPLayoutElement::upMargins);
    top->update(QCPLayoutElement::upLayout);
}

QCPColorScale *makeWeightColorScale(QCustomPlot *plot, const QCPColorGradient &gradient,
                                    const QString &label)
{
    auto *scale = new QCPColorScale(plot);
    scale->setType(QCPAxis::atRight);
    scale->setGradient(gradient);
    scale->setDataRange(QCPRange(0.0, 1.0));
    scale->setRangeDrag(false);
    scale->setRangeZoom(false);
    scale->setBarWidth(14);
    scale->setLabel(label);
    auto ticker = QSharedPointer<QCPAxisTickerFixed>::create();
    ticker->setTickStep(0.2);
    ticker->setScaleStrategy(QCPAxisTickerFixed::ssNone);
    scale->axis()->setTicker(ticker);
    scale->axis()->setNumberFormat(QStringLiteral("f"));
    scale->axis()->setNumberPrecision(1);
    return scale;
}

} // namespace attn
