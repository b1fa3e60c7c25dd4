// SPDX-License-Identifier: GPL-3.0-or-later
// How to read a CSV file the user names, before they choose: File > Open's first guess in the
// import dialog and the command line's `--data FILE` without --layout or --window use the same
// one, so a file trains the same way from either.
#pragma once

#include "app/session/runsettings.h"

#include <QString>

/// The settings to open path with, everything else from base:
/// - a UCR NAME_TRAIN file with its NAME_TEST beside it: the pair (csvTaskSpec's UCR options);
///   alone, with whole numbers in its first column (firstColumnHoldsLabels): wide, target first;
/// - a file whose first 64 KiB hold one numeric column and at most one other (dates, say): a
///   series in windows of min(12, rows / 4) values, target the numeric column, and the
///   faithfulness measures on (kForecastExplainRows) when base was not a forecast already;
/// - any other file: wide, target last.
/// Reads at most the first 64 KiB (a lone NAME_TRAIN file: all of it); throws nothing (a file that cannot be read is guessed wide,
/// and reading it for the run says why).
RunSettings guessCsvSettings(const QString &path, const RunSettings &base);
