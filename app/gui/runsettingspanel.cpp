// SPDX-License-Identifier: GPL-3.0-or-later
// The "Run" settings form: its widgets, the rows each task and mechanism use, and reading and
// showing RunSettings.
#include "app/gui/runsettingspanel.h"

#include "app/session/runpreset.h"
#include "core/data/sentencefile.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QRegularExpressionValidator>
#include <QSpinBox>
#include <QThread>

#include <algorithm>
#include <utility>

using attn::TaskKind;

RunSettingsPanel::RunSettingsPanel(QWidget *parent) : QGroupBox(tr("Run"), parent)
{
    auto *form = new QFormLayout(this);
    m_task = new QComboBox;
    m_task->setObjectName("taskBox");
    for (TaskKind kind : attn::allTaskKinds()) {
        m_task->addItem(QString::fromStdString(attn::toString(kind)), int(kind));
        m_task->setItemData(m_task->count() - 1, QString::fromStdString(attn::taskDescription(kind)),
                            Qt::ToolTipRole);
    }
    // What the task shown is: inputs, output, where the attention should go.
    m_taskNote = new QLabel;
    m_taskNote->setObjectName("taskDescription");
    m_taskNote->setWordWrap(true);
    m_taskNote->installEventFilter(this); // keeps every line of it in view (eventFilter)
    m_task->setToolTip(tr("Loading a task resets the settings to its published defaults."));
    m_preset = new QComboBox;
    m_preset->setObjectName("presetBox");
    for (RunPreset p : allRunPresets()) {
        m_preset->addItem(toString(p), int(p));
        m_preset->setItemData(m_preset->count() - 1, presetDescription(p), Qt::ToolTipRole);
    }
    m_preset->setToolTip(tr("Loading a preset resets the settings to its recipe"));
    m_attention = new QComboBox;
    m_attention->setObjectName("attentionBox");
    m_attention->setToolTip(tr("The mechanisms that apply to the task; \"none\" is the baseline "
                               "of about the same parameter count without attention"));
    m_cell = new QComboBox;
    for (auto c : {attn::RecurrentCell::Lstm, attn::RecurrentCell::Gru})
        m_cell->addItem(QString::fromStdString(attn::toString(c)).toUpper(), int(c));
    m_init = new QComboBox;
    m_init->setObjectName("initBox");
    m_init->addItem(tr("Keras"), int(attn::WeightInit::Keras));
    m_init->addItem(tr("PyTorch"), int(attn::WeightInit::PyTorch));
    m_init->setToolTip(tr("Initial weights: Keras' initialisers (as keras-attention, the published "
                          "figures) or torch.nn's defaults (docs/parity.md)"));
    m_heads = new QSpinBox;
    m_heads->setRange(1, 64);
    m_heads->setToolTip(tr("Self-attention heads K (the hidden units must be divisible by K)"));
    m_causal = new QCheckBox(tr("causal (history only)"));
    m_maskPadding = new QCheckBox(tr("masked (no attention)"));
    m_maskPadding->setToolTip(tr("Padding steps (sentiment's padding after the words, the steps after "
                                 "a shorter CSV sequence) get exactly zero attention and the recurrent "
                                 "state passes them unchanged. Off: the unmasked behaviour, with the "
                                 "attention on padding shown per sentence"));
    m_window = new QSpinBox;
    m_window->setRange(0, 1000);
    m_window->setSpecialValueText(tr("all steps"));
    m_window->setToolTip(tr("Self-attention window: each step sees steps closer than this"));
    m_modelWidth = new QSpinBox;
    m_modelWidth->setRange(1, 1024);
    m_modelWidth->setToolTip(tr("Transformer: model width d_model (divisible by the heads)"));
    m_encoderLayers = new QSpinBox;
    m_encoderLayers->setRange(1, 64);
    m_encoderLayers->setToolTip(tr("Transformer: encoder layers"));
    m_feedForward = new QSpinBox;
    m_feedForward->setRange(1, 8192);
    m_feedForward->setToolTip(tr("Transformer: inner width of the position-wise feed-forward sublayer"));
    m_preNorm = new QCheckBox(tr("pre-norm")); // the row is narrow; the tooltip says what it is
    m_preNorm->setToolTip(tr("Transformer: LayerNorm before each sublayer (default: after it, as in "
                             "the paper)"));
    m_attentionNoise = new QDoubleSpinBox;
    m_attentionNoise->setRange(0.0, 10.0);
    m_attentionNoise->setSingleStep(0.5);
    m_attentionNoise->setToolTip(tr("Autoencoder: Gaussian noise (sigma / width per unit) added after the "
                                    "attention multiply in training, so the weights share a budget"));
    m_codeUnits = new QSpinBox;
    m_codeUnits->setRange(1, 1024);
    m_codeUnits->setToolTip(tr("Autoencoder: width of the second encoder layer (the code)"));
    m_onInputs = new QCheckBox(tr("on the inputs"));
    m_onInputs->setToolTip(tr("Autoencoder: softmax over the input columns times the inputs, as the "
                              "feature-selection demo; off: over the first layer's units, as the Q&A"));
    m_localWidth = new QSpinBox;
    m_localWidth->setRange(1, 1000);
    m_localWidth->setToolTip(tr("Local-p attention: Gaussian window with sigma D/2 around the predicted position; "
                                   "local-m: the last D + 1 steps"));
    m_inputDropout = new QDoubleSpinBox;
    m_inputDropout->setRange(0.0, 0.9);
    m_inputDropout->setSingleStep(0.05);
    m_recurrentDropout = new QDoubleSpinBox;
    m_recurrentDropout->setRange(0.0, 0.9);
    m_recurrentDropout->setSingleStep(0.05);
    m_vocabulary = new QSpinBox;
    m_vocabulary->setRange(0, 1000000);
    m_vocabulary->setSpecialValueText(tr("all words"));
    m_maxLength = new QSpinBox;
    m_maxLength->setRange(1, 1000);
    m_maxLength->setSuffix(tr(" words"));
    m_padding = new QComboBox;
    m_truncation = new QComboBox;
    for (QComboBox *box : {m_padding, m_truncation}) {
        box->addItem(tr("post (after the words)"), int(attn::SequenceSide::Post));
        box->addItem(tr("pre (before the words)"), int(attn::SequenceSide::Pre));
    }
    m_truncation->setItemText(0, tr("post (cut the end)"));
    m_truncation->setItemText(1, tr("pre (cut the start)"));
    connect(m_attention, &QComboBox::currentIndexChanged, this, &RunSettingsPanel::updateSettingRows);
    m_hidden = new QSpinBox;
    m_hidden->setRange(1, 1024);
    m_units = new QSpinBox;
    m_units->setRange(1, 1024);
    m_epochs = new QSpinBox;
    m_epochs->setRange(0, 10000);
    m_epochs->setSpecialValueText(tr("auto"));
    m_epochs->setToolTip(tr("auto: a file trains about 1000 optimizer steps (10 to 500 epochs) "
                            "with early stopping; a built-in task its published epochs"));
    m_patience = new QSpinBox;
    m_patience->setRange(0, 1000);
    m_patience->setSpecialValueText(tr("off"));
    connect(m_epochs, &QSpinBox::valueChanged, this, [this](int epochs) {
        // With automatic epochs a file stops early after a fifth of them (attn::autoPatience).
        m_patience->setSpecialValueText(epochs == 0 ? tr("auto") : tr("off"));
    });
    m_patience->setSuffix(tr(" epochs"));
    m_patience->setToolTip(tr("Early stopping: stop after this many epochs without a lower "
                              "validation loss and keep the best epoch's weights"));
    m_explain = new QCheckBox(tr("faithfulness (slower)"));
    m_explain->setToolTip(tr("Every epoch: gradient, input x gradient, leave-one-out and integrated "
                             "gradients on 256 validation rows and the probe rows, set against the "
                             "attention (the Explain tab; --explain)"));
    m_batch = new QSpinBox;
    m_batch->setRange(1, 4096);
    m_learningRate = new QDoubleSpinBox;
    m_learningRate->setDecimals(5);
    m_learningRate->setRange(0.00001, 1.0);
    m_learningRate->setSingleStep(0.0005);
    m_seed = new QLineEdit;
    m_seed->setValidator(new QRegularExpressionValidator(QRegularExpression("[0-9]{1,19}"), m_seed));
    m_threads = new QSpinBox;
    m_threads->setRange(0, 1024);
    m_threads->setSpecialValueText(tr("one per core (%1)").arg(QThread::idealThreadCount()));
    m_threads->setToolTip(tr("A run computes slices of each batch on this many threads; Compare "
                             "trains up to this many runs at once. The results are the same "
                             "with any number"));
    m_form = form;
    form->addRow(tr("Task"), m_task);
    form->addRow(m_taskNote);
    form->addRow(tr("Preset"), m_preset);
    form->addRow(tr("Attention"), m_attention);
    form->addRow(tr("Recurrent cell"), m_cell);
    form->addRow(tr("Initialisation"), m_init);
    form->addRow(tr("Hidden units"), m_hidden);
    form->addRow(tr("Attention units"), m_units);
    form->addRow(tr("Heads"), m_heads);
    form->addRow(tr("Mask"), m_causal);
    form->addRow(tr("Window"), m_window);
    form->addRow(tr("Local width D"), m_localWidth);
    form->addRow(tr("Model width"), m_modelWidth);
    form->addRow(tr("Encoder layers"), m_encoderLayers);
    form->addRow(tr("Feed-forward units"), m_feedForward);
    form->addRow(tr("Normalisation"), m_preNorm);
    form->addRow(tr("Code units"), m_codeUnits);
    form->addRow(tr("Attention place"), m_onInputs);
    form->addRow(tr("Attention noise"), m_attentionNoise);
    form->addRow(tr("Input dropout"), m_inputDropout);
    form->addRow(tr("Recurrent dropout"), m_recurrentDropout);
    form->addRow(tr("Vocabulary"), m_vocabulary);
    form->addRow(tr("Sentence length"), m_maxLength);
    form->addRow(tr("Padding"), m_padding);
    form->addRow(tr("Padding mask"), m_maskPadding);
    form->addRow(tr("Truncation"), m_truncation);
    form->addRow(tr("Epochs"), m_epochs);
    form->addRow(tr("Early stop after"), m_patience);
    form->addRow(tr("Explain"), m_explain);
    form->addRow(tr("Batch size"), m_batch);
    form->addRow(tr("Learning rate"), m_learningRate);
    form->addRow(tr("Seed"), m_seed);
    form->addRow(tr("Threads"), m_threads);
    connect(m_task, &QComboBox::currentIndexChanged, this, &RunSettingsPanel::onTaskChanged);
    connect(m_preset, &QComboBox::currentIndexChanged, this, &RunSettingsPanel::onPresetChanged);
    connect(m_learningRate, &QDoubleSpinBox::valueChanged, this, &RunSettingsPanel::learningRateChanged);
}

