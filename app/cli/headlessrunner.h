// SPDX-License-Identifier: GPL-3.0-or-later
// Headless mode: trains a run in the calling thread without a window, prints one JSON object per
// epoch on stdout, and exports the final heatmap and curves as PNG, the replay as a PNG series,
// the metric history and the probe rows' attention of every epoch as CSV to a directory, and the
// replay as an animated GIF; saves, loads and predicts with model files.
#pragma once

#include "app/cli/comparerunner.h"
#include "app/session/runsettings.h"
#include "core/savedmodel/trainedmodel.h"

#include <QString>
#include <QTextStream>

class HeadlessRunner {
public:
    /// exportDir and gifPath may be empty (no export).
    HeadlessRunner(const RunSettings &settings, const QString &exportDir, const QString &gifPath = {});
    /// Returns the process exit status: 0 on success, 1 if training or an export failed.
    /// Errors go to err as one line naming what failed.
    int run(QTextStream &out, QTextStream &err);

    /// Model files (docs/model-format.md): saveModel writes the trained model after the run;
    /// loadModel starts the run from saved weights (they must fit the run's model), or, with
    /// predictFile, skips training altogether; predictFile runs the (trained or loaded) model
    /// on a CSV file and writes predictions.csv and prediction_attention.csv to the export directory (the
    /// current directory without one), printing one JSON line with the paths, the row count and
    /// the metric when the file has targets. Any may be empty.
    void setModelFiles(const QString &saveModel, const QString &loadModel, const QString &predictFile);
    /// Declares --save-model, --load-model and --predict.
    static void addModelOptions(QCommandLineParser &parser);
    /// Compare mode instead of one run: run() trains mechanisms x runs seeds (settings.train.seed,
    /// +1, ...; core/train/compare.h) or the shard of them that sweep names, prints one JSON
    /// object per run, then the table in Markdown; the export directory gets compare.csv (the
    /// table) and compare.png (the curves of every run). With sweep.mergeDirs (mechanisms may
    /// be empty) it merges result files instead (CompareRunner).
    void setCompare(const std::vector<attn::AttentionKind> &mechanisms, int runs,
                    const SweepOptions &sweep = {});

    /// Declares --compare (mechanism list) and --runs (1..1000, default 10).
    static void addCompareOptions(QCommandLineParser &parser);
    /// Reads --compare and --runs for settings.task into mechanisms (empty: no compare) and runs.
    /// Returns an empty string, or the message of a bad combination: unknown or inapplicable
    /// mechanisms, --runs outside 1..1000 or without --compare, --compare without --headless,
    /// with --attention or with --gif.
    static QString readCompareOptions(const QCommandLineParser &parser, const RunSettings &settings,
                                      bool headless, std::vector<attn::AttentionKind> &mechanisms,
                                      int &runs);

private:
    bool exportDir(const std::vector<attn::EpochSnapshot> &history, QTextStream &err);
    int runCompare(QTextStream &out, QTextStream &err);
    /// Predicts m_predictFile with model; returns the exit status.
    int predictFile(const attn::TrainedModel &model, QTextStream &out, QTextStream &err);

    RunSettings m_settings;
    QString m_exportDir;
    QString m_gifPath;
    QString m_saveModel;
    QString m_loadModel;
    QString m_predictFile;
    std::vector<attn::AttentionKind> m_compare; // empty: one run
    int m_runs = 0;
    SweepOptions m_sweep;
};
