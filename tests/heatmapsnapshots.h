// SPDX-License-Identifier: GPL-3.0-or-later
// What the HeatmapView tests share: small snapshots with known grids (a ramp of distinct
// weights, a one-hot ground truth, add-task-like inputs) and the pixel centre of a cell.
#pragma once

#include "core/snapshot/snapshot.h"
#include "widgets/heatmapview.h"

#include <qcustomplot.h>

#include <QPointF>
#include <QRgb>

#include <cstdlib>

namespace heatmaptest {

using attn::EpochSnapshot;
using attn::Grid;
using attn::HeatmapView;

inline Grid makeGrid(int rows, int cols, double (*value)(int r, int c))
{
    Grid g;
    g.rows = rows;
    g.cols = cols;
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c)
            g.values.push_back(float(value(r, c)));
    return g;
}

// 3x5: every cell distinct, increasing row-major from 0.05 to 0.89.
inline double rampValue(int r, int c) { return 0.05 + 0.06 * double(r * 5 + c); }
// Ground truth: one-hot at column (r + 1).
inline double oneHotValue(int r, int c) { return c == r + 1 ? 1.0 : 0.0; }
inline double narrowValue(int r, int c) { return 0.2 + 0.1 * double(r * 5 + c) / 14.0; }

inline EpochSnapshot makeSnapshot(bool withArgmax)
{
    EpochSnapshot s;
    s.epoch = 3;
    s.totalEpochs = 10;
    s.alignment = 0.93;
    s.attention = makeGrid(3, 5, rampValue);
    s.groundTruth = makeGrid(3, 5, oneHotValue);
    if (withArgmax)
        s.argmaxAttention = makeGrid(3, 5, oneHotValue);
    return s;
}

// Inputs of the add task's shape: zeros (delimiters) at columns 1 and 3 of every row, the
// other values distinct and between 0.1 and 0.9.
inline double inputValue(int r, int c) { return (c == 1 || c == 3) ? 0.0 : 0.1 + 0.05 * double(r * 5 + c); }

inline EpochSnapshot makeSnapshotWithInputs()
{
    EpochSnapshot s = makeSnapshot(false);
    s.probeInputs = makeGrid(3, 5, inputValue);
    return s;
}

/// Pixel centre of cell (row, col) of a panel in plot coordinates, after a layout pass.
inline QPointF cellCentre(HeatmapView &view, int panel, int row, int col)
{
    QCPColorMap *map = view.colorMap(panel);
    return {map->keyAxis()->coordToPixel(col), map->valueAxis()->coordToPixel(row)};
}

inline int colorDistance(QRgb a, QRgb b)
{
    return std::abs(qRed(a) - qRed(b)) + std::abs(qGreen(a) - qGreen(b)) +
           std::abs(qBlue(a) - qBlue(b));
}

} // namespace heatmaptest