void RunSettingsPanel::showSettings(const RunSettings &s)
{
    const QSignalBlocker blockTask(m_task);
    const QSignalBlocker blockAttention(m_attention);
    const QSignalBlocker blockPreset(m_preset);
    m_task->setCurrentIndex(m_task->findData(int(s.task)));
    m_preset->setCurrentIndex(int(runPresetFromString(s.preset).value_or(RunPreset::Default)));
    m_attention->clear();
    for (attn::AttentionKind k : attn::applicableAttention(s.task))
        m_attention->addItem(QString::fromStdString(attn::toString(k)), int(k));
    m_attention->setCurrentIndex(std::max(0, m_attention->findData(int(s.model.attention))));
    m_cell->setCurrentIndex(m_cell->findData(int(s.model.cell)));
    m_init->setCurrentIndex(m_init->findData(int(s.model.init)));
    m_hidden->setValue(s.model.hiddenSetting());
    m_units->setValue(s.model.attentionUnits);
    m_heads->setValue(s.model.heads);
    m_causal->setChecked(s.model.causal);
    m_maskPadding->setChecked(s.model.maskPadding);
    m_window->setValue(s.model.window);
    m_localWidth->setValue(s.model.localHalfWidth);
    m_modelWidth->setValue(s.model.modelWidth);
    m_encoderLayers->setValue(s.model.encoderLayers);
    m_feedForward->setValue(s.model.feedForwardUnits);
    m_preNorm->setChecked(s.model.preNorm);
    m_codeUnits->setValue(s.model.codeUnits);
    m_onInputs->setChecked(s.model.attentionOnInputs);
    m_attentionNoise->setValue(s.model.attentionNoise);
    m_inputDropout->setValue(s.model.inputDropout);
    m_recurrentDropout->setValue(s.model.recurrentDropout);
    m_vocabulary->setValue(s.tokenizer.vocabularyLimit);
    m_maxLength->setValue(s.tokenizer.maxLength);
    m_padding->setCurrentIndex(m_padding->findData(int(s.tokenizer.padding)));
    m_truncation->setCurrentIndex(m_truncation->findData(int(s.tokenizer.truncation)));
    m_epochs->setValue(s.train.epochs);
    m_patience->setSpecialValueText(s.train.epochs == 0 ? tr("auto") : tr("off"));
    m_patience->setValue(s.train.patience);
    m_explain->setChecked(s.train.explainRows > 0);
    if (s.train.explainRows > 0)
        m_explainRows = s.train.explainRows;
    m_batch->setValue(s.train.batchSize);
    m_learningRate->setValue(s.train.learningRate);
    m_seed->setText(QString::number(s.train.seed));
    m_threads->setValue(s.threads);
    m_sentenceFiles = s.sentenceFiles;
    updateSettingRows();
}

