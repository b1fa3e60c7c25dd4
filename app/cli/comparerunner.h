// SPDX-License-Identifier: GPL-3.0-or-later
// The headless compare (--compare) and its sweeps across machines (docs/sweeps.md): trains the
// grid or one shard of it (--shard K/N), writes one result file per run to --result-dir (and
// skips the runs whose valid file is already there, so a preempted job resumes), prints one JSON
// line per run in grid order, then the table; --merge reads the result files of every shard
// back and prints what the unsharded compare prints.
#pragma once

#include "app/session/runsettings.h"
#include "core/train/compare.h"

#include <QCommandLineParser>
#include <QString>
#include <QStringList>
#include <QTextStream>

#include <vector>

/// The sweep options of a compare.
struct SweepOptions {
    attn::Shard shard;     // 1/1: the whole grid
    QString resultDir;     // empty: no result files
    QStringList mergeDirs; // not empty: merge these folders' result files, train nothing
};

class CompareRunner {
public:
    /// exportDir may be empty (no export).
    CompareRunner(const RunSettings &settings, const QString &exportDir,
                  const std::vector<attn::AttentionKind> &mechanisms, int runs, const SweepOptions &sweep);

    /// Trains the shard of mechanisms x runs seeds (settings.train.seed, +1, ...). Prints
    /// {"mechanism","seed","run_id","best_metric","best_epoch","parameters","metric_name"} per run
    /// of the shard in grid order (runs read back from --result-dir too), then, when the shard is
    /// the whole grid, the table in Markdown and the exports (compare.csv, compare.png). Returns
    /// the exit status: 0, or 1 when training or writing a file failed (the message on err).
    int run(QTextStream &out, QTextStream &err);
    /// Reads every *.json of the merge folders and prints what run() prints for the whole grid.
    /// Returns 0; 2 for a result file that cannot be read or is damaged (the message names it),
    /// no result file, or results of different sweeps; 1 when runs of the grid are missing.
    int merge(QTextStream &out, QTextStream &err);

    /// Declares --shard, --result-dir and --merge.
    static void addSweepOptions(QCommandLineParser &parser);
    /// Reads them into sweep; compare: --compare was given. Returns an empty string or the
    /// message of a bad value or combination: a shard not K/N with 1 <= K <= N, --shard or
    /// --result-dir without --compare, --shard without --result-dir, --shard K/N (N > 1) with
    /// --export-dir, --merge without --headless or with --compare, --shard, --result-dir, --gif
    /// or a model file option.
    static QString readSweepOptions(const QCommandLineParser &parser, bool headless, bool compare,
                                    SweepOptions &sweep);
    /// The merge folders: each must be an existing directory. Returns the first problem or "".
    static QString checkMergeDirs(const QStringList &dirs);

private:
    /// The table and the exports of the whole grid (runs in grid order).
    int finish(const std::vector<attn::CompareRun> &runs, attn::TaskKind task, int epochs,
               const attn::CompareGrid &grid, QTextStream &out, QTextStream &err);

    RunSettings m_settings;
    QString m_exportDir;
    std::vector<attn::AttentionKind> m_mechanisms;
    int m_runs = 0;
    SweepOptions m_sweep;
};
