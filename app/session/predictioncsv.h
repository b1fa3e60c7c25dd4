// SPDX-License-Identifier: GPL-3.0-or-later
// A model's predictions on a file as two CSV files, for --predict and File > Predict: one row per
// sequence with the prediction (and the target when the file has one), and one row per sequence
// with its attention weights over the time steps (or features).
#pragma once

#include "core/savedmodel/predictor.h"

#include <QString>

/// predictions: header row,line,prediction[,p_<class>...][,target]; prediction is the value
/// (regression) or the class label; p_<class> the probability of each class (binary: of both);
/// target only when input.hasTargets. attention: header row,line,a_1..a_T (feature model:
/// f_1..f_F); not written (attentionPath ignored) when the model has no attention. Both through
/// saveTextFile, 9 significant digits, labels quoted as RFC 4180 needs. On failure returns false and
/// sets *error to "PATH: reason".
bool writePredictionCsv(const attn::ModelSpec &spec, const attn::PredictionInput &input,
                        const attn::Predictions &predictions, const QString &predictionsPath,
                        const QString &attentionPath, QString *error);
