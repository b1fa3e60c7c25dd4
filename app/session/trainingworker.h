// SPDX-License-Identifier: GPL-3.0-or-later
// The training worker: lives in its own QThread and owns the model. run() trains epoch by epoch;
// pause, resume, step-one-epoch, stop and learning-rate changes arrive through atomics (checked
// between batches, since run() keeps the worker's event loop busy). Results leave as immutable
// value snapshots in queued signals; progress at most ~30 times per second.
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
    void requestStop();
    void requestLearningRate(double lr);

public slots:
    /// Trains the run described by settings in the calling (worker) thread until it finishes or
    /// is stopped. Emits epoch 0 (untrained weights) first, then one snapshot per epoch.
    void run(const RunSettings &settings);

signals:
    void runBegan(); // first thing run() does, before the data is generated
    void runStarted(long long parameterCount, int batchesPerEpoch);
    void snapshotReady(const attn::EpochSnapshot &snapshot);
    /// A copy of the weights after each snapshot's epoch (for File > Save model and Predict).
    void modelReady(const TrainedModelPtr &model);
    void progress(const attn::ProgressInfo &info);
    void stateChanged(TrainingWorker::State state);
    void failed(const QString &message);

private:
    /// Blocks while paused; returns false when a stop was requested.
    bool waitWhilePaused();

    std::atomic<bool> m_stop{false};
    std::atomic<bool> m_pause{false};
    std::atomic<bool> m_pauseAfterEpoch{false};
    std::atomic<double> m_pendingLearningRate{0.0}; // 0 = no change pending
    QMutex m_mutex;
    QWaitCondition m_wake;
};
