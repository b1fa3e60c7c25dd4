// SPDX-License-Identifier: GPL-3.0-or-later
// Worker-thread compare loop: core's runCompare with stop and progress hooks.
#include "app/session/compareworker.h"

#include "app/session/metatypes.h"
#include "app/session/threadpriority.h"

#include <QElapsedTimer>
#include <exception>

CompareWorker::CompareWorker(QObject *parent) : QObject(parent) { registerTypes(); }

void CompareWorker::registerTypes()
{
    registerMetaTypes();
    qRegisterMetaType<attn::CompareGrid>();
    qRegisterMetaType<attn::CompareRun>();
}

void CompareWorker::requestStop() { m_stop = true; }

void CompareWorker::clearStop() { m_stop = false; }

attn::TrainerFactory CompareWorker::trainerFactory(const RunSettings &base)
{
    return [base](attn::AttentionKind mechanism, std::uint64_t seed) {
        RunSettings s = base;
        s.model.attention = mechanism;
        s.train.seed = seed;
        s.threads = 1; // the parallelism is across runs (threadCount(base) at once), not nested
        return makeTrainer(s);
    };
}

void CompareWorker::run(const RunSettings &base, const attn::CompareGrid &grid, long long compareId)
{
    lowerThisThreadPriority(); // and so the threads runCompare starts: the windows stay fluid
    emit compareStarted(compareId, grid.size());
    QElapsedTimer sinceProgress;
    sinceProgress.start();
    int current = 0;
    attn::CompareCallbacks callbacks;
    callbacks.runStarted = [&](int runId, attn::AttentionKind mechanism, int runIndex,
                               std::uint64_t seed, attn::Trainer &trainer) {
        current = runId;
        emit runStarted(compareId, runId, QString::fromStdString(attn::toString(mechanism)), runIndex,
                        qulonglong(seed), trainer.model().parameterCount());
    };
    callbacks.batch = [&](const attn::ProgressInfo &info) {
        if (sinceProgress.elapsed() >= 33) { // ~30 updates per second at most
            sinceProgress.restart();
            emit progress(compareId, current, info);
        }
        return m_stop ? attn::Trainer::Control::Stop : attn::Trainer::Control::Continue;
    };
    callbacks.epochDone = [&](int runId, const attn::EpochSnapshot &s) {
        emit epochDone(compareId, runId, s);
        return m_stop ? attn::Trainer::Control::Stop : attn::Trainer::Control::Continue;
    };
    callbacks.runFinished = [&](const attn::CompareRun &r) { emit runFinished(compareId, r); };
    std::size_t done = 0;
    try {
        attn::CompareSchedule schedule;
        schedule.threads = threadCount(base); // runs in parallel: the callbacks come one at a time
        done = attn::runCompare(grid, trainerFactory(base), callbacks, schedule).size();
    } catch (const std::exception &e) {
        emit failed(compareId, QString::fromUtf8(e.what()));
        return;
    }
    if (int(done) < grid.size()) // a stop dropped the rest
        emit stopped(compareId);
    else
        emit finished(compareId);
}
