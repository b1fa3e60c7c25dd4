// SPDX-License-Identifier: GPL-3.0-or-later
// WhatIfJob: the Explain view's what-if (issue 15, item 4) off the GUI thread: computeWhatIf
// (app/session/whatif.h) on a QtConcurrent pool thread with the window's immutable copy of the
// trained weights (TrainedModel), never the training worker's live model. One request runs at a
// time; a request made meanwhile waits, replacing any older waiting one.
#pragma once

#include "app/session/trainingworker.h"
#include "app/session/whatif.h"
#include "core/snapshot/snapshot.h"

#include <QFutureWatcher>
#include <QObject>

#include <optional>
#include <vector>

class WhatIfJob : public QObject {
    Q_OBJECT
public:
    struct Result {
        int row = 0;
        std::vector<float> weights; // as asked
        WhatIfAnswer answer;
    };

    explicit WhatIfJob(QObject *parent = nullptr);
    /// Waits for a running computation.
    ~WhatIfJob() override;

    /// Computes probe row `row` of s under weights with model; emits finished on this
    /// object's thread. A null model finishes at once with an error.
    void start(const TrainedModelPtr &model, const attn::EpochSnapshot &s, int row,
               const std::vector<float> &weights);
    bool isRunning() const { return m_watcher.isRunning(); }

signals:
    void finished(const WhatIfJob::Result &result);

private:
    struct Request {
        TrainedModelPtr model;
        attn::EpochSnapshot snapshot;
        int row = 0;
        std::vector<float> weights;
    };
    void run(Request request);

    QFutureWatcher<Result> m_watcher;
    std::optional<Request> m_waiting;
};
