// SPDX-License-Identifier: GPL-3.0-or-later
// Worker thread lifetime, the queued hand-off of runs to the worker and the run-id filter on
// what comes back.
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
    // Every worker signal is queued to this thread and passed on only for the newest run.
    connect(m_worker, &TrainingWorker::runBegan, this, [this](long long runId) {
        if (isCurrent(runId))
            m_begun = true;
    }, Qt::QueuedConnection);
    connect(m_worker, &TrainingWorker::stateChanged, this, &TrainingController::onWorkerState,
            Qt::QueuedConnection);
    connect(m_worker, &TrainingWorker::runStarted, this,
            [this](long long runId, long long parameterCount, int batchesPerEpoch, int threads) {
                if (isCurrent(runId))
                    emit runStarted(parameterCount, batchesPerEpoch, threads);
            }, Qt::QueuedConnection);
    connect(m_worker, &TrainingWorker::snapshotReady, this,
            [this](long long runId, const attn::EpochSnapshot &snapshot) {
                if (isCurrent(runId))
                    emit snapshotReady(snapshot);
            }, Qt::QueuedConnection);
    connect(m_worker, &TrainingWorker::modelReady, this,
            [this](long long runId, const TrainedModelPtr &model) {
                if (isCurrent(runId))
                    emit modelReady(model);
            }, Qt::QueuedConnection);
    connect(m_worker, &TrainingWorker::progress, this,
            [this](long long runId, const attn::ProgressInfo &info) {
                if (isCurrent(runId))
                    emit progress(info);
            }, Qt::QueuedConnection);
    connect(m_worker, &TrainingWorker::failed, this, [this](long long runId, const QString &message) {
        if (isCurrent(runId))
            emit failed(message);
    }, Qt::QueuedConnection);
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
    m_runId = m_worker->nextRunId(); // after the stop: it does not stop this run
    m_begun = false;
    m_state = TrainingWorker::State::Idle; // until the new run reports its state
    m_worker->requestResume();
    m_holding = paused;
    if (paused)
        m_worker->requestPause(); // run() checks it before its first epoch
    emit runRequested(settings, m_runId);
}

void TrainingController::pause()
{
    m_holding = true;
    m_worker->requestPause();
}

void TrainingController::resume()
{
    m_holding = false;
    m_worker->requestResume();
}

void TrainingController::step()
{
    m_holding = true; // it pauses again after the epoch
    m_worker->requestStep();
}

void TrainingController::stop() { m_worker->requestStop(); }
void TrainingController::abandon()
{
    m_worker->requestStop(); // also a run requested but not begun
    m_runId = 0;             // no run has id 0: whatever the worker still sends is dropped
    m_begun = true;
    m_holding = false;
    m_state = TrainingWorker::State::Stopped;
    emit stateChanged(m_state);
}

void TrainingController::setLearningRate(double lr) { m_worker->requestLearningRate(lr); }

bool TrainingController::isActive() const
{
    return !m_begun || m_state == TrainingWorker::State::Running ||
           m_state == TrainingWorker::State::Paused;
}

void TrainingController::onWorkerState(long long runId, TrainingWorker::State state)
{
    if (!isCurrent(runId)) // the end of a run that a newer start() replaced is not news
        return;
    m_state = state;
    if (state == TrainingWorker::State::Paused)
        m_holding = true; // also when a step's epoch ended
    emit stateChanged(state);
}
