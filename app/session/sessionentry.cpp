// SPDX-License-Identifier: GPL-3.0-or-later
// One history entry of a session file <-> JSON, and the typed readers that name the place of
// every problem ("history[3].attention: 12 values for 2 x 5"), checking the limits of
// sessionlimits.h before allocating.
#include "app/session/sessionentry.h"

#include "app/session/sessionlimits.h"
#include "app/session/snapshotjson.h"

#include <algorithm>
#include <charconv>
#include <climits>
#include <cmath>
#include <limits>
#include <utility>

namespace sessionjson {

namespace {


/// The double-valued statistics of a snapshot and their keys (as snapshotToJson names them).
const std::pair<const char *, double attn::EpochSnapshot::*> kStatNumbers[] = {
    {"seconds", &attn::EpochSnapshot::seconds},
    {"train_loss", &attn::EpochSnapshot::trainLoss},
    {"val_loss", &attn::EpochSnapshot::valLoss},
    {"metric", &attn::EpochSnapshot::metric},
    {"samples_per_second", &attn::EpochSnapshot::samplesPerSecond},
};

using Faithfulness = attn::FaithfulnessSummary;

/// The probe rows' attributions of --explain and their keys in "faithfulness".
const std::pair<const char *, attn::Grid Faithfulness::*> kProbeAttributions[] = {
    {"probe_gradient", &Faithfulness::probeGradient},
    {"probe_input_x_gradient", &Faithfulness::probeInputXGradient},
    {"probe_leave_one_out", &Faithfulness::probeLeaveOneOut},
    {"probe_integrated_gradients", &Faithfulness::probeIntegratedGradients},
};

// ---- writing ---------------------------------------------------------------------------------

/// A number as JSON; JSON has no NaN or infinity (Qt would write null), so those become the
/// strings "NaN", "Infinity", "-Infinity" and null stays free to mean "no value"; Qt writes
/// minus zero as 0, so it becomes "-0".
QJsonValue jsonNumber(double v)
{
    if (v == 0.0 && std::signbit(v))
        return QStringLiteral("-0");
    if (std::isnan(v))
        return QStringLiteral("NaN");
    if (std::isinf(v))
        return v > 0 ? QStringLiteral("Infinity") : QStringLiteral("-Infinity");
    return v;
}

/// f as the double nearest to f's shortest round-trip decimal (0.1f -> 0.1, not
/// 0.100000001490116): Qt writes that double as the same short text, and reading it back and
/// rounding to float gives f again, so files stay small and floats round-trip exactly.
QJsonValue jsonFloat(float f)
{
    if (!std::isfinite(f) || f == 0.0f)
        return jsonNumber(double(f));
    char text[32];
    const auto written = std::to_chars(text, text + sizeof text, f);
    double d = 0.0;
    std::from_chars(text, written.ptr, d);
    return d;
}

QJsonValue jsonOptional(const std::optional<double> &v)
{
    return v ? jsonNumber(*v) : QJsonValue(QJsonValue::Null);
}

QJsonArray floatArray(const std::vector<float> &values)
{
    QJsonArray a;
    for (float v : values)
        a.append(jsonFloat(v));
    return a;
}

QJsonObject gridToJson(const attn::Grid &g)
{
    return QJsonObject{{"rows", g.rows}, {"cols", g.cols}, {"values", floatArray(g.values)}};
}

} // namespace

QJsonObject historyEntry(const attn::EpochSnapshot &s)
{
    QJsonObject o = snapshotToJson(s);
    for (const auto &[key, field] : kStatNumbers)
        o[key] = jsonNumber(s.*field); // same value; a non-finite one as text (see jsonNumber)
    o["alignment"] = jsonOptional(s.alignment);
    o["total_epochs"] = s.totalEpochs;
    o["attention"] = gridToJson(s.attention);
    o["ground_truth"] = gridToJson(s.groundTruth);
    o["argmax_attention"] = gridToJson(s.argmaxAttention);
    o["probe_inputs"] = gridToJson(s.probeInputs);
    if (s.season > 0)
        o["season"] = s.season; // a forecast's season P, marked in the series view
    o["ground_truth_mass"] = jsonOptional(s.groundTruthMass);
    QJsonArray tokens;
    for (const std::vector<std::string> &row : s.probeTokens) {
        QJsonArray words;
        for (const std::string &w : row)
            words.append(QString::fromStdString(w));
        tokens.append(words);
    }
    o["probe_tokens"] = tokens;
    o["probe_predictions"] = floatArray(s.probePredictions);
    o["probe_targets"] = floatArray(s.probeTargets);
    if (!s.probePaddingMass.empty())
        o["probe_padding_mass"] = floatArray(s.probePaddingMass);
    QJsonArray maps;
    for (const std::vector<attn::Grid> &heads : s.headMaps) {
        QJsonArray row;
        for (const attn::Grid &g : heads)
            row.append(gridToJson(g));
        maps.append(row);
    }
    o["head_maps"] = maps;
    if (s.headLayers > 1)
        o["head_layers"] = s.headLayers; // transformer: the maps are layer-major
    if (!s.hiddenAttention.empty()) // autoencoder: the block after the first layer
        o["hidden_attention"] = floatArray(s.hiddenAttention);
    if (!s.baselines.empty()) { // the scores to beat, the same every epoch of a run
        QJsonArray baselines;
        for (const attn::Baseline &b : s.baselines)
            baselines.append(QJsonObject{{"key", QString::fromStdString(b.key)},
                                         {"label", QString::fromStdString(b.label)},
                                         {"value", jsonNumber(b.value)}});
        o["baselines"] = baselines;
    }
    if (s.faithfulness) { // --explain: the measures, exactly, and the probe rows' attributions
        QJsonObject f = faithfulnessToJson(*s.faithfulness, jsonOptional);
        for (const auto &[key, grid] : kProbeAttributions)
            f[key] = gridToJson((*s.faithfulness).*grid);
        o["faithfulness"] = f;
    }
    return o;
}

// ---- reading ---------------------------------------------------------------------------------

[[noreturn]] void fail(const QString &where, const QString &what)
{
    throw FormatError{where, what};
}

namespace {

QString describe(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Null: return QStringLiteral("null");
    case QJsonValue::Bool: return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double: return QString::number(v.toDouble());
    case QJsonValue::String: return QStringLiteral("a string");
    case QJsonValue::Array: return QStringLiteral("an array");
    case QJsonValue::Object: return QStringLiteral("an object");
    case QJsonValue::Undefined: break;
    }
    return QStringLiteral("nothing");
}

[[noreturn]] void expected(const QString &where, const QString &what, const QJsonValue &v)
{
    if (v.isUndefined())
        fail(where, QStringLiteral("missing"));
    fail(where, QStringLiteral("expected %1, got %2").arg(what, describe(v)));
}

double readNumber(const QJsonValue &v, const QString &where)
{
    if (v.isDouble())
        return v.toDouble();
    const QString text = v.toString();
    if (text == "NaN")
        return std::numeric_limits<double>::quiet_NaN();
    if (text == "-0")
        return -0.0;
    if (text == "Infinity" || text == "-Infinity")
        return text[0] == '-' ? -std::numeric_limits<double>::infinity()
                              : std::numeric_limits<double>::infinity();
    expected(where, QStringLiteral("a number"), v);
}

float readFloat(const QJsonValue &v, const QString &where)
{
    const double d = readNumber(v, where);
    const double largest = double(std::numeric_limits<float>::max());
    // Up to half a float ulp above FLT_MAX still rounds to FLT_MAX (its shortest text,
    // 3.4028235e38, reads as such a double); from 2^128 - 2^103 on it would round to infinity.
    const double overflow = std::ldexp(1.0, 128) - std::ldexp(1.0, 103);
    if (std::isfinite(d) && std::abs(d) >= overflow)
        fail(where, QStringLiteral("%1 is outside the float range").arg(d));
    if (std::isfinite(d) && std::abs(d) > largest) // converting it directly is undefined
        return d > 0 ? std::numeric_limits<float>::max() : -std::numeric_limits<float>::max();
    return float(d);
}

std::optional<double> readOptional(const QJsonValue &v, const QString &where)
{
    if (v.isNull())
        return std::nullopt;
    return readNumber(v, where);
}

} // namespace

