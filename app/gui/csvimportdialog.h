// SPDX-License-Identifier: GPL-3.0-or-later
// CsvImportDialog: opens a user's CSV sequences (docs/tasks.md, "Custom CSV sequences").
// The user picks layout, target column, task type, normalisation and validation file; a preview
// of the first rows and the full check (shape N, T, F, task type, class counts, warnings, or the
// FILE:LINE:COLUMN error) are refreshed on every change, and OK is enabled only for usable data.
#pragma once

#include "app/session/runsettings.h"

#include "core/io/csvparser.h"

#include <QDialog>
#include <QString>
#include <QStringList>
#include <optional>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QSpinBox;
class QStackedWidget;
class QTableWidget;

class CsvImportDialog : public QDialog {
    Q_OBJECT
public:
    /// Rows of the file shown in the preview table.
    static constexpr int kPreviewRows = 20;
    /// Bytes of the file shown as raw text when it cannot be parsed at all.
    static constexpr qint64 kRawPreviewBytes = 64 * 1024;

    /// initial.dataFile is the file to open; its csv fields (layout, target, task type, F,
    /// sequence id, window, standardize, testDataFile) preset the controls, every other field
    /// (seed, model, training settings) is carried through to settings() unchanged.
    /// Runs the check at once, so errorText() and shapeText() are valid after construction.
    explicit CsvImportDialog(const RunSettings &initial, QWidget *parent = nullptr);

    /// A starting point for path: base with task Csv, dataFile = path and the csv fields reset
    /// (standardize kept from base), then
    /// - a UCR NAME_TRAIN file with NAME_TEST beside it: layout "" and target "" (csvTaskSpec
    ///   reads the pair with ucrOptions());
    /// - a file whose rows hold one numeric column (optionally plus one date/text column):
    ///   layout "series", window T = min(12, rows / 4), at least 1, the target that column;
    /// - otherwise (also when the file cannot be read): layout "wide", target "" (last).
    /// Never throws.
    static RunSettings guess(const QString &path, const RunSettings &base);

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

private:
    void buildUi();
    void fillControls(const RunSettings &initial);
    void updateVisibility();
    void refresh();
    void refreshPreview(const attn::CsvFormat &format);
    void showCheck();
    void browseTestFile();
    bool isUcrPair() const;

    RunSettings m_initial;
    bool m_ready = false; // false while the controls are being filled: no refresh yet

    // The file as the preview last read it, and the format it was read with.
    std::optional<attn::CsvFormat> m_previewFormat;
    QStringList m_header;  // column names (empty: no header)
    int m_columns = 0;     // columns of the parsed table, 0 if it did not parse
    int m_rows = 0;        // data rows of the parsed table
    QString m_parseError;  // readCsv's message when the file did not parse

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
    QLineEdit *m_testFile = nullptr;
    QWidget *m_testRow = nullptr;
    QLabel *m_previewCaption = nullptr;
    QStackedWidget *m_previewStack = nullptr;
    QTableWidget *m_preview = nullptr;
    QPlainTextEdit *m_rawPreview = nullptr;
    QLabel *m_shapeLabel = nullptr;
    QLabel *m_detailLabel = nullptr;
    QTableWidget *m_classTable = nullptr;
    QLabel *m_warnings = nullptr;
    QLabel *m_errorLabel = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};
