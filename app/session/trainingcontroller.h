// SPDX-License-Identifier: GPL-3.0-or-later
// Owns the worker thread and the TrainingWorker in it (Qt's worker-object pattern). The GUI
// talks to this object only; destroying it stops training between batches and joins the thread.
// Each start() is a run with its own id; the worker's signals carry it, and this object passes on
// only those of the newest run, so nothing a replaced run still had queued reaches the GUI.
#pragma once

#include "app/session/runsettings.h"
#include "app/session/trainingworker.h"

#include <QObject>
#include <QThread>

class TrainingController : public QObject {
    Q_OBJECT
public:
    explicit TrainingController(QObject *parent = nullptr);
    ~TrainingController() override;

    /// Starts a new run (a run in progress is stopped first). With paused, the run stops after
    /// its untrained epoch-0 snapshot and waits for resume() or step().
    void start(const RunSettings &settings, bool paused = false);
    void pause();
    void resume();
    void step();
    void stop();
    /// Stops the run in progress and drops everything it still sends (also its final state):
    /// for when the run shown no longer matches the settings shown. State becomes Stopped.
    void abandon();
    void setLearningRate(double lr);
    TrainingWorker::State state() const { return m_state; }
    bool isActive() const;
    /// The run is paused, or will pause at its next batch or after the epoch a step() trains
    /// (what the user asked for last, ahead of the worker's report): Pause/Resume resumes then.
    bool isHolding() const { return m_holding; }
    TrainingWorker *worker() const { return m_worker; }
    /// The id of the newest run start() requested (0 before the first).
    long long runId() const { return m_runId; }

signals:
    void runRequested(const RunSettings &settings, long long runId); // queued to the worker's run()
    // The newest run's signals (TrainingWorker's, without the run id); those of older runs are
    // dropped.
    void stateChanged(TrainingWorker::State state);
    void runStarted(long long parameterCount, int batchesPerEpoch, int threads);
    void snapshotReady(const attn::EpochSnapshot &snapshot);
    void modelReady(const TrainedModelPtr &model);
    void progress(const attn::ProgressInfo &info);
    void failed(const QString &message);

private:
    void onWorkerState(long long runId, TrainingWorker::State state);
    bool isCurrent(long long runId) const { return runId == m_runId; }

    QThread m_thread;
    TrainingWorker *m_worker;
    TrainingWorker::State m_state = TrainingWorker::State::Idle;
    long long m_runId = 0; // the newest run requested
    bool m_begun = true;   // its run() has begun (true before the first run: none pending)
    bool m_holding = false; // paused or asked to pause (see isHolding())
};
