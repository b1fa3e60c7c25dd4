// SPDX-License-Identifier: GPL-3.0-or-later
// runBusy: reads a file (a session, a model) on a pool thread while the window keeps painting,
// behind a window-modal "Loading..." dialog that appears only when the read takes long. Used by
// File > Open session and File > Load model, whose models are built off the GUI thread.
#pragma once

#include <QEventLoop>
#include <QFutureWatcher>
#include <QProgressDialog>
#include <QString>
#include <QWidget>
#include <QtConcurrent/QtConcurrentRun>

#include <type_traits>
#include <utility>

/// Runs work() on Qt's global thread pool and returns its result once it is done, processing
/// the GUI thread's events meanwhile. A busy dialog labelled `label` (no cancel button: work
/// cannot be interrupted) blocks input to parent from 300 ms on. work must not touch widgets.
template <typename Work>
std::invoke_result_t<Work> runBusy(QWidget *parent, const QString &label, Work work)
{
    using Result = std::invoke_result_t<Work>;
    QFutureWatcher<Result> watcher;
    QEventLoop loop;
    QObject::connect(&watcher, &QFutureWatcherBase::finished, &loop, &QEventLoop::quit);
    QProgressDialog busy(label, QString(), 0, 0, parent);
    busy.setWindowModality(Qt::WindowModal);
    busy.setMinimumDuration(300);
    watcher.setFuture(QtConcurrent::run(std::move(work)));
    if (!watcher.isFinished())
        loop.exec();
    return watcher.future().takeResult();
}
