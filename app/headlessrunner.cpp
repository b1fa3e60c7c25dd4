// SPDX-License-Identifier: GPL-3.0-or-later
// Headless training loop, JSON lines and PNG export (widgets rendered offscreen).
#include "app/headlessrunner.h"

#include "app/snapshotjson.h"
#include "widgets/curvesview.h"
#include "widgets/heatmapview.h"

#include <QDir>
#include <exception>

HeadlessRunner::HeadlessRunner(const RunSettings &settings, const QString &exportDir)
    : m_settings(settings), m_exportDir(exportDir)
{
}

int HeadlessRunner::run(QTextStream &out, QTextStream &err)
{
    std::vector<attn::EpochSnapshot> history;
    try {
        auto trainer = makeTrainer(m_settings);
        while (!trainer->finished()) {
            history.push_back(*trainer->trainEpoch());
            out << snapshotToJsonLine(history.back()) << '\n';
            out.flush();
        }
    } catch (const std::exception &e) {
        err << "attention-studio: training failed: " << e.what() << '\n';
        return 1;
    }
    if (!m_exportDir.isEmpty() && !exportPngs(history, err))
        return 1;
    return 0;
}

bool HeadlessRunner::exportPngs(const std::vector<attn::EpochSnapshot> &history, QTextStream &err)
{
    if (!QDir().mkpath(m_exportDir)) {
        err << "attention-studio: --export-dir: cannot create directory '" << m_exportDir << "'\n";
        return false;
    }
    const QDir dir(m_exportDir);
    attn::HeatmapView heatmap;
    heatmap.resize(1200, 520);
    heatmap.setSnapshot(history.back());
    attn::CurvesView curves;
    curves.resize(1200, 420);
    curves.setHistory(history);
    const struct {
        QString name;
        bool ok;
    } files[] = {
        {"heatmap.png", heatmap.savePng(dir.filePath("heatmap.png"), 1200, 520)},
        {"loss.png", curves.saveLossPng(dir.filePath("loss.png"), 800, 450)},
        {"alignment.png", curves.saveAlignmentPng(dir.filePath("alignment.png"), 800, 450)},
    };
    for (const auto &f : files)
        if (!f.ok) {
            err << "attention-studio: cannot write '" << dir.filePath(f.name) << "'\n";
            return false;
        }
    return true;
}
