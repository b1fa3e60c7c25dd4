// SPDX-License-Identifier: GPL-3.0-or-later
// Headless training loop, JSON lines and exports (widgets rendered offscreen).
#include "app/headlessrunner.h"

#include "app/metricscsv.h"
#include "app/snapshotjson.h"
#include "widgets/curvesview.h"
#include "widgets/heatmapview.h"
#include "widgets/replayexporter.h"

#include <QDir>
#include <exception>

HeadlessRunner::HeadlessRunner(const RunSettings &settings, const QString &exportDir,
                               const QString &gifPath)
    : m_settings(settings), m_exportDir(exportDir), m_gifPath(gifPath)
{
}

int HeadlessRunner::run(QTextStream &out, QTextStream &err)
{
    std::vector<attn::EpochSnapshot> history;
    try {
        auto trainer = makeTrainer(m_settings);
        if (!m_exportDir.isEmpty() || !m_gifPath.isEmpty())
            history.push_back(trainer->evaluateSnapshot()); // epoch 0 opens the replay
        while (!trainer->finished()) {
            history.push_back(*trainer->trainEpoch());
            out << snapshotToJsonLine(history.back()) << '\n';
            out.flush();
        }
    } catch (const std::exception &e) {
        err << "attention-studio: training failed: " << e.what() << '\n';
        return 1;
    }
    if (!m_exportDir.isEmpty() && !exportDir(history, err))
        return 1;
    if (!m_gifPath.isEmpty()) {
        attn::ReplayExporter exporter;
        exporter.setFrameSize(exporter.fittedFrameSize(history.back(), 960));
        if (!exporter.writeGif(history, m_gifPath)) {
            err << "attention-studio: --gif: " << exporter.errorString() << '\n';
            return 1;
        }
    }
    return 0;
}

bool HeadlessRunner::exportDir(const std::vector<attn::EpochSnapshot> &history, QTextStream &err)
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
    QString error;
    if (!writeMetricsCsv(history, dir.filePath("metrics.csv"), &error)) {
        err << "attention-studio: --export-dir: " << error << '\n';
        return false;
    }
    attn::ReplayExporter frames;
    frames.setFrameSize(frames.fittedFrameSize(history.back(), 960));
    if (!frames.writePngSeries(history, dir.filePath("frames"))) {
        err << "attention-studio: --export-dir: " << frames.errorString() << '\n';
        return false;
    }
    return true;
}
