// SPDX-License-Identifier: GPL-3.0-or-later
// Sweep result files: run and sweep ids (SHA-256 of the settings), the JSON writer and the
// checked reader (Qt's JSON classes; the bytes through attn::readRegularFile).
#include "app/session/sweepfile.h"

#include "core/fileio/boundedread.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace {

constexpr const char *kFormat = "attention-studio sweep run";
constexpr int kVersion = 1;
constexpr std::uint64_t kMaxFileBytes = 256ull << 20; // 100000 epochs of statistics fit easily
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The settings that define a run's result: the thread count changes only how fast it comes.
QJsonObject runSettingsJson(const RunSettings &settings)
{
    QVariantMap map = runSettingsToMap(settings);
    map.remove("threads");
    return QJsonObject::fromVariantMap(map); // keys sorted: a canonical form
}

QString hash12(const QByteArray &bytes)
{
    return QString::fromLatin1(
        QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex().left(12));
}

QJsonValue number(double v) { return std::isnan(v) ? QJsonValue() : QJsonValue(v); }

QJsonValue number(const std::optional<double> &v) { return v ? number(*v) : QJsonValue(); }

QJsonObject epochJson(const attn::EpochSnapshot &s)
{
    return {{"epoch", s.epoch},
            {"total_epochs", s.totalEpochs},
            {"seconds", number(s.seconds)},
            {"train_loss", number(s.trainLoss)},
            {"val_loss", number(s.valLoss)},
            {"metric", number(s.metric)},
            {"alignment", number(s.alignment)},
            {"ground_truth_mass", number(s.groundTruthMass)},
            {"samples_per_second", number(s.samplesPerSecond)}};
}

// A problem with the file's contents; the reader prefixes the path.
struct Bad : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Typed access to "KEY" of o, named "PREFIXKEY" in messages.
class Fields {
public:
    Fields(const QJsonObject &o, QString prefix) : m_o(o), m_prefix(std::move(prefix)) {}

    QJsonValue value(const char *key, bool (QJsonValue::*is)() const, const char *what) const
    {
        const QJsonValue v = m_o.value(QLatin1String(key));
        if (!(v.*is)())
            throw Bad((m_prefix + key + " is missing or not " + what).toStdString());
        return v;
    }
    QString text(const char *key) const { return value(key, &QJsonValue::isString, "text").toString(); }
    QJsonObject object(const char *key) const
    {
        return value(key, &QJsonValue::isObject, "an object").toObject();
    }
    QJsonArray array(const char *key) const { return value(key, &QJsonValue::isArray, "a list").toArray(); }
    long long whole(const char *key, long long min, long long max) const
    {
        const double d = value(key, &QJsonValue::isDouble, "a number").toDouble();
        if (d != std::floor(d) || d < double(min) || d > double(max))
            throw Bad(QStringLiteral("%1 must be a whole number from %2 to %3")
                          .arg(m_prefix + QLatin1String(key))
                          .arg(min)
                          .arg(max)
                          .toStdString());
        return (long long)(d);
    }
    // A number, or null for NaN (a diverged run).
    double real(const char *key) const
    {
        const QJsonValue v = m_o.value(QLatin1String(key));
        if (v.isNull())
            return kNaN;
        return value(key, &QJsonValue::isDouble, "a number or null").toDouble();
    }
    std::optional<double> optionalReal(const char *key) const
    {
        if (m_o.value(QLatin1String(key)).isNull())
            return std::nullopt;
        return real(key);
    }
    std::uint64_t seed(const char *key) const
    {
        bool ok = false;
        const std::uint64_t s = text(key).toULongLong(&ok);
        if (!ok)
            throw Bad((m_prefix + key + " is not a whole number").toStdString());
        return s;
    }
    attn::AttentionKind mechanism(const QString &name, const QString &key) const
    {
        const auto kind = attn::attentionKindFromString(name.toStdString());
        if (!kind)
            throw Bad((m_prefix + key + ": unknown mechanism '" + name + "'").toStdString());
        return *kind;
    }

private:
    QJsonObject m_o;
    QString m_prefix;
};

