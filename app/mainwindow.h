// SPDX-License-Identifier: GPL-3.0-or-later
// The main window: task and model settings, Train / Pause / Step / Stop, the live attention
// heatmap beside the ground truth, the loss and alignment curves, progress with samples/s and
// ETA, and File > Export PNG of each view and of the whole dashboard.
#pragma once

#include "app/runsettings.h"
#include "app/trainingcontroller.h"
#include "core/snapshot.h"

#include <QMainWindow>
#include <vector>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QLineEdit;

namespace attn {
class CurvesView;
class HeatmapView;
}

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(const RunSettings &initial, QWidget *parent = nullptr);
    ~MainWindow() override;

    /// Reads the settings panel.
    RunSettings settings() const;
    void startTraining();
    const std::vector<attn::EpochSnapshot> &history() const { return m_history; }
    TrainingController *controller() const { return m_controller; }
    attn::HeatmapView *heatmapView() const { return m_heatmap; }
    attn::CurvesView *curvesView() const { return m_curves; }
    /// Renders the whole dashboard (settings, heatmap, curves) to a PNG file.
    bool saveDashboardPng(const QString &path);

private:
    void buildUi();
    void buildMenus();
    void showSettings(const RunSettings &s);
    void onTaskChanged();
    void onSnapshot(const attn::EpochSnapshot &s);
    void onProgress(const attn::ProgressInfo &p);
    void onState(TrainingWorker::State state);
    void onRunStarted(long long parameterCount, int batchesPerEpoch);
    void exportPng(const QString &what);
    void updateButtons();

    TrainingController *m_controller;
    RunSettings m_lastSettings;
    std::vector<attn::EpochSnapshot> m_history;
    QComboBox *m_task = nullptr;
    QComboBox *m_attention = nullptr;
    QSpinBox *m_hidden = nullptr;
    QSpinBox *m_units = nullptr;
    QSpinBox *m_epochs = nullptr;
    QSpinBox *m_batch = nullptr;
    QDoubleSpinBox *m_learningRate = nullptr;
    QLineEdit *m_seed = nullptr;
    QPushButton *m_train = nullptr;
    QPushButton *m_pause = nullptr;
    QPushButton *m_step = nullptr;
    QPushButton *m_stop = nullptr;
    QLabel *m_epochLabel = nullptr;
    QLabel *m_modelLabel = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_rate = nullptr;
    attn::HeatmapView *m_heatmap = nullptr;
    attn::CurvesView *m_curves = nullptr;
    QWidget *m_dashboard = nullptr;
};
