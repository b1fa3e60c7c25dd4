// SPDX-License-Identifier: GPL-3.0-or-later
// What the MainWindow tests share: a short run on the max task, the check that the heatmap shows
// a snapshot's attention weights, and settings kept out of the user's own (QSettings in a
// temporary directory, meta types registered).
#pragma once

#include "app/session/metatypes.h"
#include "app/session/runsettings.h"
#include "core/snapshot/snapshot.h"
#include "widgets/heatmapview.h"

#include <QApplication>
#include <QSettings>
#include <QString>
#include <QTemporaryDir>

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

/// Registers the meta types and points QSettings at dir under the application name appName,
/// so that a test never reads or writes the user's real settings.
inline void isolateSettings(const QTemporaryDir &dir, const char *appName)
{
    registerMetaTypes();
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, dir.path());
    QApplication::setOrganizationName("attention-studio-test");
    QApplication::setApplicationName(appName);
}

} // namespace mainwindowtest
