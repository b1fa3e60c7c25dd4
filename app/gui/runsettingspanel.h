// SPDX-License-Identifier: GPL-3.0-or-later
// RunSettingsPanel: the "Run" form of the main window: task, mechanism, cell, heads, sizes,
// dropouts, tokenizer, epochs, batch size, learning rate, seed and compare threads, the
// sentiment presets (runpreset.h), with a line saying what the task
// is (attn::taskDescription). It shows a RunSettings, reads
// one back, shows only the rows that apply to the task and mechanism, and loads a task's
// published defaults when another task is picked.
#pragma once

#include "app/session/runsettings.h"

#include <QGroupBox>
#include <QStringList>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QSpinBox;

class RunSettingsPanel : public QGroupBox {
    Q_OBJECT
public:
    explicit RunSettingsPanel(QWidget *parent = nullptr);

    /// Shows s in the form (without emitting taskChanged for it).
    void showSettings(const RunSettings &s);
    /// Makes s (a checked csv file) the csv task: adds or renames the "csv: NAME" task entry.
    void showCsvSettings(const RunSettings &s);
    /// What the form shows, on top of the task's defaults (sizes are the defaults' too).
    RunSettings settings() const;
    /// The seed shown.
    quint64 seed() const;
    /// Asks for sentence files, reads them all and, when every one reads, shows them as the
    /// sentiment task's data. Returns the status line to show, "" when nothing changed (a file
    /// that cannot be read has shown its error).
    QString openSentenceFiles();
    /// One line naming the layers of s, e.g. "Embedding(64) → LSTM(32) → luong(16) → Dense(1)".
    static QString modelDescription(const RunSettings &s);

signals:
    /// Another task was picked (its defaults are shown).
    void taskChanged(attn::TaskKind task);
    /// The task or mechanism shown changed (rows are updated): the window shows their views.
    void mechanismChanged(attn::TaskKind task, attn::AttentionKind attention);
    /// The learning rate was edited.
    void learningRateChanged(double learningRate);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void onTaskChanged();
    void onPresetChanged();
    void updateSettingRows();

    QFormLayout *m_form = nullptr;
    QComboBox *m_task = nullptr;
    QLabel *m_taskNote = nullptr; // taskDescription() of the task shown
    QComboBox *m_preset = nullptr; // sentiment: RunPreset; picking one loads its settings
    QComboBox *m_attention = nullptr;
    QComboBox *m_cell = nullptr;
    QComboBox *m_init = nullptr; // ModelConfig::init: Keras' or PyTorch's initial weights
    QSpinBox *m_heads = nullptr;
    QCheckBox *m_causal = nullptr;
    QCheckBox *m_maskPadding = nullptr; // ModelConfig::maskPadding
    QSpinBox *m_window = nullptr;
    QSpinBox *m_localWidth = nullptr;
    QSpinBox *m_modelWidth = nullptr;   // transformer: d_model
    QSpinBox *m_encoderLayers = nullptr; // transformer: N
    QSpinBox *m_feedForward = nullptr;   // transformer: F'
    QCheckBox *m_preNorm = nullptr;      // transformer: pre-norm
    QSpinBox *m_codeUnits = nullptr;     // autoencoder: H2
    QCheckBox *m_onInputs = nullptr;     // autoencoder: attention on the inputs
    QDoubleSpinBox *m_attentionNoise = nullptr; // autoencoder: sigma
    QDoubleSpinBox *m_inputDropout = nullptr;
    QDoubleSpinBox *m_recurrentDropout = nullptr;
    QSpinBox *m_vocabulary = nullptr;
    QSpinBox *m_maxLength = nullptr;
    QComboBox *m_padding = nullptr;
    QComboBox *m_truncation = nullptr;
    QSpinBox *m_hidden = nullptr;
    QSpinBox *m_units = nullptr;
    QSpinBox *m_epochs = nullptr;
    QCheckBox *m_explain = nullptr; // TrainConfig::explainRows: m_explainRows or 0
    int m_explainRows = kDefaultExplainRows;        // the rows measured when Explain is ticked (--explain-rows)
    QSpinBox *m_patience = nullptr; // early stopping; 0 = off
    QSpinBox *m_batch = nullptr;
    QDoubleSpinBox *m_learningRate = nullptr;
    QLineEdit *m_seed = nullptr;
    QSpinBox *m_threads = nullptr; // RunSettings::threads; 0 = one per core
    QStringList m_sentenceFiles;
    RunSettings m_csv; // the opened CSV file's settings (dataFile empty: none)
};
