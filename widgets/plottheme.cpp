// SPDX-License-Identifier: GPL-3.0-or-later
// PlotTheme: walks a QCustomPlot's layout tree and recolours its chrome. Axis rects inside
// nested layout grids are found through QCPLayoutElement::elements(true); a colour scale's
// private axis rect is not part of that tree and is reached through its axis.
#include "widgets/plottheme.h"

#include <QBrush>
#include <QPen>

#include <qcustomplot.h>

namespace attn {

namespace {

void applyToAxis(QCPAxis *axis, const PlotTheme &t)
{
    const QPen pen(t.foreground, 0.0);
    axis->setBasePen(pen);
    axis->setTickPen(pen);
    axis->setSubTickPen(pen);
    axis->setLabelColor(t.foreground);
    axis->setTickLabelColor(t.foreground);
    axis->grid()->setPen(QPen(t.grid, 0.0, Qt::DotLine));
    axis->grid()->setSubGridPen(QPen(t.subGrid, 0.0, Qt::DotLine));
    axis->grid()->setZeroLinePen(QPen(t.grid, 0.0, Qt::SolidLine));
}

} // namespace

PlotTheme PlotTheme::light()
{
    return {QColor(Qt::white), QColor(Qt::black), QColor(200, 200, 200), QColor(220, 220, 220),
            QColor(128, 128, 128)};
}

PlotTheme PlotTheme::dark()
{
    return {QColor(0x23, 0x26, 0x29), QColor(0xe6, 0xe6, 0xe6), QColor(0x55, 0x59, 0x5e),
            QColor(0x3d, 0x40, 0x44), QColor(0x9a, 0x9d, 0xa1)};
}

PlotTheme PlotTheme::forDark(bool dark)
{
    return dark ? PlotTheme::dark() : PlotTheme::light();
}

void PlotTheme::apply(QCustomPlot *plot) const
{
    plot->setBackground(QBrush(background));
    for (QCPLayoutElement *element : plot->plotLayout()->elements(true)) {
        if (auto *rect = qobject_cast<QCPAxisRect *>(element)) {
            for (QCPAxis *axis : rect->axes())
                applyToAxis(axis, *this);
        } else if (auto *scale = qobject_cast<QCPColorScale *>(element)) {
            for (QCPAxis *axis : scale->axis()->axisRect()->axes())
                applyToAxis(axis, *this);
        } else if (auto *text = qobject_cast<QCPTextElement *>(element)) {
            text->setTextColor(foreground);
        } else if (auto *legend = qobject_cast<QCPLegend *>(element)) {
            legend->setTextColor(foreground);
        }
    }
    // The legend may sit in an axis rect's inset layout rather than in the main layout.
    if (plot->legend)
        plot->legend->setTextColor(foreground);
}

} // namespace attn