int readWhole(const QJsonValue &v, const QString &where, int min)
{
    const double d = v.toDouble(std::numeric_limits<double>::quiet_NaN());
    if (!v.isDouble() || d != std::floor(d) || d < min || d > INT_MAX)
        expected(where, QStringLiteral("a whole number from %1").arg(min), v);
    return int(d);
}

QString readString(const QJsonValue &v, const QString &where, int maxChars)
{
    if (!v.isString())
        expected(where, QStringLiteral("a string"), v);
    QString text = v.toString();
    if (text.size() > maxChars)
        fail(where, tooLongReason(maxChars));
    return text;
}

QJsonArray readArray(const QJsonValue &v, const QString &where)
{
    if (!v.isArray())
        expected(where, QStringLiteral("an array"), v);
    return v.toArray();
}

QJsonObject readObject(const QJsonValue &v, const QString &where)
{
    if (!v.isObject())
        expected(where, QStringLiteral("an object"), v);
    return v.toObject();
}

QString item(const QString &where, qsizetype i)
{
    return QStringLiteral("%1[%2]").arg(where).arg(i);
}

namespace {

/// Fails at where if a list of n items is longer than kMaxSessionGridCells.
void checkListSize(qint64 n, const QString &where)
{
    if (n > kMaxSessionGridCells)
        fail(where, QStringLiteral("%1 values, more than %2").arg(n).arg(kMaxSessionGridCells));
}

std::vector<float> readFloats(const QJsonValue &v, const QString &where)
{
    const QJsonArray a = readArray(v, where);
    checkListSize(a.size(), where);
    std::vector<float> out;
    out.reserve(std::size_t(a.size()));
    for (qsizetype i = 0; i < a.size(); ++i)
        out.push_back(readFloat(a[i], item(where, i)));
    return out;
}

attn::Grid readGrid(const QJsonValue &v, const QString &where)
{
    const QJsonObject o = readObject(v, where);
    attn::Grid g;
    g.rows = readWhole(o["rows"], where + ".rows", 0);
    g.cols = readWhole(o["cols"], where + ".cols", 0);
    if (const QString why = gridOverLimit(g.rows, g.cols); !why.isEmpty())
        fail(where, why);
    const QJsonArray values = readArray(o["values"], where + ".values");
    if (values.size() != qint64(g.rows) * qint64(g.cols)) // before allocating
        fail(where, QStringLiteral("%1 values for %2 x %3").arg(values.size()).arg(g.rows).arg(g.cols));
    g.values = readFloats(values, where + ".values");
    return g;
}

attn::FaithfulnessSummary readFaithfulness(const QJsonValue &v, const QString &where)
{
    const QJsonObject o = readObject(v, where);
    const QString at = where + '.';
    Faithfulness f;
    f.rows = readWhole(o["rows"], at + "rows", 0);
    const auto readMeasures = [&](const QString &key, const auto &measures) {
        const QJsonObject m = readObject(o[key], at + key);
        for (const auto &[name, field] : measures)
            f.*field = readOptional(m[name], at + key + '.' + name);
    };
    readMeasures(QStringLiteral("kendall_tau"), kFaithfulnessTaus);
    if (o.contains("alignment")) // only where the task has ground truth
        readMeasures(QStringLiteral("alignment"), kFaithfulnessAlignments);
    f.permutationMedianAbsChange =
        readOptional(o["permutation_median_abs_change"], at + "permutation_median_abs_change");
    f.uniformAbsChange = readOptional(o["uniform_abs_change"], at + "uniform_abs_change");
    if (o.contains("decision_flip_share")) // classification only
        f.decisionFlipShare = readOptional(o["decision_flip_share"], at + "decision_flip_share");
    f.completenessGap = readNumber(o["integrated_gradients_gap"], at + "integrated_gradients_gap");
    f.seconds = readNumber(o["seconds"], at + "seconds");
    // Sessions saved before the attributions were kept have the measures only.
    for (const auto &[key, grid] : kProbeAttributions)
        if (o.contains(key))
            f.*grid = readGrid(o[key], at + key);
    return f;
}

} // namespace

