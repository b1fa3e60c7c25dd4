// SPDX-License-Identifier: GPL-3.0-or-later
// CsvImportDialog: opens a user's CSV sequences (docs/tasks.md, "Custom CSV sequences").
// The user picks layout, target column, task type, normalisation and validation file; a preview
// of the first rows and the full check (shape N, T, F, task type, class counts, warnings, or the
// FILE:LINE:COLUMN error) are refreshed on every change, and OK is enabled only for usable data.
// The check runs on a worker thread (app/gui/csvcheck.h): the window never waits for the file, a
// newer check supersedes an older one, and the file is parsed once per reading format.
#pragma once

#include "app/gui/csvpreview.h"
#include "app/session/runsettings.h"

#include "core/io/csvparser.h"

#include <QDialog>
#include <QString>
#include <QStringList>

#include <atomic>
#include <memory>

struct CsvCheckResult;
class CsvCheckPanel;
class CsvTableCache;
class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QTimer;
class QSpinBox;

class CsvImportDialog : public QDialog {
    Q_OBJECT
public:
    /// Rows of the file shown in the preview table.
    static constexpr int kPreviewRows = CsvPreview::kRows;
    /// Bytes of the file shown as raw text when it cannot be parsed at all.
    static constexpr qint64 kRawPreviewBytes = CsvPreview::kRawBytes;

    /// initial.dataFile is the file to open; its csv fields (layout, target, task type, F,
    /// sequence id, window, standardize, testDataFile) preset the controls, every other field
    /// (seed, model, training settings) is carried through to settings() unchanged.
    /// Starts the check at once; errorText() and shapeText() are valid once it has finished
    /// (waitForCheck()).
    explicit CsvImportDialog(const RunSettings &initial, QWidget *parent = nullptr);
    /// Cancels a file read still running (CsvTableCache::cancel): closing the dialog while a
    /// large file is read stops the read.
    ~CsvImportDialog() override;

    /// The initial settings with the csv fields as chosen in the dialog and task = Csv
    /// (window only for series, features only for wide-multivariate, sequenceId only for long;
    /// a validation file equal to the UCR _TEST beside the data file is left empty, so the pair
    /// is read with the UCR options).
    RunSettings settings() const;
    /// The message of the last check (attn::CsvError: "FILE:LINE:COLUMN: message", or the
    /// std::invalid_argument text); empty when the data is usable.
    QString errorText() const;
    /// The bold summary: "N = 50 training + 150 validation sequences, T = 150 steps, F = 1
    /// feature" and, on a second line, the task type and where it came from, e.g. "binary
    /// (detected from the target)"; empty when the check failed.
    QString shapeText() const;

    /// True from a change of a setting until its check has finished (OK is disabled meanwhile).
    bool isChecking() const { return m_checking; }
    /// Runs the event loop until the latest check has finished or timeoutMs passed; true if it
    /// has finished.
    bool waitForCheck(int timeoutMs = 60000);
    /// Files parsed so far (the data file once per reading format, a validation file once).
    int fileReads() const;
    /// Results of superseded checks that arrived after a newer check started, and were dropped.
    int droppedChecks() const { return m_dropped; }

signals:
    /// The latest check has finished and its result is shown.
    void checkFinished();

private:
    void buildUi();
    void fillControls(const RunSettings &initial);
    void fillColumns(const CsvPreviewContent &preview);
    void updateVisibility();
    void refresh();
    void showCheck(const CsvCheckResult &result);
    void browseTestFile();
    bool isUcrPair() const;

    RunSettings m_initial;
    bool m_ready = false; // false while the controls are being filled: no refresh yet
    bool m_columnsFilled = false; // the column names of the file are in the combo boxes
    std::shared_ptr<CsvTableCache> m_tables; // shared with the checks still running
    int m_generation = 0; // the latest check's number
    std::shared_ptr<std::atomic<int>> m_latest; // the same, for the checks running
    bool m_checking = false;
    int m_dropped = 0;

    QString m_error;
    QString m_shape;

    QFormLayout *m_form = nullptr;
    QLabel *m_fileLabel = nullptr;
    QComboBox *m_layout = nullptr;
    QComboBox *m_target = nullptr;
    QComboBox *m_taskType = nullptr;
    QSpinBox *m_features = nullptr;
    QComboBox *m_sequenceId = nullptr;
    QSpinBox *m_window = nullptr;
    QSpinBox *m_batch = nullptr;
    QCheckBox *m_standardize = nullptr;
    QCheckBox *m_instanceNorm = nullptr; // RunSettings::instanceNorm, shown for forecasts
    QLineEdit *m_testFile = nullptr;
    QWidget *m_testRow = nullptr;
    CsvPreview *m_preview = nullptr;
    CsvCheckPanel *m_check = nullptr;
    QTimer *m_progressTimer = nullptr; // while checking: polls m_tables->progress()
    QDialogButtonBox *m_buttons = nullptr;
};
