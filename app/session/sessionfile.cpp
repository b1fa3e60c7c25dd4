// SPDX-License-Identifier: GPL-3.0-or-later
// Session files: RunSettings + model path + snapshot history <-> JSON (Qt's JSON classes,
// saveFileAtomically), with every problem of a damaged file named by its place in the document.
#include "app/session/sessionfile.h"

#include "app/session/savefile.h"
#include "app/session/snapshotjson.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>

#include <charconv>
#include <climits>
#include <cmath>
#include <limits>
#include <utility>

namespace {

constexpr const char *kFormat = "attention-studio-session";
constexpr int kVersion = 1;

/// The double-valued statistics of a snapshot and their keys (as snapshotToJson names them).
const std::pair<const char *, double attn::EpochSnapshot::*> kStatNumbers[] = {
    {"seconds", &attn::EpochSnapshot::seconds},
    {"train_loss", &attn::EpochSnapshot::trainLoss},
    {"val_loss", &attn::EpochSnapshot::valLoss},
    {"metric", &attn::EpochSnapshot::metric},
    {"samples_per_second", &attn::EpochSnapshot::samplesPerSecond},
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
    return o;
}

/// The session folder this file's paths are relative to.
QDir sessionFolder(const QString &sessionPath)
{
    return QDir(QDir::cleanPath(QFileInfo(sessionPath).absolutePath()));
}

/// p relative to folder; unless always, only when p lies in folder or below (else absolute).
QString storedPath(const QString &p, const QDir &folder, bool always)
{
    if (p.isEmpty())
        return p;
    const QString absolute = QDir::cleanPath(QFileInfo(p).absoluteFilePath());
    const QString relative = folder.relativeFilePath(absolute);
    if (QDir::isAbsolutePath(relative)) // another drive: no relative path exists
        return absolute;
    if (!always && (relative == ".." || relative.startsWith("../")))
        return absolute;
    return relative;
}

QString resolvedPath(const QString &p, const QDir &folder)
{
    if (p.isEmpty())
        return p;
    return QDir::cleanPath(QDir::isAbsolutePath(p) ? p : folder.absoluteFilePath(p));
}

// ---- reading ---------------------------------------------------------------------------------

/// A problem at one place of the document ("history[3].attention"), caught in loadSession.
struct FormatError {
    QString where;
    QString what;
};

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

[[noreturn]] void fail(const QString &where, const QString &what)
{
    throw FormatError{where, what};
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

int readWhole(const QJsonValue &v, const QString &where, int min)
{
    const double d = v.toDouble(std::numeric_limits<double>::quiet_NaN());
    if (!v.isDouble() || d != std::floor(d) || d < min || d > INT_MAX)
        expected(where, QStringLiteral("a whole number from %1").arg(min), v);
    return int(d);
}

QString readString(const QJsonValue &v, const QString &where)
{
    if (!v.isString())
        expected(where, QStringLiteral("a string"), v);
    return v.toString();
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

std::vector<float> readFloats(const QJsonValue &v, const QString &where)
{
    const QJsonArray a = readArray(v, where);
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
    g.values = readFloats(o["values"], where + ".values");
    if (qint64(g.values.size()) != qint64(g.rows) * qint64(g.cols))
        fail(where, QStringLiteral("%1 values for %2 x %3").arg(g.values.size()).arg(g.rows).arg(g.cols));
    return g;
}

attn::EpochSnapshot readEntry(const QJsonValue &v, const QString &where)
{
    const QJsonObject o = readObject(v, where);
    const QString at = where + '.';
    attn::EpochSnapshot s;
    s.epoch = readWhole(o["epoch"], at + "epoch", 0);
    s.totalEpochs = readWhole(o["total_epochs"], at + "total_epochs", 0);
    for (const auto &[key, field] : kStatNumbers)
        s.*field = readNumber(o[key], at + key);
    s.metricName = readString(o["metric_name"], at + "metric_name").toStdString();
    s.alignment = readOptional(o["alignment"], at + "alignment");
    s.attention = readGrid(o["attention"], at + "attention");
    s.groundTruth = readGrid(o["ground_truth"], at + "ground_truth");
    s.argmaxAttention = readGrid(o["argmax_attention"], at + "argmax_attention");
    s.probeInputs = readGrid(o["probe_inputs"], at + "probe_inputs");
    s.groundTruthMass = readOptional(o["ground_truth_mass"], at + "ground_truth_mass");
    const QJsonArray tokens = readArray(o["probe_tokens"], at + "probe_tokens");
    for (qsizetype r = 0; r < tokens.size(); ++r) {
        const QString row = item(at + "probe_tokens", r);
        const QJsonArray words = readArray(tokens[r], row);
        std::vector<std::string> out;
        for (qsizetype t = 0; t < words.size(); ++t)
            out.push_back(readString(words[t], item(row, t)).toStdString());
        s.probeTokens.push_back(std::move(out));
    }
    s.probePredictions = readFloats(o["probe_predictions"], at + "probe_predictions");
    s.probeTargets = readFloats(o["probe_targets"], at + "probe_targets");
    if (o.contains("probe_padding_mass"))
        s.probePaddingMass = readFloats(o["probe_padding_mass"], at + "probe_padding_mass");
    const QJsonArray maps = readArray(o["head_maps"], at + "head_maps");
    for (qsizetype r = 0; r < maps.size(); ++r) {
        const QString row = item(at + "head_maps", r);
        const QJsonArray heads = readArray(maps[r], row);
        std::vector<attn::Grid> out;
        for (qsizetype k = 0; k < heads.size(); ++k)
            out.push_back(readGrid(heads[k], item(row, k)));
        s.headMaps.push_back(std::move(out));
    }
    return s;
}

/// Everything after the JSON parse; throws FormatError.
Session readSession(const QJsonDocument &doc, const QDir &folder)
{
    if (!doc.isObject())
        fail(QString(), QStringLiteral("not an Attention Studio session (not a JSON object)"));
    const QJsonObject root = doc.object();
    if (root["format"].toString() != kFormat)
        fail(QString(), root["format"].isString()
                            ? QStringLiteral("not an Attention Studio session (format \"%1\")")
                                  .arg(root["format"].toString())
                            : QStringLiteral("not an Attention Studio session (no \"format\")"));
    const int version = readWhole(root["version"], QStringLiteral("version"), 1);
    if (version > kVersion)
        fail(QString(), QStringLiteral("written by a newer version (%1); this one reads version %2")
                            .arg(version)
                            .arg(kVersion));

    Session session;
    const QJsonObject settings = readObject(root["settings"], QStringLiteral("settings"));
    if (!settings.contains("task"))
        fail(QStringLiteral("settings.task"), QStringLiteral("missing"));
    QStringList problems;
    session.settings = runSettingsFromMap(settings.toVariantMap(),
                                          RunSettings::defaults(attn::TaskKind::Add), &problems);
    if (!problems.isEmpty())
        fail(QString(), QStringLiteral("settings.") + problems.join(QStringLiteral("; settings.")));
    RunSettings &s = session.settings;
    s.dataFile = resolvedPath(s.dataFile, folder);
    s.testDataFile = resolvedPath(s.testDataFile, folder);
    for (QString &file : s.sentenceFiles)
        file = resolvedPath(file, folder);

    if (root.contains("model"))
        session.model = resolvedPath(readString(root["model"], QStringLiteral("model")), folder);

    const QJsonArray history = readArray(root["history"], QStringLiteral("history"));
    for (qsizetype i = 0; i < history.size(); ++i) {
        const QString where = item(QStringLiteral("history"), i);
        attn::EpochSnapshot snapshot = readEntry(history[i], where);
        if (!session.history.empty() && snapshot.epoch <= session.history.back().epoch)
            fail(where + ".epoch", QStringLiteral("%1 after %2 (epochs must increase)")
                                       .arg(snapshot.epoch)
                                       .arg(session.history.back().epoch));
        session.history.push_back(std::move(snapshot));
    }
    return session;
}

} // namespace

bool saveSession(const QString &path, const Session &session, QString *error)
{
    const QDir folder = sessionFolder(path);
    QVariantMap settings = runSettingsToMap(session.settings);
    settings["dataFile"] = storedPath(session.settings.dataFile, folder, false);
    settings["testDataFile"] = storedPath(session.settings.testDataFile, folder, false);
    QStringList sentenceFiles;
    for (const QString &file : session.settings.sentenceFiles)
        sentenceFiles << storedPath(file, folder, false);
    settings["sentenceFiles"] = sentenceFiles;

    QJsonObject head;
    head["format"] = kFormat;
    head["version"] = kVersion;
    head["settings"] = QJsonObject::fromVariantMap(settings);
    head["model"] = storedPath(session.model, folder, true);
    // Compact, but one line per epoch after the settings: a parse error's LINE names the epoch
    // and the file diffs well.
    QByteArray bytes = QJsonDocument(head).toJson(QJsonDocument::Compact);
    bytes.chop(1); // the closing brace
    bytes += ",\"history\":[";
    for (std::size_t i = 0; i < session.history.size(); ++i) {
        bytes += i == 0 ? "\n" : ",\n";
        bytes += QJsonDocument(historyEntry(session.history[i])).toJson(QJsonDocument::Compact);
    }
    bytes += "\n]}\n";

    return saveFileAtomically(path, bytes, error);
}

std::optional<Session> loadSession(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("%1: %2").arg(path, file.errorString());
        return std::nullopt;
    }
    const QByteArray bytes = file.readAll();
    if (bytes.trimmed().isEmpty()) {
        *error = QStringLiteral("%1: the file is empty").arg(path);
        return std::nullopt;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        const QByteArray before = bytes.left(parseError.offset);
        const qsizetype lineStart = before.lastIndexOf('\n') + 1;
        const qsizetype line = before.count('\n') + 1;
        const qsizetype column = QString::fromUtf8(before.mid(lineStart)).size() + 1; // characters
        *error = QStringLiteral("%1: the file is damaged at line %2, column %3: %4")
                     .arg(path, QString::number(line), QString::number(column),
                          parseError.errorString());
        return std::nullopt;
    }
    try {
        return readSession(doc, sessionFolder(path));
    } catch (const FormatError &e) {
        *error = e.where.isEmpty() ? QStringLiteral("%1: %2").arg(path, e.what)
                                   : QStringLiteral("%1: %2: %3").arg(path, e.where, e.what);
        return std::nullopt;
    }
}
