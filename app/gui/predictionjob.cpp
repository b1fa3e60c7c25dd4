// SPDX-License-Identifier: GPL-3.0-or-later
// The prediction of a CSV file on a QtConcurrent pool thread (core/savedmodel/predictor.h).
#include "app/gui/predictionjob.h"

#include "app/session/predictioncsv.h"
#include "core/savedmodel/predictor.h"
#include "core/savedmodel/trainedmodel.h"

#include <QDir>
#include <QFileInfo>
#include <QtConcurrent/QtConcurrentRun>

#include <exception>

namespace {

PredictionJob::Result predictFile(const TrainedModelPtr &model, const QString &input,
                                  const QString &predictionsPath)
{
    PredictionJob::Result result;
    result.predictionsPath = predictionsPath;
    result.epoch = model->epoch;
    attn::PredictionInput in;
    attn::Predictions out;
    try {
        in = attn::readPredictionInput(model->spec, input.toStdString());
        out = attn::predict(*attn::buildModel(*model), model->spec, in);
    } catch (const std::exception &e) {
        result.errorTitle = PredictionJob::tr("Cannot predict from %1").arg(QFileInfo(input).fileName());
        result.error = QString::fromUtf8(e.what());
        return result;
    }
    const QFileInfo info(predictionsPath);
    const QString attentionPath = info.dir().filePath(info.completeBaseName() + "_attention.csv");
    if (!writePredictionCsv(model->spec, in, out, predictionsPath, attentionPath, &result.error)) {
        result.errorTitle = PredictionJob::tr("Cannot write the predictions");
        return result;
    }
    result.rows = in.data.size();
    if (out.attention.size() > 0)
        result.attentionPath = attentionPath;
    return result;
}

} // namespace

PredictionJob::PredictionJob(QObject *parent) : QObject(parent)
{
    connect(&m_watcher, &QFutureWatcherBase::finished, this, [this] { emit finished(m_watcher.result()); });
}

PredictionJob::~PredictionJob() { m_watcher.waitForFinished(); }

void PredictionJob::start(const TrainedModelPtr &model, const QString &input, const QString &predictionsPath)
{
    m_watcher.setFuture(QtConcurrent::run(predictFile, model, input, predictionsPath));
}

QString PredictionJob::summary(const Result &r)
{
    return tr("Predicted %L1 sequences with the model of epoch %2: %3%4")
        .arg(r.rows)
        .arg(r.epoch)
        .arg(r.predictionsPath, r.attentionPath.isEmpty() ? QString() : tr(" and %1").arg(r.attentionPath));
}
