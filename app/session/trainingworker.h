// SPDX-License-Identifier: GPL-3.0-or-later
// The training worker: lives in its own QThread and owns the model. run() trains epoch by epoch;
// pause, resume, step-one-epoch, stop and learning-rate changes arrive through atomics (checked
// between batches, since run() keeps the worker's event loop busy). Results leave as immutable
// value snapshots in queued signals; progress at most ~30 times per second. Every signal carries
// the id of the run it belongs to, so a receiver can drop what a replaced run still had queued.
#pragma once

#include "app/session/runsettings.h"
#include "core/snapshot/snapshot.h"
#include "core/savedmodel/trainedmodel.h"

#include <QMutex>
#include <QObject>
#include <QWaitCondition>
#include <atomic>

/// A trained model's weights, copied in the worker thread and read-only everywhere after.
using TrainedModelPtr = std::shared_ptr<const attn::TrainedModel>;

class TrainingWorker : public QObject {
    Q_OBJECT
public:
    enum class State { Idle, Running, Paused, Finished, Stopped, Failed };
    Q_ENUM(State)

    explicit TrainingWorker(QObject *parent = nullptr);

    // Thread-safe controls, callable from any thread.
    void requestPause();
    void requestResume();
    /// Trains exactly one more epoch, then pauses (also when called while running).
    void requestStep();
    /// Stops the run in progress and every run whose id nextRunId() has handed out so far, even
    /// one still queued (a Stop right after Train is not lost).
    void requestStop();
    /// The id to pass to run() for a new run. Thread-safe; call it after stopping the old run.
    long long nextRunId();
    void requestLearningRate(double lr);

public slots:
    /// Trains the run described by settings in the calling (worker) thread until it finishes or
    /// is stopped. Emits epoch 0 (untrained weights) first, before its first stateChanged (so a
    /// run that starts paused is Paused with epoch 0 already sent), then one snapshot per epoch.
    void run(const RunSettings &settings, long long runId);

signals:
    // runId: the id run() was called with (from nextRunId()).
    void runBegan(long long runId); // first thing run() does, before the data is generated
    void runStarted(long long runId, long long parameterCount, int batchesPerEpoch, int threads);
    void snapshotReady(long long runId, const attn::EpochSnapshot &snapshot);
    /// A copy of the weights after each snapshot's epoch (for File > Save model and Predict).
    void modelReady(long long runId, const TrainedModelPtr &model);
    void progress(long long runId, const attn::ProgressInfo &info);
    void stateChanged(long long runId, TrainingWorker::State state);
    void failed(long long runId, const QString &message);

private:
    /// Blocks while paused; returns false when a stop was requested.
    bool waitWhilePaused(long long runId);

    bool stopRequested() const { return m_stopUpTo.load() >= m_runId.load(); }

    std::atomic<long long> m_newestRunId{0}; // the newest id handed out by nextRunId()
    std::atomic<long long> m_stopUpTo{0};    // runs with an id up to this one stop
    std::atomic<long long> m_runId{0};       // the run in progress (set by run())
    std::atomic<bool> m_pause{false};
    std::atomic<bool> m_pauseAfterEpoch{false};
    std::atomic<double> m_pendingLearningRate{0.0}; // 0 = no change pending
    QMutex m_mutex;
    QWaitCondition m_wake;
};
