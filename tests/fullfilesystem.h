// SPDX-License-Identifier: GPL-3.0-or-later
// A real write failure without root: while a FileSizeLimit lives, this process cannot grow any
// regular file beyond `bytes` (RLIMIT_FSIZE; write() then fails with EFBIG, SIGXFSZ ignored), as
// a nearly full disk would. Shared by the tests of every file writer (core/fileio/atomicfile.h).
#pragma once

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QStringList>

#include <csignal>

#include <sys/resource.h>

namespace attn::test {

class FileSizeLimit {
public:
    explicit FileSizeLimit(rlim_t bytes)
    {
        m_oldHandler = std::signal(SIGXFSZ, SIG_IGN);
        getrlimit(RLIMIT_FSIZE, &m_old);
        rlimit lower = m_old;
        lower.rlim_cur = bytes;
        m_ok = setrlimit(RLIMIT_FSIZE, &lower) == 0;
    }
    ~FileSizeLimit()
    {
        setrlimit(RLIMIT_FSIZE, &m_old); // the soft limit may rise again up to the hard one
        std::signal(SIGXFSZ, m_oldHandler);
    }
    FileSizeLimit(const FileSizeLimit &) = delete;
    FileSizeLimit &operator=(const FileSizeLimit &) = delete;
    bool active() const { return m_ok; }

private:
    rlimit m_old{};
    void (*m_oldHandler)(int) = SIG_DFL;
    bool m_ok = false;
};

/// The whole file, or a null QByteArray if it cannot be read.
inline QByteArray fileBytes(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

/// The names in dir, hidden ones included (a leftover temporary file shows here).
inline QStringList entriesOf(const QString &dir)
{
    return QDir(dir).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot, QDir::Name);
}

} // namespace attn::test
