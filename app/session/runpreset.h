// SPDX-License-Identifier: GPL-3.0-or-later
// Named recipes of the sentiment task (docs/tasks.md, "Presets"): the app's own default, the
// sentiment blog's recipe exactly as published, and keras-attention's IMDB comparison on the
// UCI IMDB sentences. A preset is a complete RunSettings; the command line (--preset), the
// run settings panel and session files ("preset") start from it.
#pragma once

#include "app/session/runsettings.h"

#include <QString>
#include <QStringList>
#include <optional>
#include <vector>

enum class RunPreset {
    Default,   // "default": the app's sentiment defaults (masked padding, shuffled split)
    Published, // "published": the blog's Keras recipe, unmasked, last 20% held out
    KerasImdb, // "keras-imdb": keras-attention's examples/imdb.py sizes on imdb_labelled.txt
};

/// "default", "published", "keras-imdb".
QString toString(RunPreset preset);
/// Inverse of toString; nullopt for any other name.
std::optional<RunPreset> runPresetFromString(const QString &name);
/// Every preset, in the order above.
std::vector<RunPreset> allRunPresets();
/// "default, published or keras-imdb".
QString runPresetChoices();
/// A few sentences for a user: what the preset trains and how it differs from the others.
QString presetDescription(RunPreset preset);

/// The sentiment task's settings of the preset, seed 7, RunSettings::preset set to its name:
///  - default: RunSettings::defaults(sentiment).
///  - published: Embedding(V+1, 32) with L2 1e-3 on its weights (TrainConfig::embeddingL2),
///    LSTM(100) with input dropout 0.3 and recurrent dropout 0.2, feed-forward attention with
///    w ~ N(0, 0.05^2) and zero bias, Dense(1) on the logit; Adam 1e-3, batch 100, 10 epochs;
///    T = 32 post-padded and post-truncated, every word, unmasked; amazon_cells + yelp with the
///    last 20% in file order held out (RunSettings::validationLast).
///  - keras-imdb: imdb_labelled.txt (shipped), T = 80 pre-padded and pre-truncated, at most
///    4,999 words (Embedding(5000, 32) as imdb.py), unmasked, Dropout(0.5) on the embedding,
///    LSTM(100), luong attention (U = 128), Dropout(0.5), Dense(1); the no-attention model
///    "none" with Dense(350, ReLU) (imdb.py's "same number of parameters"); Adam 1e-3, batch
///    64, 10 epochs; 20% held out after a seeded shuffle.
RunSettings presetSettings(RunPreset preset);

/// The settings a session or a settings store names by preset: presetSettings(preset) for a
/// known name with the sentiment task, else RunSettings::defaults(task).
RunSettings presetOrDefaults(attn::TaskKind task, const QString &preset);