void RunSettingsPanel::showCsvSettings(const RunSettings &s)
{
    m_csv = s;
    const int item = m_task->findData(int(TaskKind::Csv));
    const QString label = tr("csv: %1").arg(QFileInfo(s.dataFile).fileName());
    if (item < 0) {
        m_task->addItem(label, int(TaskKind::Csv));
        m_task->setItemData(m_task->count() - 1,
                            QString::fromStdString(attn::taskDescription(TaskKind::Csv)), Qt::ToolTipRole);
    } else
        m_task->setItemText(item, label);
    showSettings(s);
}

quint64 RunSettingsPanel::seed() const { return m_seed->text().toULongLong(); }

bool RunSettingsPanel::eventFilter(QObject *watched, QEvent *event)
{
    // A word-wrapped label in a form row gets the height of its text at some other width and
    // clips its last lines; at every new width it asks for the height its text needs there.
    if (watched == m_taskNote && event->type() == QEvent::Resize)
        m_taskNote->setMinimumHeight(m_taskNote->heightForWidth(m_taskNote->width()));
    return QGroupBox::eventFilter(watched, event);
}

void RunSettingsPanel::updateSettingRows()
{
    const auto task = TaskKind(m_task->currentData().toInt());
    const auto kind = attn::AttentionKind(m_attention->currentData().toInt());
    m_taskNote->setText(QString::fromStdString(attn::taskDescription(task)));
    m_taskNote->setMinimumHeight(m_taskNote->heightForWidth(m_taskNote->width()));
    const bool autoencoder = task == TaskKind::Autoencoder;
    const bool sequence = task != TaskKind::Feature && !autoencoder;
    const bool self = kind == attn::AttentionKind::SelfAttention;
    const bool readout = kind == attn::AttentionKind::Luong || kind == attn::AttentionKind::LuongDot ||
                         kind == attn::AttentionKind::Bahdanau || kind == attn::AttentionKind::Local ||
                         kind == attn::AttentionKind::LocalMonotonic;
    m_form->setRowVisible(m_cell, sequence && kind != attn::AttentionKind::Transformer);
    m_form->setRowVisible(m_units, sequence && readout);
    const bool transformer = kind == attn::AttentionKind::Transformer;
    m_form->setRowVisible(m_heads, self || transformer);
    for (QWidget *row : {static_cast<QWidget *>(m_modelWidth), static_cast<QWidget *>(m_encoderLayers),
                         static_cast<QWidget *>(m_feedForward), static_cast<QWidget *>(m_preNorm)})
        m_form->setRowVisible(row, transformer);
    m_form->setRowVisible(m_hidden, !transformer); // the transformer has no recurrent layer
    m_form->setRowVisible(m_causal, self);
    m_form->setRowVisible(m_window, self);
    m_form->setRowVisible(m_localWidth, kind == attn::AttentionKind::Local ||
                                           kind == attn::AttentionKind::LocalMonotonic);
    m_form->setRowVisible(m_inputDropout, sequence || autoencoder);
    m_form->setRowVisible(m_codeUnits, autoencoder);
    m_form->setRowVisible(m_explain, !autoencoder); // no faithfulness measures for it
    m_form->setRowVisible(m_onInputs, autoencoder && kind != attn::AttentionKind::None);
    m_form->setRowVisible(m_attentionNoise, autoencoder && kind != attn::AttentionKind::None);
    m_form->setRowVisible(m_recurrentDropout, sequence);
    for (QWidget *row : {static_cast<QWidget *>(m_vocabulary), static_cast<QWidget *>(m_maxLength),
                         static_cast<QWidget *>(m_padding), static_cast<QWidget *>(m_truncation)})
        m_form->setRowVisible(row, task == TaskKind::Sentiment);
    m_form->setRowVisible(m_maskPadding, task == TaskKind::Sentiment || task == TaskKind::Csv);
    m_form->setRowVisible(m_preset, task == TaskKind::Sentiment);
    m_preset->setToolTip(presetDescription(RunPreset(m_preset->currentData().toInt())));
    emit mechanismChanged(task, kind);
}

