// SPDX-License-Identifier: GPL-3.0-or-later
// What the MainWindow tests share: a short run on the max task, the check that the heatmap shows
// a snapshot's attention weights, and settings kept out of the user's own (settingsisolation.h).
#pragma once

#include "app/session/runsettings.h"
#include "core/snapshot/snapshot.h"
#include "tests/settingsisolation.h"
#include "widgets/heatmapview.h"

#include <QString>

#include <cmath>

namespace mainwindowtest {

inline RunSettings smallRun(int epochs)
{
    RunSettings s = RunSettings::defaults(attn::TaskKind::Max);
    s.model.hidden = 16;
    s.model.attentionUnits = 16;
    s.train.epochs = epochs;
    s.size = {1024, 128};
    return s;
}

// The attention panel's cells equal the snapshot's attention weights.
inline bool heatmapShows(attn::HeatmapView *view, const attn::EpochSnapshot &s)
{
    const int panel = view->panelIndex(QStringLiteral("Attention"));
    if (panel < 0)
        return false;
    for (int r = 0; r < s.attention.rows; ++r)
        for (int c = 0; c < s.attention.cols; ++c)
            if (std::abs(view->cellValue(panel, r, c) - double(s.attention.at(r, c))) > 1e-6)
                return false;
    return true;
}

using testsupport::isolateSettings;

} // namespace mainwindowtest
