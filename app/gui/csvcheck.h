// SPDX-License-Identifier: GPL-3.0-or-later
// The CSV import dialog's check, run on a worker thread: the preview of the data file and the
// complete check (makeCsvTaskData) of the dialog's settings, from the dialog's cache of parsed
// files (app/gui/csvtablecache.h). The dialog shows the result of its latest check only.
#pragma once

#include "app/gui/csvpreview.h"
#include "app/gui/csvtablecache.h"
#include "app/session/runsettings.h"

#include "core/data/csvtask.h"
#include "core/tensor/tensor.h"

#include <QString>

#include <atomic>
#include <functional>
#include <string>

/// What one check found.
struct CsvCheckResult {
    int generation = 0;         // the check's number: the dialog drops all but its latest
    RunSettings settings;       // what was checked
    CsvPreviewContent preview;  // the data file's first rows (or bytes)
    QString error;              // the CsvError (FILE:LINE:COLUMN: message) or other message
    std::string errorFile;      // the file, line and column it names (0: none)
    int errorLine = 0;
    int errorColumn = 0;
    attn::CsvTaskInfo info;     // on success: classes, warnings, task type
    long long trainSize = 0;    // sequences (windows) in each split
    long long validationSize = 0;
    long long testSize = 0;     // the test file's sequences (0: no test file)
    int steps = 0;              // T
    int features = 0;           // F
    attn::Mat validationY;      // (N, 1) or (N, C): the class counts of the validation split
};

/// Checks settings (thread-safe): the data file's table from tables, its preview, then
/// makeCsvTaskData reading through tables. Returns at once (an empty result) if latest is no
/// longer generation: a newer check has started. Never throws.
CsvCheckResult runCsvCheck(const RunSettings &settings, int generation, CsvTableCache &tables,
                           const std::atomic<int> &latest);

/// The shape line of a passed check, as the dialog shows it: "N = 40 training + 10 validation
/// + 150 test sequences, T = 150 steps, F = 1 feature\n<task type> (<where it came from>)".
QString csvCheckShape(const CsvCheckResult &r);
/// How the split and the scaling were made: validation (the latest 20% of a series' windows,
/// else 20% (of each class) with the seed), the test file (r.settings.testDataFile, else
/// ucrTestFile when a UCR pair supplies it; "" = none) and what was standardised.
QString csvCheckDetail(const CsvCheckResult &r, const QString &ucrTestFile);

/// Tests: called on the worker thread at the start of every check with its generation (e.g. to
/// hold an early check back so that a later one finishes first). Empty: none.
void setCsvCheckHook(std::function<void(int generation)> hook);
