// SPDX-License-Identifier: GPL-3.0-or-later
// WhatIfJob: computeWhatIf on a pool thread, the newest waiting request run next.
#include "app/gui/whatifjob.h"

#include <QtConcurrent/QtConcurrentRun>

WhatIfJob::WhatIfJob(QObject *parent) : QObject(parent)
{
    connect(&m_watcher, &QFutureWatcherBase::finished, this, [this] {
        const Result result = m_watcher.result();
        if (m_waiting) {
            Request next = std::move(*m_waiting);
            m_waiting.reset();
            run(std::move(next));
        }
        emit finished(result);
    });
}

WhatIfJob::~WhatIfJob() { m_watcher.waitForFinished(); }

void WhatIfJob::start(const TrainedModelPtr &model, const attn::EpochSnapshot &s, int row,
                      const std::vector<float> &weights)
{
    if (!model) {
        Result r{row, weights, {}};
        r.answer.error = tr("no trained weights yet: train at least one epoch");
        emit finished(r);
        return;
    }
    Request request{model, s, row, weights};
    if (m_watcher.isRunning())
        m_waiting = std::move(request);
    else
        run(std::move(request));
}

void WhatIfJob::run(Request request)
{
    m_watcher.setFuture(QtConcurrent::run([request = std::move(request)] {
        return Result{request.row, request.weights,
                      computeWhatIf(*request.model, request.snapshot, request.row, request.weights)};
    }));
}
