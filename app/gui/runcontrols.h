// SPDX-License-Identifier: GPL-3.0-or-later
// RunControls: Train / Pause / Step epoch / Stop / Reset with their shortcuts, enabled and named
// after the training controller's state, and the run's progress: a progress bar and a
// samples/s + ETA label for the status bar, and status lines for each state.
#pragma once

#include "app/session/trainingcontroller.h"

#include <QWidget>

class QLabel;
class QProgressBar;
class QPushButton;
class RunHistory;

class RunControls : public QWidget {
    Q_OBJECT
public:
    /// Drives controller; run gives the epochs the status lines name.
    RunControls(TrainingController *controller, const RunHistory *run, QWidget *parent = nullptr);

    /// The epoch progress bar and the samples/s + ETA label, for the status bar.
    QProgressBar *progressBar() const { return m_progress; }
    QLabel *rateLabel() const { return m_rate; }
    /// Enables and names the buttons after the controller's state.
    void updateButtons();

signals:
    /// Train (or Restart) was pressed.
    void trainRequested();
    /// Reset was pressed.
    void resetRequested();
    /// A line for the status bar (timeout in ms, 0 = until replaced).
    void statusMessage(const QString &text, int timeout);

private:
    void onProgress(const attn::ProgressInfo &p);
    void onState(TrainingWorker::State state);

    TrainingController *m_controller;
    const RunHistory *m_run;
    QPushButton *m_train = nullptr;
    QPushButton *m_pause = nullptr;
    QPushButton *m_step = nullptr;
    QPushButton *m_stop = nullptr;
    QPushButton *m_reset = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_rate = nullptr;
};
