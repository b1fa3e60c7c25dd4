// SPDX-License-Identifier: GPL-3.0-or-later
// EpochSnapshot -> JSON (Qt's JSON classes).
#include "app/session/snapshotjson.h"

#include <QJsonDocument>
#include <QJsonValue>
#include <QString>

QJsonObject snapshotToJson(const attn::EpochSnapshot &s)
{
    QJsonObject o;
    o["epoch"] = s.epoch;
    o["seconds"] = s.seconds;
    o["train_loss"] = s.trainLoss;
    o["val_loss"] = s.valLoss;
    o["metric"] = s.metric;
    o["metric_name"] = QString::fromStdString(s.metricName);
    // Alignment and ground-truth mass over the whole validation set (docs/tasks.md, "Alignment").
    o["alignment"] = s.alignment ? QJsonValue(*s.alignment) : QJsonValue(QJsonValue::Null);
    o["ground_truth_mass"] = s.groundTruthMass ? QJsonValue(*s.groundTruthMass) : QJsonValue(QJsonValue::Null);
    o["alignment_rows"] = s.alignmentRows;
    o["samples_per_second"] = s.samplesPerSecond;
    if (s.bestEpoch > 0)
        o["best_epoch"] = s.bestEpoch; // the epoch with the lowest validation loss so far
    return o;
}

QByteArray snapshotToJsonLine(const attn::EpochSnapshot &s)
{
    return QJsonDocument(snapshotToJson(s)).toJson(QJsonDocument::Compact);
}
