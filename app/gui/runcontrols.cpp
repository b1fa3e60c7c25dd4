// SPDX-License-Identifier: GPL-3.0-or-later
// The run buttons, the progress bar and the status lines of the training controller's states.
#include "app/gui/runcontrols.h"

#include "app/session/plural.h"
#include "app/session/runhistory.h"

#include <QAction>
#include <QGridLayout>
#include <QKeySequence>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>

#include <algorithm>
#include <utility>

namespace {

QString formatDuration(double seconds)
{
    const int s = int(seconds + 0.5);
    return s >= 60 ? QStringLiteral("%1 min %2 s").arg(s / 60).arg(s % 60, 2, 10, QChar('0'))
                   : QStringLiteral("%1 s").arg(s);
}

} // namespace

RunControls::RunControls(TrainingController *controller, const RunHistory *run, QWidget *parent)
    : QWidget(parent), m_controller(controller), m_run(run)
{
    m_trainAction = addRunAction("train", tr("Train"), QKeySequence("Ctrl+Return"),
                                 tr("Train with the settings shown"), &m_train);
    m_pauseAction = addRunAction("pause", tr("Pause"), QKeySequence("Space"),
                                 tr("Pause or resume between batches"), &m_pause);
    m_stepAction = addRunAction("step", tr("Step epoch"), QKeySequence("Ctrl+Right"),
                                tr("Train exactly one more epoch, then pause"), &m_step);
    m_stopAction = addRunAction("stop", tr("Stop"), QKeySequence("Ctrl+."),
                                tr("Stop the run; its epochs stay available for replay"), &m_stop);
    m_resetAction = addRunAction("reset", tr("Reset"), QKeySequence("Ctrl+R"),
                                 tr("Re-initialise the model with the seed shown and wait at epoch 0"),
                                 &m_reset);
    auto *buttons = new QGridLayout(this);
    buttons->setContentsMargins(0, 0, 0, 0);
    buttons->addWidget(m_train, 0, 0);
    buttons->addWidget(m_pause, 0, 1);
    buttons->addWidget(m_step, 1, 0);
    buttons->addWidget(m_stop, 1, 1);
    buttons->addWidget(m_reset, 2, 0, 1, 2);
    connect(m_trainAction, &QAction::triggered, this, &RunControls::trainRequested);
    connect(m_resetAction, &QAction::triggered, this, &RunControls::resetRequested);
    connect(m_pauseAction, &QAction::triggered, this, &RunControls::togglePause);
    connect(m_stepAction, &QAction::triggered, this, [this] {
        if (m_controller->isActive()) {
            m_controller->step();
            updateButtons();
        }
    });
    connect(m_stopAction, &QAction::triggered, m_controller, &TrainingController::stop);
    m_progress = new QProgressBar;
    m_progress->setMinimumWidth(320);
    m_progress->setMaximumWidth(420);
    m_progress->setFormat(tr("epoch %p%"));
    m_rate = new QLabel;
    connect(controller, &TrainingController::progress, this, &RunControls::onProgress);
    connect(controller, &TrainingController::stateChanged, this, &RunControls::onState);
}

QAction *RunControls::addRunAction(const QString &name, const QString &text, const QKeySequence &key,
                                   const QString &toolTip, QPushButton **button)
{
    auto *action = new QAction(text, this);
    action->setObjectName(name + "Action");
    action->setShortcut(key);
    action->setShortcutContext(Qt::WindowShortcut);
    action->setToolTip(QStringLiteral("%1 (%2)").arg(toolTip, key.toString(QKeySequence::NativeText)));
    *button = new QPushButton(text);
    (*button)->setObjectName(name + "Button");
    (*button)->setToolTip(action->toolTip());
    // Clicking does not take the focus, so the keyboard stays with the window's shortcuts.
    (*button)->setFocusPolicy(Qt::TabFocus);
    connect(*button, &QPushButton::clicked, action, &QAction::trigger);
    return action;
}

QList<QAction *> RunControls::runActions() const
{
    return {m_trainAction, m_pauseAction, m_stepAction, m_stopAction, m_resetAction};
}

void RunControls::togglePause()
{
    if (!m_controller->isActive())
        return;
    // What was asked last decides, not the worker's report still on its way: a second Space
    // right after the first resumes the run where it paused.
    if (m_controller->isHolding())
        m_controller->resume();
    else
        m_controller->pause();
    updateButtons();
}

