// SPDX-License-Identifier: GPL-3.0-or-later
// A benchmark case in a forked child with its peak memory (childprocess.h).
#include "bench/childprocess.h"

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <fstream>
#include <stdexcept>

namespace attn::bench {

namespace {

void writeAll(int fd, const std::string &text)
{
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n <= 0)
            return;
        done += std::size_t(n);
    }
}

} // namespace

ChildResult runInChild(const std::function<std::string()> &fn)
{
    int fds[2];
    if (::pipe(fds) != 0)
        throw std::runtime_error(std::string("runInChild: pipe: ") + std::strerror(errno));
    std::fflush(stdout);
    std::fflush(stderr);
    ChildResult r;
    r.parentRssKib = currentRssKib();
    const pid_t pid = ::fork();
    if (pid < 0)
        throw std::runtime_error(std::string("runInChild: fork: ") + std::strerror(errno));
    if (pid == 0) {
        ::close(fds[0]);
        int status = 0;
        std::string out;
        try {
            out = fn();
        } catch (const std::exception &e) {
            out = std::string("error: ") + e.what();
            status = 1;
        }
        writeAll(fds[1], out);
        ::close(fds[1]);
        std::fflush(stdout);
        std::fflush(stderr);
        ::_exit(status); // no static destructors or atexit handlers of the parent's state
    }
    ::close(fds[1]);
    char buf[4096];
    for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) != 0;) {
        if (n < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        r.output.append(buf, std::size_t(n));
    }
    ::close(fds[0]);
    int status = 0;
    rusage usage{};
    while (::wait4(pid, &status, 0, &usage) < 0 && errno == EINTR) {
    }
    r.peakRssKib = usage.ru_maxrss; // KiB on Linux
    r.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    return r;
}

long currentRssKib()
{
    std::ifstream f("/proc/self/status");
    std::string key;
    while (f >> key) {
        if (key == "VmRSS:") {
            long kib = 0;
            f >> kib;
            return kib;
        }
        f.ignore(1 << 12, '\n');
    }
    return 0;
}

} // namespace attn::bench
