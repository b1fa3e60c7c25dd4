// SPDX-License-Identifier: GPL-3.0-or-later
// Headless mode: trains a run in the calling thread without a window, prints one JSON object per
// epoch on stdout, and exports the final heatmap and curves as PNG to a directory.
#pragma once

#include "app/runsettings.h"

#include <QString>
#include <QTextStream>

class HeadlessRunner {
public:
    HeadlessRunner(const RunSettings &settings, const QString &exportDir);
    /// Returns the process exit status: 0 on success, 1 if training or an export failed.
    /// Errors go to err as one line naming what failed.
    int run(QTextStream &out, QTextStream &err);

private:
    bool exportPngs(const std::vector<attn::EpochSnapshot> &history, QTextStream &err);

    RunSettings m_settings;
    QString m_exportDir;
};
