// SPDX-License-Identifier: GPL-3.0-or-later
// EpochSnapshot -> JSON (Qt's JSON classes).
#include "app/session/snapshotjson.h"

#include <QJsonDocument>
#include <QJsonValue>
#include <QString>

namespace {

QJsonValue orNull(const std::optional<double> &v)
{
    return v ? QJsonValue(*v) : QJsonValue(QJsonValue::Null);
}

} // namespace

// --explain: core/explain's measures (FaithfulnessSummary). Alignment only where the task has
// ground truth, decision flips only for classification; tau is null without attention.
QJsonObject faithfulnessToJson(const attn::FaithfulnessSummary &f,
                               QJsonValue (*number)(const std::optional<double> &))
{
    const auto value = number ? number : orNull;
    QJsonObject o;
    o["rows"] = f.rows;
    const auto measures = [&](const auto &keys) {
        QJsonObject m;
        for (const auto &[key, field] : keys)
            m[key] = value(f.*field);
        return m;
    };
    o["kendall_tau"] = measures(kFaithfulnessTaus);
    if (f.alignmentGradient)
        o["alignment"] = measures(kFaithfulnessAlignments);
    o["permutation_median_abs_change"] = value(f.permutationMedianAbsChange);
    o["uniform_abs_change"] = value(f.uniformAbsChange);
    if (f.decisionFlipShare)
        o["decision_flip_share"] = value(f.decisionFlipShare);
    o["integrated_gradients_gap"] = value(f.completenessGap);
    o["seconds"] = value(f.seconds);
    return o;
}

QJsonObject snapshotToJson(const attn::EpochSnapshot &s)
{
    QJsonObject o;
    o["epoch"] = s.epoch;
    o["seconds"] = s.seconds;
    o["train_loss"] = s.trainLoss;
    o["val_loss"] = s.valLoss;
    o["metric"] = s.metric;
    o["metric_name"] = QString::fromStdString(s.metricName);
    if (s.testMetric) { // a held-out test file, never used for a choice
        o["test_loss"] = orNull(s.testLoss);
        o["test_metric"] = *s.testMetric;
    }
    if (s.mase) // forecasts: the MAE over the naive forecast's training MAE
        o["mase"] = *s.mase;
    if (s.testMase)
        o["test_mase"] = *s.testMase;
    // Alignment and ground-truth mass over the whole validation set (docs/tasks.md, "Alignment").
    o["alignment"] = s.alignment ? QJsonValue(*s.alignment) : QJsonValue(QJsonValue::Null);
    o["ground_truth_mass"] = s.groundTruthMass ? QJsonValue(*s.groundTruthMass) : QJsonValue(QJsonValue::Null);
    o["alignment_rows"] = s.alignmentRows;
    o["samples_per_second"] = s.samplesPerSecond;
    if (s.bestEpoch > 0)
        o["best_epoch"] = s.bestEpoch; // the epoch with the lowest validation loss so far
    if (s.faithfulness)
        o["faithfulness"] = faithfulnessToJson(*s.faithfulness);
    return o;
}

QByteArray snapshotToJsonLine(const attn::EpochSnapshot &s)
{
    return QJsonDocument(snapshotToJson(s)).toJson(QJsonDocument::Compact);
}

QJsonObject baselinesToJson(const std::vector<attn::Baseline> &baselines)
{
    QJsonObject o;
    for (const attn::Baseline &b : baselines)
        o[QString::fromStdString(b.key)] = b.value;
    return o;
}
