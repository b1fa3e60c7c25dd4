// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target for the session reader: any bytes -> parseSession (what loadSession does once
// the file is read), then a loaded session written back with sessionBytes and parsed again,
// which must succeed: the app never writes a session it refuses to read. A message is the
// expected outcome for bad input; anything else (a crash, a sanitizer report, an exception, a
// result over the limits of app/session/sessionlimits.h) is a bug.
#include "app/session/sessionfile.h"
#include "app/session/sessionlimits.h"

#include <QByteArray>
#include <QString>

#include <cstdint>
#include <cstdlib>

namespace {

/// Aborts unless every grid holds rows x cols values within the limits.
void checkGrid(const attn::Grid &g)
{
    if (g.rows < 0 || g.cols < 0 || qint64(g.values.size()) != qint64(g.rows) * g.cols ||
        !gridOverLimit(g.rows, g.cols).isEmpty())
        std::abort();
}

void checkSession(const Session &session)
{
    if (session.history.size() > std::size_t(kMaxSessionEpochs))
        std::abort();
    for (std::size_t i = 0; i < session.history.size(); ++i) {
        const attn::EpochSnapshot &s = session.history[i];
        if (i > 0 && s.epoch <= session.history[i - 1].epoch)
            std::abort();
        for (const attn::Grid *g : {&s.attention, &s.groundTruth, &s.argmaxAttention, &s.probeInputs})
            checkGrid(*g);
        for (const std::vector<attn::Grid> &heads : s.headMaps)
            for (const attn::Grid &g : heads)
                checkGrid(g);
        if (!entryOverLimit(s, QStringLiteral("history")).isEmpty())
            std::abort();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    // QByteArray::fromRawData would not copy, but the parser may read one past the end of a
    // QByteArray it owns: a copy is what loadSession passes too.
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    const QString path = QStringLiteral("/fuzz/sessions/run.attnsession");
    QString error;
    const std::optional<Session> session = parseSession(bytes, path, &error);
    if (!session) {
        if (!error.startsWith(path + QStringLiteral(": ")))
            std::abort(); // every message names the file
        return 0;
    }
    checkSession(*session);
    const std::optional<QByteArray> written = sessionBytes(path, *session, &error);
    if (!written)
        return 0; // refused with a reason (e.g. a path that grows once made relative)
    const std::optional<Session> again = parseSession(*written, path, &error);
    if (!again || again->history.size() != session->history.size() || again->model != session->model)
        std::abort(); // the writer wrote what the reader refuses, or lost something
    return 0;
}