void RunControls::clearProgress()
{
    m_progress->reset(); // no text: "epoch 0%" would say a run had begun
    m_progress->setFormat(tr("epoch %p%"));
    m_progress->setToolTip({});
    m_rate->clear();
    m_samplesPerSecond = 0;
}

QString RunControls::restoredNote() const
{
    const int restored = m_run->restoredIndex();
    return restored >= 0
               ? tr(" Showing epoch %1: the restored model, ringed.").arg(m_run->at(restored).epoch)
               : QString();
}

void RunControls::showSavedRun()
{
    clearProgress();
    if (!m_run->empty())
        showRunEnd(m_run->ranToTheEnd());
}

void RunControls::showRunEnd(bool finished)
{
    m_progress->setToolTip({});
    if (finished) {
        m_progress->setRange(0, 1);
        m_progress->setValue(1);
        m_progress->setFormat(tr("finished"));
    } else {
        const int trained = m_run->trainedEpochs();
        const int total = std::max(m_run->plannedEpochs(), trained);
        m_progress->setRange(0, std::max(total, 1));
        m_progress->setValue(trained);
        m_progress->setFormat(tr("stopped after epoch %1 / %2").arg(trained).arg(total));
    }
    if (m_samplesPerSecond > 0) // the last ETA would otherwise stay as if time were left
        m_rate->setText(tr("%L1 samples/s").arg(m_samplesPerSecond, 0, 'f', 0));
}

void RunControls::onProgress(const attn::ProgressInfo &p)
{
    m_progress->setRange(0, int(p.samplesPerEpoch));
    m_progress->setValue(int(p.samplesDone));
    m_progress->setFormat(tr("epoch %1 / %2: %p%").arg(p.epoch).arg(p.totalEpochs));
    m_samplesPerSecond = p.samplesPerSecond;
    m_rate->setText(tr("%L1 samples/s, ETA %2").arg(p.samplesPerSecond, 0, 'f', 0)
                        .arg(formatDuration(p.etaSeconds)));
    // The epoch and its samples are on the progress bar; the status line is left to events
    // (a saved file, a stop), which a progress line 30 times a second would overwrite.
    m_progress->setToolTip(tr("Training epoch %1 of %2 (%3 of %L4)")
                               .arg(p.epoch)
                               .arg(p.totalEpochs)
                               .arg(countText(p.samplesDone, tr("sample"), tr("samples")))
                               .arg(p.samplesPerEpoch));
}

void RunControls::onState(TrainingWorker::State state)
{
    switch (state) {
    case TrainingWorker::State::Running: emit statusMessage(tr("Training..."), 0); break;
    case TrainingWorker::State::Paused:
        emit statusMessage(m_run->empty() || m_run->back().epoch == 0
                               ? tr("Paused at the untrained epoch 0: press Resume or Step.")
                               : tr("Paused after epoch %1.").arg(m_run->back().epoch),
                           0);
        break;
    case TrainingWorker::State::Finished: {
        // Early stopping keeps the best epoch's weights: say which model the run ends with.
        const int restored = m_run->restoredIndex();
        emit statusMessage(tr("Finished %1: drag the slider or press P to replay.%2")
                               .arg(countText(m_run->trainedEpochs(), tr("epoch"), tr("epochs")),
                                    restoredNote()),
                           0);
        if (restored >= 0)
            emit restoredEpochIndex(restored);
        showRunEnd(true);
        break;
    }
    case TrainingWorker::State::Stopped:
        emit statusMessage(tr("Stopped."), 0);
        showRunEnd(false);
        break;
    case TrainingWorker::State::Failed: emit statusMessage(tr("Failed."), 0); break;
    case TrainingWorker::State::Idle: break;
    }
    updateButtons();
}

void RunControls::updateButtons()
{
    const bool active = m_controller->isActive();
    m_pauseAction->setEnabled(active);
    m_pauseAction->setText(active && m_controller->isHolding() ? tr("Resume") : tr("Pause"));
    m_stepAction->setEnabled(active);
    m_stopAction->setEnabled(active);
    m_trainAction->setText(active ? tr("Restart") : tr("Train"));
    // The buttons follow their actions (their texts carry no shortcut).
    for (auto [action, button] : {std::pair{m_trainAction, m_train}, std::pair{m_pauseAction, m_pause},
                                  std::pair{m_stepAction, m_step}, std::pair{m_stopAction, m_stop},
                                  std::pair{m_resetAction, m_reset}}) {
        button->setText(action->text());
        button->setEnabled(action->isEnabled());
    }
}