SweepRunFile parse(const QJsonObject &root)
{
    const Fields top(root, {});
    if (root.value("format").toString() != QLatin1String(kFormat))
        throw Bad(std::string("not a sweep result file (no \"format\": \"") + kFormat + "\")");
    if (const long long version = top.whole("version", 1, 1000000); version != kVersion)
        throw Bad("result file version " + std::to_string(version) + ", this program reads version " +
                  std::to_string(kVersion));
    SweepRunFile f;
    f.runId = top.text("run_id");
    f.sweepId = top.text("sweep_id");
    const auto task = attn::anyTaskKindFromString(top.text("task").toStdString());
    if (!task)
        throw Bad("task: unknown task '" + top.text("task").toStdString() + "'");
    f.task = *task;
    f.epochs = int(top.whole("epochs", 1, 100000000));

    const Fields grid(top.object("grid"), "grid.");
    const QJsonArray mechanisms = grid.array("mechanisms");
    for (const QJsonValue &m : mechanisms) {
        const attn::AttentionKind kind = grid.mechanism(m.toString(), "mechanisms");
        if (std::find(f.grid.mechanisms.begin(), f.grid.mechanisms.end(), kind) != f.grid.mechanisms.end())
            throw Bad("grid.mechanisms lists '" + attn::toString(kind) + "' twice");
        f.grid.mechanisms.push_back(kind);
    }
    if (f.grid.mechanisms.empty())
        throw Bad("grid.mechanisms is empty");
    f.grid.runs = int(grid.whole("runs", 1, 1000000));
    f.grid.baseSeed = grid.seed("base_seed");

    const Fields run(top.object("run"), "run.");
    attn::CompareRun &r = f.run;
    r.runId = int(run.whole("index", 0, f.grid.size() - 1));
    r.mechanism = run.mechanism(run.text("mechanism"), "mechanism");
    r.runIndex = int(run.whole("run_index", 0, f.grid.runs - 1));
    r.seed = run.seed("seed");
    if (f.grid.cell(r.runId) != std::pair{r.mechanism, r.runIndex} || f.grid.seed(r.runIndex) != r.seed)
        throw Bad("run.index " + std::to_string(r.runId) + " of the grid is not " +
                  attn::toString(r.mechanism) + " with seed " + std::to_string(r.seed));
    r.metricName = run.text("metric_name").toStdString();
    r.bestMetric = run.real("best_metric");
    r.bestEpoch = int(run.whole("best_epoch", 0, f.epochs));
    r.parameters = run.whole("parameters", 0, 1LL << 53);
    const QJsonArray history = run.array("history");
    if (history.isEmpty())
        throw Bad("run.history is empty");
    for (qsizetype i = 0; i < history.size(); ++i) {
        if (!history[i].isObject())
            throw Bad("run.history[" + std::to_string(i) + "] is not an object");
        const Fields e(history[i].toObject(), QStringLiteral("run.history[%1].").arg(i));
        attn::EpochSnapshot s;
        s.epoch = int(e.whole("epoch", 1, f.epochs));
        s.totalEpochs = int(e.whole("total_epochs", 1, f.epochs));
        s.seconds = e.real("seconds");
        s.trainLoss = e.real("train_loss");
        s.valLoss = e.real("val_loss");
        s.metric = e.real("metric");
        s.metricName = r.metricName;
        s.alignment = e.optionalReal("alignment");
        s.groundTruthMass = e.optionalReal("ground_truth_mass");
        s.samplesPerSecond = e.real("samples_per_second");
        r.history.push_back(std::move(s));
    }
    const auto [best, bestEpoch] = attn::bestMetric(r.history, attn::higherIsBetter(r.metricName));
    if (bestEpoch != r.bestEpoch || !(best == r.bestMetric || (std::isnan(best) && std::isnan(r.bestMetric))))
        throw Bad("run.best_metric and run.best_epoch are not the best epoch of run.history");
    return f;
}

} // namespace

