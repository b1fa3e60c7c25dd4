// SPDX-License-Identifier: GPL-3.0-or-later
// Worker thread lifetime and the queued hand-off of runs to the worker.
#include "app/session/trainingcontroller.h"

#include "app/session/metatypes.h"

TrainingController::TrainingController(QObject *parent) : QObject(parent)
{
    registerMetaTypes();
    m_worker = new TrainingWorker; // no parent: it moves to the worker thread
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(this, &TrainingController::runRequested, m_worker, &TrainingWorker::run,
            Qt::QueuedConnection);
    connect(m_worker, &TrainingWorker::runBegan, this, [this] { --m_pendingRuns; },
            Qt::QueuedConnection);
    connect(m_worker, &TrainingWorker::stateChanged, this, &TrainingController::onWorkerState,
            Qt::QueuedConnection);
    m_thread.setObjectName("training");
    m_thread.start();
}

TrainingController::~TrainingController()
{
    m_worker->requestStop();
    m_thread.quit();
    m_thread.wait();
}

void TrainingController::start(const RunSettings &settings, bool paused)
{
    if (isActive())
        m_worker->requestStop();
    const long long runId = m_worker->nextRunId(); // after the stop: it does not stop this run
    ++m_pendingRuns;
    m_worker->requestResume();
    if (paused)
        m_worker->requestPause(); // run() checks it before its first epoch
    emit runRequested(settings, runId);
}

void TrainingController::pause() { m_worker->requestPause(); }
void TrainingController::resume() { m_worker->requestResume(); }
void TrainingController::step() { m_worker->requestStep(); }
void TrainingController::stop() { m_worker->requestStop(); }
void TrainingController::setLearningRate(double lr) { m_worker->requestLearningRate(lr); }

bool TrainingController::isActive() const
{
    return m_pendingRuns > 0 || m_state == TrainingWorker::State::Running ||
           m_state == TrainingWorker::State::Paused;
}

void TrainingController::onWorkerState(TrainingWorker::State state)
{
    // The end of a run that a newer start() replaced is not news for the GUI.
    if (m_pendingRuns > 0 &&
        (state == TrainingWorker::State::Stopped || state == TrainingWorker::State::Finished))
        return;
    m_state = state;
    emit stateChanged(state);
}
