// SPDX-License-Identifier: GPL-3.0-or-later
// The limits of a session file (.attnsession), shared by saveSession and loadSession so the app
// never writes a file it refuses to read: a damaged or hostile file is refused with a message
// naming the place instead of freezing the window (a 10 MB metric name took 145 s to show).
#pragma once

#include "core/data/sentencefile.h"
#include "core/snapshot/snapshot.h"

#include <QString>
#include <QVariantMap>
#include <QtGlobal>

/// The whole file: 512 MiB (checked before reading; never more is read).
inline constexpr qint64 kMaxSessionFileBytes = qint64(512) << 20;
/// history entries: epoch 0 and every epoch of the longest run (--epochs allows 100,000).
inline constexpr int kMaxSessionEpochs = 100'001;
/// Cells (rows x cols) of one grid, and the most either side may have; also the most values in
/// one list of an epoch (probe_predictions, probe_tokens, head_maps...).
inline constexpr qint64 kMaxSessionGridCells = qint64(1) << 26;
/// A name: metric_name.
inline constexpr int kMaxSessionNameChars = 200;
/// A text of the settings (a path, a column name, a choice) and the model path.
inline constexpr int kMaxSessionTextChars = 4096;
/// settings.sentenceFiles entries.
inline constexpr int kMaxSessionSentenceFiles = 1000;
/// One probe token (a word of a sentence file, so as long as a sentence file's line may be).
inline constexpr int kMaxSessionTokenChars = int(attn::kMaxSentenceLineBytes);

/// "longer than N characters" (N = limit): the reason a text is refused.
QString tooLongReason(int limit);

/// Why a text of the settings or the model path cannot be stored: "longer than 4096
/// characters", "contains a NUL character" (no file path or CSV column name has one); "" if none.
QString textProblem(const QString &text);

/// The first problem of a settings map (runSettingsToMap's keys, as stored in the file) with the
/// limits above (textProblem for every text): "settings.KEY: longer than 4096 characters",
/// "settings.sentenceFiles[2]: contains a NUL character",
/// "settings.sentenceFiles: N files, more than 1000"; "" if none.
QString settingsOverLimit(const QVariantMap &settings);

/// The first problem of one history entry (named where, e.g. "history[3]") with the limits
/// above, or a grid whose values do not fill it, in the words loadSession uses:
/// "history[3].metric_name: longer than 200 characters", "history[0].attention: 9000 x 9000
/// cells, more than 67108864", "history[1].attention: 12 values for 2 x 5"; "" if none.
QString entryOverLimit(const attn::EpochSnapshot &s, const QString &where);

/// "R x C cells, more than N" if a grid of rows x cols (both >= 0) is over kMaxSessionGridCells
/// cells or on either side; "" if it fits.
QString gridOverLimit(qint64 rows, qint64 cols);
