// SPDX-License-Identifier: GPL-3.0-or-later
// readRegularFile: open without blocking, fstat, check the type and the size, then read.
#include "core/fileio/boundedread.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace attn {

FileReadError::FileReadError(std::string f, std::string m)
    : std::runtime_error(f + ": " + m), file(std::move(f)), message(std::move(m))
{
}

namespace {

class Descriptor {
public:
    explicit Descriptor(int fd) : m_fd(fd) {}
    ~Descriptor()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    Descriptor(const Descriptor &) = delete;
    Descriptor &operator=(const Descriptor &) = delete;
    int get() const { return m_fd; }

private:
    int m_fd;
};

std::string tooLarge(std::uint64_t bytes, std::uint64_t maxBytes)
{
    return "file too large: " + std::to_string(bytes) + " bytes, more than " + std::to_string(maxBytes);
}

/// The checks of a file's type and size, shared by readRegularFile and regularFileSize.
void checkRegularFile(const std::string &path, const struct stat &st, std::uint64_t maxBytes)
{
    if (S_ISDIR(st.st_mode))
        throw FileReadError(path, "is a directory");
    if (!S_ISREG(st.st_mode))
        throw FileReadError(path, "is not a regular file (a device, a pipe or a socket)");
    if (std::uint64_t(st.st_size) > maxBytes)
        throw FileReadError(path, tooLarge(std::uint64_t(st.st_size), maxBytes));
}

} // namespace

std::uint64_t regularFileSize(const std::string &path, std::uint64_t maxBytes)
{
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        throw FileReadError(path, std::string("cannot open the file: ") + std::strerror(errno));
    checkRegularFile(path, st, maxBytes);
    return std::uint64_t(st.st_size);
}

std::string readRegularFile(const std::string &path, std::uint64_t maxBytes)
{
    // O_NONBLOCK: opening a FIFO with no writer returns at once instead of waiting for one.
    const Descriptor fd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
    if (fd.get() < 0)
        throw FileReadError(path, std::string("cannot open the file: ") + std::strerror(errno));
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0)
        throw FileReadError(path, std::string("cannot read the file: ") + std::strerror(errno));
    checkRegularFile(path, st, maxBytes);
    std::string bytes;
    bytes.resize(std::size_t(st.st_size));
    std::size_t got = 0;
    for (;;) {
        if (got == bytes.size()) { // the stated size is read: look further, the file may grow
            if (got > maxBytes)
                throw FileReadError(path, tooLarge(got, maxBytes));
            bytes.resize(std::size_t(std::min<std::uint64_t>(maxBytes + 1, got + 65536)));
        }
        const ssize_t n = ::read(fd.get(), bytes.data() + got, bytes.size() - got);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            throw FileReadError(path, std::string("cannot read the file: ") + std::strerror(errno));
        }
        if (n == 0)
            break;
        got += std::size_t(n);
    }
    bytes.resize(got);
    return bytes;
}

} // namespace attn
