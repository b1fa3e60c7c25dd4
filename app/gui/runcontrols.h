// SPDX-License-Identifier: GPL-3.0-or-later
// RunControls: Train / Pause / Step epoch / Stop / Reset as actions with their shortcuts (the
// window adds them, so they work wherever the focus is and whatever the buttons say), the buttons
// that trigger them, enabled and named after the training controller's state, and the run's
// progress: a progress bar and a samples/s + ETA label for the status bar, and status lines.
#pragma once

#include "app/session/trainingcontroller.h"

#include <QWidget>

class QAction;
class QKeySequence;
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
    /// Empties the progress bar and the samples/s + ETA label (a new run, or views cleared).
    void clearProgress();
    /// " Showing epoch N: the restored model, ringed." for the epoch early stopping restored
    /// (RunHistory::restoredIndex), for a status line; empty when none was.
    QString restoredNote() const;
    /// The progress of a run opened from a session, with no speed (it was not stored): "finished"
    /// on a full bar when RunHistory::ranToTheEnd(), else "stopped after epoch N / M" on a bar
    /// at N of M; empty for a session with no epochs.
    void showSavedRun();
    /// Train/Restart (Ctrl+Return), Pause/Resume (Space), Step epoch (Ctrl+Right), Stop (Ctrl+.)
    /// and Reset (Ctrl+R), for the window to add (Qt::WindowShortcut). The buttons do not own
    /// shortcuts: changing a button's text would clear it.
    QList<QAction *> runActions() const;
    /// Enables and names the buttons after the controller's state.
    void updateButtons();

signals:
    /// Train (or Restart) was pressed.
    void trainRequested();
    /// Reset was pressed.
    void resetRequested();
    /// A line for the status bar (timeout in ms, 0 = until replaced).
    void statusMessage(const QString &text, int timeout);
    /// A run ended by early stopping: index (in the run history) of the epoch whose weights it
    /// restored, the model the run keeps, for the views to show.
    void restoredEpochIndex(int index);

private:
    void onProgress(const attn::ProgressInfo &p);
    void onState(TrainingWorker::State state);
    void togglePause();
    /// The bar at a run's end: full and "finished", or "stopped after epoch N / M" at N of M;
    /// the speed without an ETA.
    void showRunEnd(bool finished);
    /// A shortcut-carrying action and the button that triggers it (objectName name + "Button").
    QAction *addRunAction(const QString &name, const QString &text, const QKeySequence &key,
                          const QString &toolTip, QPushButton **button);

    TrainingController *m_controller;
    const RunHistory *m_run;
    QPushButton *m_train = nullptr;
    QPushButton *m_pause = nullptr;
    QPushButton *m_step = nullptr;
    QPushButton *m_stop = nullptr;
    QPushButton *m_reset = nullptr;
    QAction *m_trainAction = nullptr;
    QAction *m_pauseAction = nullptr;
    QAction *m_stepAction = nullptr;
    QAction *m_stopAction = nullptr;
    QAction *m_resetAction = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_rate = nullptr;
    double m_samplesPerSecond = 0; // of the newest progress report
};
