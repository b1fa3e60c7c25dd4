// SPDX-License-Identifier: GPL-3.0-or-later
// The compare worker: lives in its own QThread (Qt's worker-object pattern, as TrainingWorker)
// and trains a compare grid (mechanisms x seeds, core/train/compare.h), several runs at once. A
// stop request arrives through an atomic checked between batches; results leave as value types
// in queued signals, progress at most ~30 times per second. Every signal carries the id of the compare it
// belongs to (the one passed to run()), so a receiver can drop those of a replaced compare.
#pragma once

#include "app/session/runsettings.h"
#include "core/train/compare.h"
#include "core/snapshot/snapshot.h"

#include <QMetaType>
#include <QObject>
#include <QString>
#include <atomic>

Q_DECLARE_METATYPE(attn::CompareGrid)
Q_DECLARE_METATYPE(attn::CompareRun)

class CompareWorker : public QObject {
    Q_OBJECT
public:
    explicit CompareWorker(QObject *parent = nullptr);

    /// Thread-safe: ends the compare between two batches; the run in progress is dropped.
    /// Also cancels a compare that was requested but has not begun.
    void requestStop();
    /// Clears a previous stop request; call it (from the requesting thread) before queueing a
    /// compare to run(). run() itself does not clear it, so a stop that arrives between the
    /// request and the start of run() still counts.
    void clearStop();

    /// The Trainer factory of a compare over base: base with model.attention = mechanism and
    /// train.seed = seed, built by makeTrainer (so the data split follows the seed only, and "none"
    /// matches the published mechanism's parameter count). Used by this worker and the headless
    /// --compare.
    static attn::TrainerFactory trainerFactory(const RunSettings &base);

    /// Registers the value types of the signals below for queued connections (idempotent).
    static void registerTypes();

public slots:
    /// Trains every run of grid (seeds from grid.baseSeed; base.train.seed is ignored), up to
    /// threadCount(base) at once (from the calling worker thread and threads of its own), until
    /// all are done or a stop is requested. Emits compareStarted, then per run runStarted,
    /// epochDone per epoch (progress in between) and runFinished, the runs interleaved and
    /// finishing in any order when several train at once; ends with exactly one of finished,
    /// stopped or failed.
    /// compareId: the caller's id of this compare, repeated by every signal it emits.
    void run(const RunSettings &base, const attn::CompareGrid &grid, long long compareId);

signals:
    void compareStarted(long long compareId, int totalRuns);
    /// Run runId (0-based, CompareGrid::cell order) of mechanism (toString name) with seed
    /// index runIndex (seed = base seed + runIndex) is built; parameters = its model's count.
    void runStarted(long long compareId, int runId, const QString &mechanism, int runIndex,
                    qulonglong seed, long long parameters);
    void progress(long long compareId, int runId, const attn::ProgressInfo &info);
    void epochDone(long long compareId, int runId, const attn::EpochSnapshot &snapshot);
    void runFinished(long long compareId, const attn::CompareRun &run);
    void finished(long long compareId);
    void stopped(long long compareId);
    void failed(long long compareId, const QString &message);

private:
    std::atomic<bool> m_stop{false};
};
