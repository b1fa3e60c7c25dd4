// SPDX-License-Identifier: GPL-3.0-or-later
// Worker-thread training loop with pause/resume/step/stop between batches.
#include "app/session/trainingworker.h"

#include "app/session/threadpriority.h"

#include <QElapsedTimer>
#include <QMutexLocker>
#include <exception>

TrainingWorker::TrainingWorker(QObject *parent) : QObject(parent) {}

void TrainingWorker::requestPause() { m_pause = true; }

void TrainingWorker::requestResume()
{
    m_pauseAfterEpoch = false;
    QMutexLocker lock(&m_mutex);
    m_pause = false;
    m_wake.wakeAll();
}

void TrainingWorker::requestStep()
{
    m_pauseAfterEpoch = true;
    QMutexLocker lock(&m_mutex);
    m_pause = false;
    m_wake.wakeAll();
}

void TrainingWorker::requestStop()
{
    QMutexLocker lock(&m_mutex);
    m_stopUpTo = m_newestRunId.load(); // also the runs requested but not begun
    m_wake.wakeAll();
}

void TrainingWorker::requestLearningRate(double lr) { m_pendingLearningRate = lr; }

bool TrainingWorker::waitWhilePaused(long long runId)
{
    if (!m_pause || stopRequested())
        return !stopRequested();
    emit stateChanged(runId, State::Paused);
    {
        QMutexLocker lock(&m_mutex);
        while (m_pause && !stopRequested())
            m_wake.wait(&m_mutex);
    }
    if (!stopRequested())
        emit stateChanged(runId, State::Running);
    return !stopRequested();
}

long long TrainingWorker::nextRunId() { return ++m_newestRunId; }

void TrainingWorker::run(const RunSettings &settings, long long runId)
{
    m_runId = runId; // a stop requested since nextRunId() handed out runId still applies
    lowerThisThreadPriority(); // and so the Trainer's slice threads: the window stays fluid
    emit runBegan(runId);
    std::unique_ptr<attn::Trainer> trainer;
    attn::ModelSpec spec;
    try {
        trainer = makeTrainer(settings, &spec);
    } catch (const std::exception &e) {
        emit failed(runId, QString::fromUtf8(e.what()));
        emit stateChanged(runId, State::Failed);
        return;
    }
    emit runStarted(runId, trainer->model().parameterCount(), trainer->batchesPerEpoch(),
                    trainer->threads());
    // Epoch 0 goes out before the state: whoever sees Paused or Running already has it.
    emit snapshotReady(runId, trainer->evaluateSnapshot());
    emit modelReady(runId, attn::captureTrainedModel(trainer->model(), spec, 0));
    emit stateChanged(runId, m_pause ? State::Paused : State::Running);

    QElapsedTimer sinceProgress;
    sinceProgress.start();
    auto onBatch = [&](const attn::ProgressInfo &info) {
        if (sinceProgress.elapsed() >= 33) { // ~30 updates per second at most
            sinceProgress.restart();
            emit progress(runId, info);
        }
        if (!waitWhilePaused(runId))
            return attn::Trainer::Control::Stop;
        return attn::Trainer::Control::Continue;
    };

    while (!trainer->finished()) {
        if (!waitWhilePaused(runId))
            break;
        if (const double lr = m_pendingLearningRate.exchange(0.0); lr > 0.0)
            trainer->setLearningRate(lr);
        const auto snapshot = trainer->trainEpoch(onBatch);
        if (!snapshot)
            break;
        emit snapshotReady(runId, *snapshot);
        emit modelReady(runId, attn::captureTrainedModel(trainer->model(), spec, trainer->epoch()));
        if (m_pauseAfterEpoch.exchange(false))
            m_pause = true;
    }
    // Early stopping ends with the best epoch's weights: they become the run's model (Save
    // model, Predict), as in the headless run.
    if (!stopRequested() && trainer->finished() && trainer->config().patience > 0 &&
        trainer->bestEpoch() < trainer->epoch()) {
        (void)trainer->restoreBest();
        emit modelReady(runId, attn::captureTrainedModel(trainer->model(), spec, trainer->bestEpoch()));
    }
    emit stateChanged(runId, stopRequested() ? State::Stopped : State::Finished);
}
