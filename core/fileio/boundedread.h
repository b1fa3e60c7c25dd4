// SPDX-License-Identifier: GPL-3.0-or-later
// The one way this program reads a whole file it did not write itself: regular files only
// (never a directory, a device such as /dev/zero, a pipe or a socket), and never more than a
// limit the caller states, checked before anything is allocated. Plain C++ (POSIX).
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace attn {

/// A file that could not be read. what() is "FILE: MESSAGE".
class FileReadError : public std::runtime_error {
public:
    FileReadError(std::string file, std::string message);
    std::string file;
    std::string message; // what() without the "FILE: " prefix, e.g. "is a directory"
};

/// Reads all of path, which must be a regular file of at most maxBytes bytes. The file is opened
/// without blocking (a FIFO cannot stall the caller) and its type and size are checked before
/// any buffer is reserved; a file that grows past maxBytes while it is read is refused too.
/// Throws FileReadError with the message "cannot open the file: REASON" (strerror), "is a
/// directory", "is not a regular file (a device, a pipe or a socket)", "file too large: N bytes,
/// more than M" or "cannot read the file: REASON".
std::string readRegularFile(const std::string &path, std::uint64_t maxBytes);

/// The size of path after the checks of readRegularFile (stat(), nothing opened), for readers
/// that read a file in parts. Throws FileReadError like readRegularFile.
std::uint64_t regularFileSize(const std::string &path, std::uint64_t maxBytes);

} // namespace attn