void RunSettingsPanel::onTaskChanged()
{
    RunSettings s = RunSettings::defaults(TaskKind(m_task->currentData().toInt()));
    s.train.seed = seed();
    s.threads = m_threads->value();
    showSettings(s);
    emit taskChanged(s.task);
}

void RunSettingsPanel::onPresetChanged()
{
    RunSettings s = presetSettings(RunPreset(m_preset->currentData().toInt()));
    s.train.seed = seed();
    s.threads = m_threads->value();
    showSettings(s);
}

RunSettings RunSettingsPanel::settings() const
{
    const auto task = TaskKind(m_task->currentData().toInt());
    // The preset's settings the form has no row for (split, L2, dropouts, init) come from it.
    RunSettings s = task == TaskKind::Sentiment
                        ? presetSettings(RunPreset(m_preset->currentData().toInt()))
                        : RunSettings::defaults(task);
    s.model.attention = attn::AttentionKind(m_attention->currentData().toInt());
    s.model.cell = attn::RecurrentCell(m_cell->currentData().toInt());
    s.model.init = attn::WeightInit(m_init->currentData().toInt());
    s.model.hiddenSetting() = m_hidden->value();
    s.model.attentionUnits = m_units->value();
    s.model.heads = m_heads->value();
    s.model.causal = m_causal->isChecked();
    s.model.maskPadding = m_maskPadding->isChecked();
    s.model.window = m_window->value();
    s.model.localHalfWidth = m_localWidth->value();
    s.model.modelWidth = m_modelWidth->value();
    s.model.encoderLayers = m_encoderLayers->value();
    s.model.feedForwardUnits = m_feedForward->value();
    s.model.preNorm = m_preNorm->isChecked();
    s.model.codeUnits = m_codeUnits->value();
    s.model.attentionOnInputs = m_onInputs->isChecked();
    s.model.attentionNoise = m_attentionNoise->value();
    s.model.inputDropout = m_inputDropout->value();
    s.model.recurrentDropout = m_recurrentDropout->value();
    s.tokenizer.vocabularyLimit = m_vocabulary->value();
    s.tokenizer.maxLength = m_maxLength->value();
    s.tokenizer.padding = attn::SequenceSide(m_padding->currentData().toInt());
    s.tokenizer.truncation = attn::SequenceSide(m_truncation->currentData().toInt());
    s.train.epochs = m_epochs->value();
    s.train.patience = m_patience->value();
    s.train.explainRows = m_explain->isChecked() ? m_explainRows : 0;
    s.train.batchSize = m_batch->value();
    s.train.learningRate = m_learningRate->value();
    s.train.seed = seed();
    s.threads = m_threads->value();
    if (task == TaskKind::Sentiment)
        s.sentenceFiles = m_sentenceFiles;
    if (task == TaskKind::Csv) {
        s.dataFile = m_csv.dataFile;
        s.testDataFile = m_csv.testDataFile;
        s.target = m_csv.target;
        s.window = m_csv.window;
        s.layout = m_csv.layout;
        s.features = m_csv.features;
        s.sequenceId = m_csv.sequenceId;
        s.taskType = m_csv.taskType;
        s.standardize = m_csv.standardize;
    }
    return s;
}

