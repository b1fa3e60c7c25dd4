// SPDX-License-Identifier: GPL-3.0-or-later
// CsvCheckPanel: the "What the model will see" box of the CSV import dialog. After each check it
// shows either the error (FILE:LINE:COLUMN: message, in red) or the shape N, T, F with the task
// type, how the data is split and scaled, warnings, and the sequences per class in each split.
// While a check runs, "Checking the file..." stands above the previous result.
#pragma once

#include "core/data/csvtask.h"
#include "core/tensor/tensor.h"

#include <QColor>
#include <QGroupBox>
#include <QString>

class QLabel;
class QProgressBar;
class QTableWidget;

class CsvCheckPanel : public QGroupBox {
    Q_OBJECT
public:
    explicit CsvCheckPanel(QWidget *parent = nullptr);

    /// The colour of errors: the message here, the cell it names in the preview.
    static QColor errorColor();

    /// A check is running: shows "Checking the file..." ("checkStatus") until showError or
    /// showResult.
    void showChecking();
    /// While a file is read: a progress bar ("readProgress") at bytesRead of fileBytes.
    void showProgress(quint64 bytesRead, quint64 fileBytes);
    /// The check failed: error (red), a hint instead of the details, no shape, warnings or classes.
    void showError(const QString &error);
    /// The check passed. shape: "N = ..., T = ..., F = ...\n<task type> (<origin>)", shown bold on
    /// three lines with no-break spaces inside each "T = 12 steps"; detail: the split and scaling;
    /// info: the warnings (the first 5) and classes, whose validation counts come from
    /// validationY (N, 1) 0/1 or (N, C) one-hot. The class table is hidden without classes.
    void showResult(const QString &shape, const QString &detail, const attn::CsvTaskInfo &info,
                    const attn::Mat &validationY);

private:
    QLabel *m_status = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_shape = nullptr;
    QLabel *m_detail = nullptr;
    QLabel *m_error = nullptr;
    QLabel *m_warnings = nullptr;
    QTableWidget *m_classTable = nullptr;
};
