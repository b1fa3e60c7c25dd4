// SPDX-License-Identifier: GPL-3.0-or-later
// PredictionJob: File > Predict from CSV off the GUI thread: reads the file for a trained model,
// predicts every row and writes the predictions CSV and, beside it, NAME_attention.csv
// (app/session/predictioncsv.h), then reports on the GUI thread.
#pragma once

#include "app/session/trainingworker.h"

#include <QFutureWatcher>
#include <QObject>
#include <QString>

class PredictionJob : public QObject {
    Q_OBJECT
public:
    /// What a prediction reports: errorTitle empty = written.
    struct Result {
        QString errorTitle;      // the error box's title, e.g. "Cannot predict from rows.csv"
        QString error;           // its text
        QString predictionsPath;
        QString attentionPath;   // empty: the model has no attention
        long long rows = 0;      // sequences predicted
        int epoch = 0;           // the model's epoch
        bool ok() const { return errorTitle.isEmpty(); }
    };

    explicit PredictionJob(QObject *parent = nullptr);
    /// Waits for a running prediction.
    ~PredictionJob() override;

    bool isRunning() const { return m_watcher.isRunning(); }
    /// Runs model on input and writes predictionsPath on a pool thread; the model stays valid
    /// while a new epoch replaces the window's. Emits finished on this object's thread.
    void start(const TrainedModelPtr &model, const QString &input, const QString &predictionsPath);
    /// The status line of a written result.
    static QString summary(const Result &result);

signals:
    void finished(const PredictionJob::Result &result);

private:
    QFutureWatcher<Result> m_watcher;
};