QString RunSettingsPanel::openSentenceFiles()
{
    const QStringList files = QFileDialog::getOpenFileNames(
        this, tr("Open sentence files (sentence<TAB>label per line)"),
        QDir(shippedDataDirectory()).filePath("sentiment_labelled_sentences"),
        tr("Text files (*.txt *.tsv);;All files (*)"));
    if (files.isEmpty())
        return QString();
    int sentences = 0;
    for (const QString &file : files) {
        try {
            sentences += int(attn::readSentenceFile(file.toStdString()).size());
        } catch (const std::exception &e) {
            // The previous data stays in use: nothing is changed before every file reads.
            QMessageBox::warning(this, tr("Cannot use %1").arg(QFileInfo(file).fileName()),
                                 QString::fromUtf8(e.what()));
            return QString();
        }
    }
    RunSettings s = settings();
    if (s.task != TaskKind::Sentiment)
        s = RunSettings::defaults(TaskKind::Sentiment);
    s.sentenceFiles = files;
    showSettings(s);
    return tr("Sentiment data: %L1 sentences from %2 file(s); press Train.")
        .arg(sentences)
        .arg(files.size());
}

QString RunSettingsPanel::modelDescription(const RunSettings &s)
{
    const attn::ModelConfig &m = s.model;
    const QString kind = QString::fromStdString(attn::toString(m.attention));
    if (s.task == TaskKind::Feature)
        return m.attention == attn::AttentionKind::None
                   ? tr("Dense → Dense(1) (no attention)")
                   : tr("feature attention → Dense(%1) → Dense(1)").arg(m.denseUnits);
    if (s.task == TaskKind::Autoencoder) {
        const QString noise = m.attentionNoise > 0 ? tr(" + noise σ %1").arg(m.attentionNoise) : QString();
        const QString block = m.attention == attn::AttentionKind::None ? QString()
                              : m.attentionOnInputs ? tr("attention over the %1 inputs%2 → ").arg(m.inputs).arg(noise)
                                                    : QString();
        const QString after = m.attention != attn::AttentionKind::None && !m.attentionOnInputs
                                  ? tr(" → attention over its %1 units%2").arg(m.hidden).arg(noise)
                                  : QString();
        return tr("Dropout(%1) → %2Dense(%3, relu)%4 → MVN → Dense(%5, relu) → MVN → Dropout(%6) → "
                  "tied Dense(%3, relu) → tied Dense(%7): reconstruct the input (MSE)")
            .arg(m.inputDropout).arg(block).arg(m.hidden).arg(after).arg(m.codeUnits).arg(m.dropout)
            .arg(m.inputs);
    }
    QStringList layers;
    if (s.task == TaskKind::Sentiment)
        layers << tr("Embedding(%1)").arg(m.embeddingDim);
    layers << QStringLiteral("%1(%2)").arg(QString::fromStdString(attn::toString(m.cell)).toUpper()).arg(m.hidden);
    switch (m.attention) {
    case attn::AttentionKind::None:
        layers << (s.model.baselineUnits > 0 ? tr("last state → Dense(%1) (no attention)").arg(s.model.baselineUnits)
                                             : tr("last state (no attention)"));
        break;
    case attn::AttentionKind::Plain: layers << tr("last state (plain, no attention)"); break;
    case attn::AttentionKind::FeedForward: layers << kind; break;
    case attn::AttentionKind::SelfAttention:
        layers << tr("self(%1 heads%2)").arg(m.heads).arg(m.causal ? tr(", causal") : QString());
        break;
    case attn::AttentionKind::Transformer:
        layers.removeLast(); // no recurrent layer
        layers << tr("%1 encoder layers(d_model %2, %3 heads, FFN %4%5)")
                      .arg(m.encoderLayers)
                      .arg(m.modelWidth)
                      .arg(m.heads)
                      .arg(m.feedForwardUnits)
                      .arg(m.preNorm ? tr(", pre-norm") : QString())
               << tr("attention pooling");
        break;
    default: layers << QStringLiteral("%1(%2)").arg(kind).arg(m.attentionUnits); break;
    }
    layers << QStringLiteral("Dense(1)");
    return layers.join(QStringLiteral(" → "));
}
