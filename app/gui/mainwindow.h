// SPDX-License-Identifier: GPL-3.0-or-later
// The main window: task and model settings, Train / Pause / Step / Stop, the live attention
// heatmap beside the ground truth, the loss and alignment curves, progress with samples/s and
// ETA, the replay timeline over every stored epoch, File > Export (PNG, PDF, GIF, PNG series,
// metrics CSV), View > colour map and theme; settings and window layout persist (QSettings).
#pragma once

#include "app/session/runsettings.h"
#include "app/gui/theme.h"
#include "app/session/trainingcontroller.h"
#include "core/snapshot/snapshot.h"
#include "widgets/colormap.h"

#include <QMainWindow>
#include <vector>

class QActionGroup;
class QCheckBox;
class QFormLayout;
class QTabWidget;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QLineEdit;
class QSplitter;
class TimelineBar;

namespace attn {
class CurvesView;
class FeatureWeightsView;
class HeatmapView;
class SelfAttentionView;
class SentenceView;
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
    TimelineBar *timeline() const { return m_timeline; }
    /// Renders the whole dashboard (settings, heatmap, curves) to a PNG file.
    bool saveDashboardPng(const QString &path);
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
    /// Runs the current model on a CSV file and writes predictionsPath and, beside it,
    /// NAME_attention.csv. Returns false after showing the error.
    bool predictCsvFile(const QString &input, const QString &predictionsPath);
    /// The model File > Save model and Predict use: the newest epoch's, or one loaded.
    const TrainedModelPtr &trainedModel() const { return m_trainedModel; }

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void buildUi();
    void buildMenus();
    void showSettings(const RunSettings &s);
    void onTaskChanged();
    void updateSettingRows();
    void setColorMap(attn::ColorMapKind kind);
    void openSentenceFiles();
    /// Makes settings (a checked csv file) the csv task shown in the panel.
    void useCsvSettings(const RunSettings &settings);
    void exportAttentionCsv();
    static QString modelDescription(const RunSettings &s);
    void onSnapshot(const attn::EpochSnapshot &s);
    void onProgress(const attn::ProgressInfo &p);
    void onState(TrainingWorker::State state);
    void onRunStarted(long long parameterCount, int batchesPerEpoch);
    void exportView(const QString &what, const QString &format);
    void exportReplay(bool gif);
    void exportMetricsCsv();
    void setTheme(ThemeChoice choice);
    void restoreLayout();
    void saveLayout();
    void updateButtons();
    void beginRun(bool paused);
    /// Empties the timeline and the attention views (not the curves) before new history, and
    /// brings m_lastSettings' main view to the front.
    void clearViews();

    TrainingController *m_controller;
    RunSettings m_lastSettings;
    std::vector<attn::EpochSnapshot> m_history;
    TrainedModelPtr m_trainedModel; // newest epoch's weights, or a loaded model; may be null
    QComboBox *m_task = nullptr;
    QComboBox *m_attention = nullptr;
    QComboBox *m_cell = nullptr;
    QSpinBox *m_heads = nullptr;
    QCheckBox *m_causal = nullptr;
    QSpinBox *m_window = nullptr;
    QSpinBox *m_localWidth = nullptr;
    QDoubleSpinBox *m_inputDropout = nullptr;
    QDoubleSpinBox *m_recurrentDropout = nullptr;
    QSpinBox *m_vocabulary = nullptr;
    QSpinBox *m_maxLength = nullptr;
    QComboBox *m_padding = nullptr;
    QComboBox *m_truncation = nullptr;
    QFormLayout *m_form = nullptr;
    QStringList m_sentenceFiles;
    RunSettings m_csv; // the opened CSV file's settings (dataFile empty: none)
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
    attn::FeatureWeightsView *m_featureView = nullptr;
    attn::SentenceView *m_sentenceView = nullptr;
    attn::SelfAttentionView *m_selfView = nullptr;
    QTabWidget *m_views = nullptr;
    QWidget *m_dashboard = nullptr;
    QSplitter *m_splitter = nullptr;
    TimelineBar *m_timeline = nullptr;
    QPushButton *m_reset = nullptr;
    QActionGroup *m_colorMaps = nullptr;
    QActionGroup *m_themes = nullptr;
    ThemeChoice m_theme = ThemeChoice::System;
};
