// SPDX-License-Identifier: GPL-3.0-or-later
// Runs the attention-studio executable (ATTN_APP_PATH) as a process for the command-line tests:
// exit code, standard output and standard error, optionally with every file it writes capped
// in size (a full disk).
#pragma once

#include <QByteArray>
#include <QProcess>
#include <QStringList>

#include <csignal>

#include <sys/resource.h>

struct AppResult {
    int exitCode; // -1: crashed or timed out
    QByteArray out, err;
};

/// Runs the app with args (2 minutes at most); fileSizeLimit > 0 caps every file it writes at
/// that many bytes (RLIMIT_FSIZE, SIGXFSZ ignored: writes past it fail with EFBIG, as on a full
/// disk).
inline AppResult runApp(const QStringList &args, rlim_t fileSizeLimit = 0)
{
    QProcess p;
    if (fileSizeLimit > 0)
        p.setChildProcessModifier([fileSizeLimit] {
            std::signal(SIGXFSZ, SIG_IGN);
            rlimit limit{};
            getrlimit(RLIMIT_FSIZE, &limit);
            limit.rlim_cur = fileSizeLimit;
            setrlimit(RLIMIT_FSIZE, &limit);
        });
    p.start(ATTN_APP_PATH, args);
    if (!p.waitForFinished(120000))
        return {-1, {}, "timeout"};
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
            p.readAllStandardError()};
}
