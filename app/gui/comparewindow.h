// SPDX-License-Identifier: GPL-3.0-or-later
// CompareWindow: compare mode in the GUI. Trains N seeds x the checked mechanisms (the task's
// applicable ones, "none" included) in a worker thread (CompareWorker), shows a progress bar with
// ETA, the live table of the best validation metric per mechanism (runs, max, mean, std,
// parameters) and the curves of every run, and exports the table as CSV and the plot as PNG.
// The metric is named as the command line names it (runMetricName: accuracy, max; MAE, min);
// the checked mechanisms, runs and plot persist per task (QSettings group compare/<task>).
#pragma once

#include "app/session/compareworker.h"
#include "app/session/runsettings.h"
#include "core/train/compare.h"

#include <QElapsedTimer>
#include <QThread>
#include <QWidget>

#include <vector>

class QCheckBox;
class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTableWidget;
namespace attn {
class CompareCurvesView;
}

class CompareWindow : public QWidget {
    Q_OBJECT
public:
    /// base: the task and every setting but the mechanism (and the seed, which is where the
    /// compare's seeds start: base, base + 1, ...). A top-level window even with a parent.
    explicit CompareWindow(const RunSettings &base, QWidget *parent = nullptr);
    /// Stops a compare in progress (between batches) and joins the worker thread.
    ~CompareWindow() override;

    /// Starts a compare of checkedMechanisms() x runs() seeds; clears the previous results.
    /// Returns false (with the reason in the status line) if no mechanism is checked or a compare
    /// is running.
    bool start();
    /// Asks the worker to stop between batches; the run in progress is dropped.
    void stop();
    bool isRunning() const { return m_running; }

    /// Checks exactly the given mechanisms (those the task does not take are ignored).
    void setCheckedMechanisms(const std::vector<attn::AttentionKind> &mechanisms);
    /// The checked mechanisms in the task's order (applicableAttention).
    std::vector<attn::AttentionKind> checkedMechanisms() const;
    void setRuns(int runs);
    int runs() const;

    /// The finished runs of the current (or last) compare, in runId order.
    const std::vector<attn::CompareRun> &results() const { return m_results; }
    /// summarize() of results(): the rows the table shows.
    std::vector<attn::CompareRow> rows() const;

    /// Writes the table as CSV (compareTableCsv) to path. False with *error = "PATH: reason" if
    /// there is no finished run yet or the file cannot be written.
    bool exportCsv(const QString &path, QString *error = nullptr) const;
    /// Writes the plot as PNG (size x scale device pixels; an empty size = the plot's size).
    bool exportPng(const QString &path, QSize size = {}, double scale = 1.0, QString *error = nullptr);

    QTableWidget *table() const { return m_table; }
    attn::CompareCurvesView *curves() const { return m_curves; }
    QProgressBar *progressBar() const { return m_progress; }
    QString statusText() const;

signals:
    /// A run finished: results() has one more run and the table shows it.
    void resultsChanged();
    /// The worker ended a compare: every run finished (stopped = false) or it was stopped or
    /// failed (stopped = true).
    void compareEnded(bool stopped);
    /// Queued to the worker's run().
    void compareRequested(const RunSettings &base, const attn::CompareGrid &grid, long long compareId);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void onCompareStarted(int totalRuns);
    void onRunStarted(int runId, const QString &mechanism, int runIndex, qulonglong seed,
                      long long parameters);
    void onProgress(int runId, const attn::ProgressInfo &info);
    void onEpochDone(int runId, const attn::EpochSnapshot &snapshot);
    void onRunFinished(const attn::CompareRun &run);
    void onEnded(const QString &status, bool stopped);
    void fillTable();
    void updateProgress(double runFraction);
    void updateControls();
    void updateSeedLabel();
    void exportCsvInteractive();
    void exportPngInteractive();
    /// The checked mechanisms, runs, plot and geometry saved for this task (comparewindowsettings.cpp).
    void restoreSettings();
    void saveSettings() const;

    RunSettings m_base;
    std::vector<attn::AttentionKind> m_applicable;
    std::string m_metricName; // "accuracy" or "mae": what the runs of m_base report
    QThread m_thread;
    CompareWorker *m_worker = nullptr;
    bool m_running = false;
    long long m_compareId = 0; // the newest compare requested; the worker's other signals are dropped

    QLabel *m_taskLabel = nullptr;
    std::vector<QCheckBox *> m_checks; // one per m_applicable
    QSpinBox *m_runs = nullptr;
    QLabel *m_seedLabel = nullptr;
    QComboBox *m_quantity = nullptr;
    QPushButton *m_start = nullptr;
    QPushButton *m_stop = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_caption = nullptr;
    QTableWidget *m_table = nullptr;
    attn::CompareCurvesView *m_curves = nullptr;
    QPushButton *m_exportCsv = nullptr;
    QPushButton *m_exportPng = nullptr;

    attn::CompareGrid m_grid;             // the compare in progress (or the last one)
    std::vector<attn::CompareRun> m_results;
    std::vector<int> m_curveIds;          // runId -> CompareCurvesView run id
    int m_currentRun = -1;
    QString m_currentLabel;               // "luong, seed 8"
    QElapsedTimer m_clock;                // since start()
};
