// SPDX-License-Identifier: GPL-3.0-or-later
// Session files: RunSettings + model path + snapshot history <-> JSON (Qt's JSON classes,
// saveFileAtomically), with every problem of a damaged file named by its place in the document.
#include "app/session/sessionfile.h"

#include "app/session/savefile.h"
#include "app/session/sessionentry.h"
#include "app/session/sessionlimits.h"
#include "core/fileio/boundedread.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>

using namespace sessionjson;

namespace {

constexpr const char *kFormat = "attention-studio-session";
constexpr int kVersion = 1;

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
    // A name starting with ':' is a file in the folder: Qt would take it for an absolute
    // resource path (":/..."), which writing then turned into "/:" (found by fuzz_session).
    // (QDir::absoluteFilePath would return it unchanged for the same reason.)
    if (p.startsWith(QLatin1Char(':')))
        return QDir::cleanPath(folder.absolutePath() + QLatin1Char('/') + p);
    return QDir::cleanPath(QDir::isAbsolutePath(p) ? p : folder.absoluteFilePath(p));
}

// ---- reading ---------------------------------------------------------------------------------

/// Everything after the JSON parse; throws FormatError.
Session readSession(const QJsonDocument &doc, const QDir &folder)
{
    if (!doc.isObject())
        fail(QString(), QStringLiteral("not an Attention Studio session (not a JSON object)"));
    const QJsonObject root = doc.object();
    if (root["format"].toString() != kFormat) {
        QString format = root["format"].toString();
        if (format.size() > 60) // shown in a message box: cut short
            format = format.left(57) + QStringLiteral("...");
        fail(QString(), root["format"].isString()
                            ? QStringLiteral("not an Attention Studio session (format \"%1\")").arg(format)
                            : QStringLiteral("not an Attention Studio session (no \"format\")"));
    }
    const int version = readWhole(root["version"], QStringLiteral("version"), 1);
    if (version > kVersion)
        fail(QString(), QStringLiteral("written by a newer version (%1); this one reads version %2")
                            .arg(version)
                            .arg(kVersion));

    Session session;
    const QJsonObject settings = readObject(root["settings"], QStringLiteral("settings"));
    if (!settings.contains("task"))
        fail(QStringLiteral("settings.task"), QStringLiteral("missing"));
    const QVariantMap settingsMap = settings.toVariantMap();
    if (const QString why = settingsOverLimit(settingsMap); !why.isEmpty()) // before any is shown
        fail(QString(), why);
    QStringList problems;
    session.settings = runSettingsFromMap(settingsMap,
                                          RunSettings::defaults(attn::TaskKind::Add), &problems);
    if (!problems.isEmpty())
        fail(QString(), QStringLiteral("settings.") + problems.join(QStringLiteral("; settings.")));
    RunSettings &s = session.settings;
    s.dataFile = resolvedPath(s.dataFile, folder);
    s.testDataFile = resolvedPath(s.testDataFile, folder);
    for (QString &file : s.sentenceFiles)
        file = resolvedPath(file, folder);

    if (root.contains("model")) {
        const QString model = readString(root["model"], QStringLiteral("model"), kMaxSessionTextChars);
        if (const QString why = textProblem(model); !why.isEmpty())
            fail(QStringLiteral("model"), why);
        session.model = resolvedPath(model, folder);
    }

    const QJsonArray history = readArray(root["history"], QStringLiteral("history"));
    if (history.size() > kMaxSessionEpochs)
        fail(QStringLiteral("history"), QStringLiteral("%1 epochs, more than %2")
                                            .arg(history.size())
                                            .arg(kMaxSessionEpochs));
    session.history.reserve(std::size_t(history.size()));
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

// ---- writing ---------------------------------------------------------------------------------

/// What loadSession would refuse in session, besides its size in bytes: "WHERE: reason", or "".
QString unreadablePart(const Session &session, const QVariantMap &settings, const QString &model)
{
    if (const QString why = settingsOverLimit(settings); !why.isEmpty())
        return why;
    if (const QString why = textProblem(model); !why.isEmpty())
        return QStringLiteral("model: ") + why;
    if (session.history.size() > std::size_t(kMaxSessionEpochs))
        return QStringLiteral("history: %1 epochs, more than %2")
            .arg(session.history.size())
            .arg(kMaxSessionEpochs);
    for (std::size_t i = 0; i < session.history.size(); ++i) {
        const attn::EpochSnapshot &s = session.history[i];
        const QString where = item(QStringLiteral("history"), qsizetype(i));
        if (const QString why = entryOverLimit(s, where); !why.isEmpty())
            return why;
        if (s.epoch < 0)
            return where + QStringLiteral(".epoch: negative");
        if (s.totalEpochs < 0)
            return where + QStringLiteral(".total_epochs: negative");
        if (i > 0 && s.epoch <= session.history[i - 1].epoch)
            return QStringLiteral("%1.epoch: %2 after %3 (epochs must increase)")
                .arg(where)
                .arg(s.epoch)
                .arg(session.history[i - 1].epoch);
    }
    return QString();
}

} // namespace

