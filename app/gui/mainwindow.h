// SPDX-License-Identifier: GPL-3.0-or-later
// The main window: task and model settings, Train / Pause / Step / Stop, the live attention
// heatmap beside the ground truth, the loss and alignment curves, progress with samples/s and
// ETA, the replay timeline over every stored epoch, File > Export (PNG, PDF, GIF, PNG series,
// metrics CSV), View > colour map and theme; settings and window layout persist (QSettings).
// It wires its parts: RunSettingsPanel, AttentionViews, ExportActions and RunHistory.
#pragma once

#include "app/gui/predictionjob.h"
#include "app/gui/theme.h"
#include "app/session/runhistory.h"
#include "app/session/runsettings.h"
#include "app/session/trainingcontroller.h"
#include "core/snapshot/snapshot.h"
#include "widgets/colormap.h"

#include <QMainWindow>
#include <vector>

class AttentionViews;
class ExportActions;
class MainMenus;
class QAction;
class QLabel;
class QSplitter;
class RunControls;
class RunSettingsPanel;
class TimelineBar;

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
    const std::vector<attn::EpochSnapshot> &history() const { return m_run.snapshots(); }
    TrainingController *controller() const { return m_controller; }
    attn::HeatmapView *heatmapView() const;
    attn::CurvesView *curvesView() const { return m_curves; }
    TimelineBar *timeline() const { return m_timeline; }
    RunControls *controls() const { return m_controls; }
    /// The menu bar's actions (View > Show the inputs beside the map, ...).
    MainMenus *menus() const { return m_menus; }
    /// Renders the whole dashboard (settings, heatmap, curves) to a PNG file.
    bool saveDashboardPng(const QString &path, QString *error = nullptr);
    /// Stops any run and starts the shown settings again, paused on the untrained epoch 0.
    void reset();
    /// Shows stored snapshot index (epoch) in the heatmap and marks it on the curves.
    void showEpoch(int index);
    /// Shows the import dialog for path (its choices checked live), and on OK makes the file the
    /// csv task; a file that cannot be used leaves everything as it was. path empty = ask.
    void openCsvFile(const QString &path);
    /// Saves the settings, every epoch's snapshot and the newest model (NAME.safetensors and
    /// NAME.json beside NAME.attnsession). Returns false after showing the error.
    bool saveSessionFile(const QString &path);
    /// Stops any run and shows a saved session: its settings, its whole history to replay, and
    /// its model (for Predict). A bad file shows its error and changes nothing.
    bool openSessionFile(const QString &path);
    /// Writes NAME.safetensors / NAME.json of the newest model (the trained or loaded one).
    bool saveModelFile(const QString &path);
    /// Loads a saved model for Predict. A bad file shows its error and changes nothing.
    bool loadModelFile(const QString &path);
    /// Starts running the current model on a CSV file off the GUI thread; it writes
    /// predictionsPath and, beside it, NAME_attention.csv, then emits predictionFinished (after
    /// showing the error, if any). Returns false (after saying why) when it cannot start.
    bool predictCsvFile(const QString &input, const QString &predictionsPath);
    /// The model File > Save model and Predict use: the newest epoch's, or one loaded.
    const TrainedModelPtr &trainedModel() const { return m_run.model(); }

    /// A run with trained epochs that was never saved (nor opened from a session) is shown.
    bool hasUnsavedRun() const;
    /// QSettings key: false = quitting with an unsaved run does not ask to save it.
    static const char *const kAskSaveOnQuit;

signals:
    /// A prediction started by predictCsvFile is written (ok) or failed.
    void predictionFinished(bool ok);

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void buildUi();
    void buildMenus();
    void onSnapshot(const attn::EpochSnapshot &s);
    void onRunStarted(long long parameterCount, int batchesPerEpoch, int threads);
    void onPredicted(const PredictionJob::Result &result);
    void setTheme(ThemeChoice choice);
    void restoreLayout();
    void saveLayout();
    void beginRun(bool paused);
    /// The form shows another task, data file or mechanism than the run shown: stops that run
    /// and clears its views, curves and labels (no stale picture beside other settings).
    void onFormChanged();
    /// With an unsaved run (and the question not switched off): asks whether to save the
    /// session first. False when the user cancels (or cancels choosing the file).
    bool confirmQuit();
    /// Empties the timeline and the attention views (not the curves) before new history, and
    /// brings the run's main view to the front.
    void clearViews();

    TrainingController *m_controller;
    RunHistory m_run; // the settings, epochs and newest model of the run shown
    RunSettingsPanel *m_panel = nullptr;
    RunControls *m_controls = nullptr;
    QLabel *m_epochLabel = nullptr;
    QLabel *m_modelLabel = nullptr;
    AttentionViews *m_views = nullptr;
    attn::CurvesView *m_curves = nullptr;
    QSplitter *m_splitter = nullptr;
    TimelineBar *m_timeline = nullptr;
    ExportActions *m_exports = nullptr;
    MainMenus *m_menus = nullptr;
    PredictionJob *m_prediction = nullptr;
    ThemeChoice m_theme = ThemeChoice::System;
    bool m_runSaved = true; // m_run has no epoch since the last save (or open)
};
