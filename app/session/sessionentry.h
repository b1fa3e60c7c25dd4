// SPDX-License-Identifier: GPL-3.0-or-later
// One history entry of a session file <-> JSON, and the typed JSON readers sessionfile.cpp
// shares with it: each names the place of a problem by throwing FormatError. Internal to
// app/session (sessionfile.h is the interface).
#pragma once

#include "core/snapshot/snapshot.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>

namespace sessionjson {

/// A problem at one place of the document ("history[3].attention"), caught in parseSession.
struct FormatError {
    QString where;
    QString what;
};

[[noreturn]] void fail(const QString &where, const QString &what);

/// The typed values at where; each throws FormatError "missing" or "expected X, got Y".
int readWhole(const QJsonValue &v, const QString &where, int min);
/// Also throws if the text is longer than maxChars UTF-16 characters (sessionlimits.h).
QString readString(const QJsonValue &v, const QString &where, int maxChars);
QJsonArray readArray(const QJsonValue &v, const QString &where);
QJsonObject readObject(const QJsonValue &v, const QString &where);
/// "where[i]"
QString item(const QString &where, qsizetype i);

/// One epoch as saveSession writes it (see sessionfile.h for the keys).
QJsonObject historyEntry(const attn::EpochSnapshot &s);
/// The epoch at where ("history[3]"); throws FormatError on any problem, a limit of
/// sessionlimits.h included (checked before the part it bounds is allocated).
attn::EpochSnapshot readEntry(const QJsonValue &v, const QString &where);

} // namespace sessionjson
