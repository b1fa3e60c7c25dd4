// SPDX-License-Identifier: GPL-3.0-or-later
// Headless mode: trains a run in the calling thread without a window, prints one JSON object per
// epoch on stdout, and exports the final heatmap and curves as PNG, the replay as a PNG series
// and the metric history as CSV to a directory, and the replay as an animated GIF.
#pragma once

#include "app/runsettings.h"

#include <QString>
#include <QTextStream>

class HeadlessRunner {
public:
    /// exportDir and gifPath may be empty (no export).
    HeadlessRunner(const RunSettings &settings, const QString &exportDir, const QString &gifPath = {});
    /// Returns the process exit status: 0 on success, 1 if training or an export failed.
    /// Errors go to err as one line naming what failed.
    int run(QTextStream &out, QTextStream &err);

private:
    bool exportDir(const std::vector<attn::EpochSnapshot> &history, QTextStream &err);

    RunSettings m_settings;
    QString m_exportDir;
    QString m_gifPath;
};
