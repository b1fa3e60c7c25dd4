// SPDX-License-Identifier: GPL-3.0-or-later
// Owns the worker thread and the TrainingWorker in it (Qt's worker-object pattern). The GUI
// talks to this object only; destroying it stops training between batches and joins the thread.
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
    void setLearningRate(double lr);
    TrainingWorker::State state() const { return m_state; }
    bool isActive() const;
    TrainingWorker *worker() const { return m_worker; }

signals:
    void runRequested(const RunSettings &settings, long long runId); // queued to the worker's run()
    void stateChanged(TrainingWorker::State state);

private:
    void onWorkerState(TrainingWorker::State state);

    QThread m_thread;
    TrainingWorker *m_worker;
    TrainingWorker::State m_state = TrainingWorker::State::Idle;
    int m_pendingRuns = 0; // runs requested whose run() has not begun yet
};
