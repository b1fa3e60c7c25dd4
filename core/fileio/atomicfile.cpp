// SPDX-License-Identifier: GPL-3.0-or-later
// writeFileAtomically / writeFilesAtomically: POSIX open, write loop, fsync, close, rename.
#include "core/fileio/atomicfile.h"

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>
#include <utility>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace attn {

namespace {

std::atomic<int> g_failCountdown{0};
std::atomic<int> g_failErrno{0};
std::atomic<unsigned> g_tempCounter{0};

/// The injected errno for this file's first write, or 0 (failNthFileWriteForTesting).
int injectedFailure()
{
    int n = g_failCountdown.load();
    while (n > 0 && !g_failCountdown.compare_exchange_weak(n, n - 1)) {
    }
    return n == 1 ? g_failErrno.load() : 0;
}

std::string folderOf(const std::string &path)
{
    const auto slash = path.rfind('/');
    if (slash == std::string::npos)
        return ".";
    return slash == 0 ? "/" : path.substr(0, slash);
}

std::string tempNameFor(const std::string &path)
{
    const auto slash = path.rfind('/');
    const std::string dir = slash == std::string::npos ? "" : path.substr(0, slash + 1);
    const std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
    return dir + "." + name + ".tmp-" + std::to_string(::getpid()) + "-" +
           std::to_string(g_tempCounter.fetch_add(1));
}

/// A temporary file written and fsynced but not yet renamed; the destructor removes it unless
/// committed.
class TempFile {
public:
    TempFile(const std::string &target, std::string_view bytes) : m_target(target)
    {
        int fd = -1;
        for (int attempt = 0; fd < 0 && attempt < 100; ++attempt) {
            m_temp = tempNameFor(target);
            fd = ::open(m_temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
            if (fd < 0 && errno != EEXIST)
                fail(errno, false);
        }
        if (fd < 0)
            fail(EEXIST, false);
        m_created = true;
        // A replaced file keeps its permissions (a private model stays private).
        if (struct stat old {}; ::stat(target.c_str(), &old) == 0 && S_ISREG(old.st_mode))
            ::fchmod(fd, old.st_mode & 07777);
        const int injected = injectedFailure();
        std::size_t done = 0;
        while (done < bytes.size()) {
            if (injected != 0) {
                ::close(fd);
                fail(injected);
            }
            const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0) {
                const int err = n < 0 ? errno : EIO;
                ::close(fd);
                fail(err);
            }
            done += std::size_t(n);
        }
        // fsync: the data is on the disk before the name points at it (a crash after the
        // rename must not leave an empty file under the old name).
        if (::fsync(fd) != 0) {
            const int err = errno;
            ::close(fd);
            fail(err);
        }
        if (::close(fd) != 0)
            fail(errno);
    }
    TempFile(const TempFile &) = delete;
    TempFile &operator=(const TempFile &) = delete;
    TempFile(TempFile &&other) noexcept
        : m_target(std::move(other.m_target)), m_temp(std::move(other.m_temp)),
          m_created(std::exchange(other.m_created, false))
    {
    }
    ~TempFile()
    {
        if (m_created)
            ::unlink(m_temp.c_str());
    }

    void commit()
    {
        if (::rename(m_temp.c_str(), m_target.c_str()) != 0)
            fail(errno);
        m_created = false;
        // Best effort: the new name is durable once the folder is synced.
        const int dir = ::open(folderOf(m_target).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dir >= 0) {
            ::fsync(dir);
            ::close(dir);
        }
    }

private:
    [[noreturn]] void fail(int err, bool created = true)
    {
        if (created && m_created) {
            ::unlink(m_temp.c_str());
            m_created = false;
        }
        throw IoError(m_target, std::strerror(err));
    }

    std::string m_target;
    std::string m_temp;
    bool m_created = false;
};

} // namespace

IoError::IoError(std::string f, std::string r)
    : std::runtime_error(f + ": cannot write the file: " + r), file(std::move(f)),
      message("cannot write the file: " + r), reason(std::move(r))
{
}

void writeFileAtomically(const std::string &path, std::string_view bytes)
{
    TempFile(path, bytes).commit();
}

void writeFilesAtomically(const std::vector<FileToWrite> &files)
{
    std::vector<TempFile> temps;
    temps.reserve(files.size());
    for (const FileToWrite &f : files)
        temps.emplace_back(f.path, f.bytes);
    for (TempFile &t : temps)
        t.commit();
}

void failNthFileWriteForTesting(int n, int err)
{
    g_failErrno = err;
    g_failCountdown = n;
}

} // namespace attn