attn::EpochSnapshot readEntry(const QJsonValue &v, const QString &where)
{
    const QJsonObject o = readObject(v, where);
    const QString at = where + '.';
    attn::EpochSnapshot s;
    s.epoch = readWhole(o["epoch"], at + "epoch", 0);
    s.totalEpochs = readWhole(o["total_epochs"], at + "total_epochs", 0);
    for (const auto &[key, field] : kStatNumbers)
        s.*field = readNumber(o[key], at + key);
    s.metricName = readString(o["metric_name"], at + "metric_name", kMaxSessionNameChars).toStdString();
    s.alignment = readOptional(o["alignment"], at + "alignment");
    // Written only where they apply (snapshotToJson): a held-out test file, a forecast's MASE,
    // early stopping's best epoch.
    for (const auto &[key, field] : {std::pair{"test_loss", &attn::EpochSnapshot::testLoss},
                                     std::pair{"test_metric", &attn::EpochSnapshot::testMetric},
                                     std::pair{"mase", &attn::EpochSnapshot::mase},
                                     std::pair{"test_mase", &attn::EpochSnapshot::testMase}})
        if (o.contains(key))
            s.*field = readOptional(o[key], at + key);
    if (o.contains("best_epoch"))
        s.bestEpoch = readWhole(o["best_epoch"], at + "best_epoch", 0);
    if (o.contains("season"))
        s.season = readWhole(o["season"], at + "season", 0);
    s.attention = readGrid(o["attention"], at + "attention");
    s.groundTruth = readGrid(o["ground_truth"], at + "ground_truth");
    s.argmaxAttention = readGrid(o["argmax_attention"], at + "argmax_attention");
    s.probeInputs = readGrid(o["probe_inputs"], at + "probe_inputs");
    s.groundTruthMass = readOptional(o["ground_truth_mass"], at + "ground_truth_mass");
    const QJsonArray tokens = readArray(o["probe_tokens"], at + "probe_tokens");
    qint64 allWords = 0;
    for (qsizetype r = 0; r < tokens.size(); ++r) {
        const QString row = item(at + "probe_tokens", r);
        const QJsonArray words = readArray(tokens[r], row);
        checkListSize(allWords += words.size(), at + "probe_tokens");
        std::vector<std::string> out;
        out.reserve(std::size_t(words.size()));
        for (qsizetype t = 0; t < words.size(); ++t)
            out.push_back(readString(words[t], item(row, t), kMaxSessionTokenChars).toStdString());
        s.probeTokens.push_back(std::move(out));
    }
    s.probePredictions = readFloats(o["probe_predictions"], at + "probe_predictions");
    s.probeTargets = readFloats(o["probe_targets"], at + "probe_targets");
    if (o.contains("probe_padding_mass"))
        s.probePaddingMass = readFloats(o["probe_padding_mass"], at + "probe_padding_mass");
    const QJsonArray maps = readArray(o["head_maps"], at + "head_maps");
    qint64 allHeads = 0;
    for (qsizetype r = 0; r < maps.size(); ++r) {
        const QString row = item(at + "head_maps", r);
        const QJsonArray heads = readArray(maps[r], row);
        checkListSize(allHeads += heads.size(), at + "head_maps");
        std::vector<attn::Grid> out;
        for (qsizetype k = 0; k < heads.size(); ++k)
            out.push_back(readGrid(heads[k], item(row, k)));
        s.headMaps.push_back(std::move(out));
    }
    // Older sessions and every mechanism but the transformer have one layer of maps. The grid
    // view checks that the layers divide the maps.
    if (o.contains("head_layers"))
        s.headLayers = std::clamp(o["head_layers"].toInt(1), 1, 1000);
    if (o.contains("hidden_attention"))
        s.hiddenAttention = readFloats(o["hidden_attention"], at + "hidden_attention");
    if (o.contains("baselines")) {
        const QJsonArray baselines = readArray(o["baselines"], at + "baselines");
        checkListSize(baselines.size(), at + "baselines");
        for (qsizetype i = 0; i < baselines.size(); ++i) {
            const QString place = item(at + "baselines", i);
            const QJsonObject b = readObject(baselines[i], place);
            s.baselines.push_back(
                {readString(b["key"], place + ".key", kMaxSessionNameChars).toStdString(),
                 readString(b["label"], place + ".label", kMaxSessionNameChars).toStdString(),
                 readNumber(b["value"], place + ".value")});
        }
    }
    if (o.contains("faithfulness"))
        s.faithfulness = readFaithfulness(o["faithfulness"], at + "faithfulness");
    return s;
}

} // namespace sessionjson