QString sweepRunId(const RunSettings &base, attn::AttentionKind mechanism, std::uint64_t seed)
{
    RunSettings run = base;
    run.model.attention = mechanism;
    run.train.seed = seed;
    const QByteArray canonical = QJsonDocument(runSettingsJson(run)).toJson(QJsonDocument::Compact);
    return QStringLiteral("%1-s%2-%3")
        .arg(QString::fromStdString(attn::toString(mechanism)))
        .arg(seed)
        .arg(hash12(canonical));
}

QString sweepId(const RunSettings &base, const attn::CompareGrid &grid)
{
    QJsonObject settings = runSettingsJson(base);
    settings.remove("attention");
    settings.remove("seed");
    QJsonArray mechanisms;
    for (attn::AttentionKind m : grid.mechanisms)
        mechanisms.append(QString::fromStdString(attn::toString(m)));
    const QJsonObject sweep{{"settings", settings},
                            {"mechanisms", mechanisms},
                            {"runs", grid.runs},
                            {"base_seed", QString::number(grid.baseSeed)}};
    return hash12(QJsonDocument(sweep).toJson(QJsonDocument::Compact));
}

QString sweepRunFileName(const QString &runId) { return runId + QStringLiteral(".json"); }

QByteArray sweepRunFileJson(const RunSettings &base, const attn::CompareGrid &grid,
                            const attn::CompareRun &run)
{
    RunSettings settings = base;
    settings.model.attention = run.mechanism;
    settings.train.seed = run.seed;
    QJsonArray mechanisms;
    for (attn::AttentionKind m : grid.mechanisms)
        mechanisms.append(QString::fromStdString(attn::toString(m)));
    QJsonArray history;
    for (const attn::EpochSnapshot &s : run.history)
        history.append(epochJson(s));
    const QJsonObject runJson{{"index", run.runId},
                              {"mechanism", QString::fromStdString(attn::toString(run.mechanism))},
                              {"run_index", run.runIndex},
                              {"seed", QString::number(run.seed)}, // text: 64 bits
                              {"metric_name", QString::fromStdString(run.metricName)},
                              {"best_metric", number(run.bestMetric)},
                              {"best_epoch", run.bestEpoch},
                              {"parameters", qint64(run.parameters)},
                              {"history", history}};
    const QJsonObject root{
        {"format", kFormat},
        {"version", kVersion},
        {"run_id", sweepRunId(base, run.mechanism, run.seed)},
        {"sweep_id", sweepId(base, grid)},
        {"task", QString::fromStdString(attn::toString(base.task))},
        {"epochs", base.train.epochs},
        {"grid", QJsonObject{{"mechanisms", mechanisms},
                             {"runs", grid.runs},
                             {"base_seed", QString::number(grid.baseSeed)}}},
        {"run", runJson},
        {"settings", runSettingsJson(settings)},
    };
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

bool readSweepRunFile(const QString &path, SweepRunFile &file, QString *error)
{
    const auto fail = [&](const QString &reason) {
        if (error)
            *error = path + QStringLiteral(": ") + reason;
        return false;
    };
    std::string bytes;
    try {
        bytes = attn::readRegularFile(QFile::encodeName(path).toStdString(), kMaxFileBytes);
    } catch (const attn::FileReadError &e) {
        return fail(QString::fromStdString(e.message));
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(bytes), &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return fail(QStringLiteral("not valid JSON (%1 at byte %2): a partial or damaged result file")
                        .arg(parseError.errorString())
                        .arg(parseError.offset));
    if (!doc.isObject())
        return fail(QStringLiteral("not a sweep result file (not a JSON object)"));
    try {
        file = parse(doc.object());
    } catch (const Bad &e) {
        return fail(QString::fromStdString(e.what()));
    }
    return true;
}
