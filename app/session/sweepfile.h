// SPDX-License-Identifier: GPL-3.0-or-later
// The result file of one run of a compare sweep (docs/sweeps.md): the run's stable id, derived
// from its settings, and the JSON file that `--result-dir` writes per run and `--merge` reads
// back exactly (every number in its shortest round-trip form, NaN as null).
#pragma once

#include "app/session/runsettings.h"
#include "core/train/compare.h"

#include <QByteArray>
#include <QString>

#include <cstdint>

/// One result file read back.
struct SweepRunFile {
    QString runId;   // sweepRunId() of the run
    QString sweepId; // sweepId() of the sweep that wrote the file
    attn::TaskKind task = attn::TaskKind::Add;
    int epochs = 0;         // TrainConfig::epochs of every run of the sweep
    attn::CompareGrid grid; // the sweep's grid; run.runId is the run's place in it
    attn::CompareRun run;   // history: the statistics of every epoch (attn::statisticsOnly)
};

/// The stable id of the run of mechanism with seed over base: "MECHANISM-sSEED-HASH", HASH the
/// first 12 hexadecimal digits of SHA-256 over the run's settings (runSettingsToMap() of base
/// with that mechanism and seed, without the thread count, as compact JSON with sorted keys).
/// The same settings give the same id on every machine; any other setting (epochs, sizes,
/// learning rate, a file path as written) gives another.
QString sweepRunId(const RunSettings &base, attn::AttentionKind mechanism, std::uint64_t seed);

/// The id of a whole sweep: 12 hexadecimal digits of SHA-256 over base's settings (without
/// mechanism, seed and thread count) and the grid (mechanisms in order, runs, base seed).
QString sweepId(const RunSettings &base, const attn::CompareGrid &grid);

/// The file name of a run's result: "RUNID.json".
QString sweepRunFileName(const QString &runId);

/// The result file of run (run.runId: its place in grid) of the sweep over base, as JSON
/// ending with a newline: format, version, run_id, sweep_id, task, epochs, grid, run (index,
/// mechanism, run_index, seed, metric_name, best_metric, best_epoch, parameters, history) and
/// the run's settings.
QByteArray sweepRunFileJson(const RunSettings &base, const attn::CompareGrid &grid,
                            const attn::CompareRun &run);

/// Reads and checks a result file. Returns false with *error = "PATH: REASON" for a file that
/// cannot be read (attn::readRegularFile's reasons), is not JSON ("not valid JSON (REASON at
/// byte N): a partial or damaged result file"), is another kind of file or version, lacks a
/// field or holds one of the wrong type ("KEY is missing or not ..."), or contradicts itself
/// (a mechanism or seed not at its place in the grid, a best metric not in its history).
bool readSweepRunFile(const QString &path, SweepRunFile &file, QString *error);
