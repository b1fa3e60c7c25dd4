// SPDX-License-Identifier: GPL-3.0-or-later
// The sentiment presets' settings and descriptions (runpreset.h).
#include "app/session/runpreset.h"

#include <QCoreApplication>
#include <QDir>

using attn::AttentionKind;
using attn::SequenceSide;
using attn::TaskKind;

QString toString(RunPreset preset)
{
    switch (preset) {
    case RunPreset::Default: return QStringLiteral("default");
    case RunPreset::Published: return QStringLiteral("published");
    case RunPreset::KerasImdb: return QStringLiteral("keras-imdb");
    }
    return QStringLiteral("?");
}

std::vector<RunPreset> allRunPresets()
{
    return {RunPreset::Default, RunPreset::Published, RunPreset::KerasImdb};
}

std::optional<RunPreset> runPresetFromString(const QString &name)
{
    for (RunPreset p : allRunPresets())
        if (toString(p) == name)
            return p;
    return std::nullopt;
}

QString runPresetChoices()
{
    QStringList names;
    for (RunPreset p : allRunPresets())
        names << toString(p);
    const QString last = names.takeLast();
    return names.join(", ") + " or " + last;
}

QString presetDescription(RunPreset preset)
{
    switch (preset) {
    case RunPreset::Default:
        return QCoreApplication::translate(
            "RunPreset",
            "The app's sentiment recipe: the blog's sizes (Embedding 32, LSTM 100, feed-forward "
            "attention, Adam, batch 100, 10 epochs) without its dropout and L2, with masked "
            "padding (padding gets no attention and the LSTM state passes it unchanged) and 20% "
            "of the sentences held out after a shuffle with the seed.");
    case RunPreset::Published:
        return QCoreApplication::translate(
            "RunPreset",
            "The blog's recipe as published: Embedding(V+1, 32) with L2 1e-3, LSTM(100) with "
            "dropout 0.3 on the inputs and 0.2 on the state, its attention layer (normal weights, "
            "zero bias), Dense(1, sigmoid), Adam, batch 100, 10 epochs, unmasked post-padding, and "
            "Keras' validation_split: the last 20% of amazon_cells + yelp, unshuffled. Its plain "
            "LSTM is the mechanism \"plain\". Published: 81.25% with attention, 77% without.");
    case RunPreset::KerasImdb:
        return QCoreApplication::translate(
            "RunPreset",
            "keras-attention's IMDB comparison (examples/imdb.py) on the 1,000 UCI IMDB sentences: "
            "Embedding(5000, 32), Dropout 0.5, LSTM(100), luong attention, Dropout 0.5, "
            "Dense(1); \"none\" is its no-attention model LSTM(100) -> Dense(350, relu) of about "
            "the same parameter count. Adam, batch 64, 10 epochs, pre-padding to 80 words, "
            "unmasked, 20% held out after a shuffle. Compare 10 runs for its max / mean / std table.");
    }
    return {};
}

RunSettings presetSettings(RunPreset preset)
{
    RunSettings s = RunSettings::defaults(TaskKind::Sentiment);
    s.preset = toString(preset);
    switch (preset) {
    case RunPreset::Default:
        break;
    case RunPreset::Published:
        s.model.hidden = 100;
        s.model.embeddingDim = 32;
        s.model.attention = AttentionKind::FeedForward;
        s.model.normalAttentionInit = true;
        s.model.inputDropout = 0.3;
        s.model.recurrentDropout = 0.2;
        s.model.dropout = 0.0;
        s.model.maskPadding = false;
        s.train.embeddingL2 = 1e-3;
        s.train.batchSize = 100;
        s.train.epochs = 10;
        s.train.learningRate = 1e-3;
        s.tokenizer = attn::TokenizerOptions{}; // T = 32, post, every word
        s.validationLast = true;
        break;
    case RunPreset::KerasImdb:
        s.sentenceFiles = {QDir(shippedDataDirectory())
                               .filePath(QStringLiteral("sentiment_labelled_sentences/imdb_labelled.txt"))};
        s.model.hidden = 100;
        s.model.embeddingDim = 32;
        s.model.attention = AttentionKind::Luong;
        s.model.attentionUnits = 128;
        s.model.baselineReference = AttentionKind::Luong;
        s.model.baselineUnits = 350;
        s.model.embeddingDropout = 0.5;
        s.model.dropout = 0.5;
        s.model.maskPadding = false;
        s.train.batchSize = 64;
        s.train.epochs = 10;
        s.train.learningRate = 1e-3;
        // pad_sequences' defaults (pre); Embedding(5000) holds ids 0..4999: 4,999 words.
        s.tokenizer.vocabularyLimit = 4999;
        s.tokenizer.maxLength = 80; // the longest imdb sentence has 73 words: none is cut
        s.tokenizer.padding = SequenceSide::Pre;
        s.tokenizer.truncation = SequenceSide::Pre;
        break;
    }
    return s;
}

RunSettings presetOrDefaults(TaskKind task, const QString &preset)
{
    if (task == TaskKind::Sentiment)
        if (const auto p = runPresetFromString(preset))
            return presetSettings(*p);
    return RunSettings::defaults(task);
}
