// SPDX-License-Identifier: GPL-3.0-or-later
// The run buttons, the progress bar and the status lines of the training controller's states.
#include "app/gui/runcontrols.h"

#include "app/session/runhistory.h"

#include <QGridLayout>
#include <QKeySequence>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>

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
    m_train = new QPushButton(tr("Train"));
    m_train->setShortcut(QKeySequence("Ctrl+Return"));
    m_pause = new QPushButton(tr("Pause"));
    m_pause->setShortcut(QKeySequence("Space"));
    m_step = new QPushButton(tr("Step epoch"));
    m_step->setShortcut(QKeySequence("Ctrl+Right"));
    m_stop = new QPushButton(tr("Stop"));
    m_stop->setShortcut(QKeySequence("Ctrl+."));
    m_reset = new QPushButton(tr("Reset"));
    m_reset->setShortcut(QKeySequence("Ctrl+R"));
    m_train->setToolTip(tr("Train with the settings shown (Ctrl+Return)"));
    m_pause->setToolTip(tr("Pause or resume between batches (Space)"));
    m_step->setToolTip(tr("Train exactly one more epoch, then pause (Ctrl+Right)"));
    m_stop->setToolTip(tr("Stop the run; its epochs stay available for replay (Ctrl+.)"));
    m_reset->setToolTip(tr("Re-initialise the model with the seed shown and wait at epoch 0 (Ctrl+R)"));
    auto *buttons = new QGridLayout(this);
    buttons->setContentsMargins(0, 0, 0, 0);
    buttons->addWidget(m_train, 0, 0);
    buttons->addWidget(m_pause, 0, 1);
    buttons->addWidget(m_step, 1, 0);
    buttons->addWidget(m_stop, 1, 1);
    buttons->addWidget(m_reset, 2, 0, 1, 2);
    connect(m_train, &QPushButton::clicked, this, &RunControls::trainRequested);
    connect(m_reset, &QPushButton::clicked, this, &RunControls::resetRequested);
    connect(m_pause, &QPushButton::clicked, this, [this] {
        if (m_controller->state() == TrainingWorker::State::Paused)
            m_controller->resume();
        else
            m_controller->pause();
    });
    connect(m_step, &QPushButton::clicked, this, [this] {
        if (m_controller->isActive())
            m_controller->step();
    });
    connect(m_stop, &QPushButton::clicked, m_controller, &TrainingController::stop);
    m_progress = new QProgressBar;
    m_progress->setMinimumWidth(320);
    m_progress->setMaximumWidth(420);
    m_progress->setFormat(tr("epoch %p%"));
    m_rate = new QLabel;
    connect(controller->worker(), &TrainingWorker::progress, this, &RunControls::onProgress);
    connect(controller, &TrainingController::stateChanged, this, &RunControls::onState);
}

void RunControls::onProgress(const attn::ProgressInfo &p)
{
    m_progress->setRange(0, int(p.samplesPerEpoch));
    m_progress->setValue(int(p.samplesDone));
    m_progress->setFormat(tr("epoch %1 / %2: %p%").arg(p.epoch).arg(p.totalEpochs));
    m_rate->setText(tr("%L1 samples/s, ETA %2").arg(p.samplesPerSecond, 0, 'f', 0)
                        .arg(formatDuration(p.etaSeconds)));
    if (m_controller->state() == TrainingWorker::State::Running)
        emit statusMessage(tr("Training epoch %1 of %2 (%L3 of %L4 samples)...")
                               .arg(p.epoch)
                               .arg(p.totalEpochs)
                               .arg(p.samplesDone)
                               .arg(p.samplesPerEpoch),
                           0);
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
    case TrainingWorker::State::Finished:
        emit statusMessage(tr("Finished %1 epochs: drag the slider or press P to replay.")
                               .arg(m_run->empty() ? 0 : m_run->back().epoch),
                           0);
        m_progress->setValue(m_progress->maximum());
        m_progress->setFormat(tr("finished"));
        break;
    case TrainingWorker::State::Stopped: emit statusMessage(tr("Stopped."), 0); break;
    case TrainingWorker::State::Failed: emit statusMessage(tr("Failed."), 0); break;
    case TrainingWorker::State::Idle: break;
    }
    updateButtons();
}

void RunControls::updateButtons()
{
    const bool active = m_controller->isActive();
    const bool paused = m_controller->state() == TrainingWorker::State::Paused;
    m_pause->setEnabled(active);
    m_pause->setText(paused ? tr("Resume") : tr("Pause"));
    m_step->setEnabled(active);
    m_stop->setEnabled(active);
    m_train->setText(active ? tr("Restart") : tr("Train"));
}