std::optional<QByteArray> sessionBytes(const QString &path, const Session &session, QString *error)
{
    const QDir folder = sessionFolder(path);
    QVariantMap settings = runSettingsToMap(session.settings);
    settings["dataFile"] = storedPath(session.settings.dataFile, folder, false);
    settings["testDataFile"] = storedPath(session.settings.testDataFile, folder, false);
    QStringList sentenceFiles;
    for (const QString &file : session.settings.sentenceFiles)
        sentenceFiles << storedPath(file, folder, false);
    settings["sentenceFiles"] = sentenceFiles;
    const QString model = storedPath(session.model, folder, true);
    // Never a file loadSession would refuse: the same limits, checked before writing.
    if (const QString why = unreadablePart(session, settings, model); !why.isEmpty()) {
        *error = QStringLiteral("%1: cannot be saved: %2").arg(path, why);
        return std::nullopt;
    }

    QJsonObject head;
    head["format"] = kFormat;
    head["version"] = kVersion;
    head["settings"] = QJsonObject::fromVariantMap(settings);
    head["model"] = model;
    // Compact, but one line per epoch after the settings: a parse error's LINE names the epoch
    // and the file diffs well.
    QByteArray bytes = QJsonDocument(head).toJson(QJsonDocument::Compact);
    bytes.chop(1); // the closing brace
    bytes += ",\"history\":[";
    for (std::size_t i = 0; i < session.history.size(); ++i) {
        bytes += i == 0 ? "\n" : ",\n";
        bytes += QJsonDocument(historyEntry(session.history[i])).toJson(QJsonDocument::Compact);
        if (bytes.size() > kMaxSessionFileBytes)
            break;
    }
    bytes += "\n]}\n";
    if (bytes.size() > kMaxSessionFileBytes) {
        *error = QStringLiteral("%1: cannot be saved: over %2 bytes (a session file may have at most %2)")
                     .arg(path)
                     .arg(kMaxSessionFileBytes);
        return std::nullopt;
    }
    return bytes;
}

bool saveSession(const QString &path, const Session &session, QString *error)
{
    const std::optional<QByteArray> bytes = sessionBytes(path, session, error);
    return bytes && saveFileAtomically(path, *bytes, error);
}

std::optional<Session> parseSession(const QByteArray &bytes, const QString &path, QString *error)
{
    if (bytes.size() > kMaxSessionFileBytes) { // readRegularFile's words
        *error = QStringLiteral("%1: file too large: %2 bytes, more than %3")
                     .arg(path)
                     .arg(bytes.size())
                     .arg(kMaxSessionFileBytes);
        return std::nullopt;
    }
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

std::optional<Session> loadSession(const QString &path, QString *error)
{
    // A directory, /dev/zero or a FIFO is refused before a byte is read, a file over the limit
    // from its size; never more than kMaxSessionFileBytes are read, even from a growing file.
    std::string bytes;
    try {
        bytes = attn::readRegularFile(QFile::encodeName(path).toStdString(), quint64(kMaxSessionFileBytes));
    } catch (const attn::FileReadError &e) {
        *error = QStringLiteral("%1: %2").arg(path, QString::fromStdString(e.message));
        return std::nullopt;
    }
    return parseSession(QByteArray::fromStdString(bytes), path, error);
}
