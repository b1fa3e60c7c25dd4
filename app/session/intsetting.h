// SPDX-License-Identifier: GPL-3.0-or-later
// The whole-number run settings with their bounds (IntSetting, kIntSettings) and the "a, b or c"
// lists of names, shared by the command line (runsettings.cpp) and the QVariantMap / QSettings
// conversion (runsettingsmap.cpp). Internal to app/session.
#pragma once

#include "app/session/runsettings.h"

#include "core/data/season.h"
#include "core/models/modellimits.h"

#include <QString>
#include <QStringList>
#include <vector>

// "a, b or c" from the names of every task / attention kind.
template <typename Kind> QString choiceList(const std::vector<Kind> &kinds)
{
    QStringList names;
    for (Kind k : kinds)
        names << QString::fromStdString(toString(k));
    const QString last = names.takeLast();
    return names.isEmpty() ? last : names.join(", ") + " or " + last;
}

// The whole-number settings with their bounds, shared by the command line, QSettings and session
// files so they can never accept different ranges.
struct IntSetting {
    const char *option; // --option
    const char *key;    // QSettings key in the group "run"
    int min, max;
    int &(*field)(RunSettings &);
};
inline const IntSetting kIntSettings[] = {
    // 0 = auto: a file's run is sized to its rows (attn::autoEpochs), a built-in task's is published
    {"epochs", "epochs", 0, 100000, [](RunSettings &s) -> int & { return s.train.epochs; }},
    {"patience", "patience", 0, 100000, [](RunSettings &s) -> int & { return s.train.patience; }},
    {"batch-size", "batchSize", 1, 100000, [](RunSettings &s) -> int & { return s.train.batchSize; }},
    {"hidden", "hidden", 1, attn::kMaxHidden, [](RunSettings &s) -> int & { return s.model.hiddenSetting(); }},
    {"code-units", "codeUnits", 1, attn::kMaxHidden, [](RunSettings &s) -> int & { return s.model.codeUnits; }},
    {"units", "units", 1, attn::kMaxAttentionUnits, [](RunSettings &s) -> int & { return s.model.attentionUnits; }},
    {"train-size", "trainSize", 0, 10000000, [](RunSettings &s) -> int & { return s.size.train; }},
    {"val-size", "valSize", 0, 10000000, [](RunSettings &s) -> int & { return s.size.validation; }},
    {"heads", "heads", 1, attn::kMaxHeads, [](RunSettings &s) -> int & { return s.model.heads; }},
    {"attention-window", "window", 0, attn::kMaxSteps, [](RunSettings &s) -> int & { return s.model.window; }},
    {"d-model", "modelWidth", 1, attn::kMaxHidden, [](RunSettings &s) -> int & { return s.model.modelWidth; }},
    {"layers", "encoderLayers", 1, attn::kMaxEncoderLayers, [](RunSettings &s) -> int & { return s.model.encoderLayers; }},
    {"ffn-units", "feedForwardUnits", 1, attn::kMaxFeedForwardUnits,
     [](RunSettings &s) -> int & { return s.model.feedForwardUnits; }},
    {"local-width", "localWidth", 1, attn::kMaxLocalHalfWidth, [](RunSettings &s) -> int & { return s.model.localHalfWidth; }},
    {"vocabulary", "vocabulary", 0, attn::kMaxVocabulary,
     [](RunSettings &s) -> int & { return s.tokenizer.vocabularyLimit; }},
    {"max-length", "maxLength", 1, 10000, [](RunSettings &s) -> int & { return s.tokenizer.maxLength; }},
    {"window", "seriesWindow", 0, 100000, [](RunSettings &s) -> int & { return s.window; }},
    {"features", "features", 1, 100000, [](RunSettings &s) -> int & { return s.features; }},
    {"season", "season", 0, attn::kMaxSeason, [](RunSettings &s) -> int & { return s.season; }},
    {"threads", "threads", 0, 1024, [](RunSettings &s) -> int & { return s.threads; }},
    // -1 = the mechanism's default (core/train/trainer.h: the transformer's, else none)
    {"warmup", "warmupSteps", -1, 10000000, [](RunSettings &s) -> int & { return s.train.warmupSteps; }},
};
