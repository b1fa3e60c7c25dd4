// SPDX-License-Identifier: GPL-3.0-or-later
// The one way this program writes a file: the bytes go to a temporary file in the target's
// folder, every write, the fsync and the close are checked, and only then is the temporary
// renamed over the target. A failure removes the temporary file and leaves the old file as it
// was (a full disk never truncates a saved session, model, CSV or image). Plain C++ (POSIX).
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace attn {

/// A file that could not be written. what() is exactly "FILE: cannot write the file: REASON",
/// REASON the system's (strerror) text, e.g. "No space left on device".
class IoError : public std::runtime_error {
public:
    IoError(std::string file, std::string reason);
    std::string file;    // the target path as given (never the temporary name)
    std::string message; // what() without the "FILE: " prefix
    std::string reason;  // strerror(errno) of the call that failed
};

/// Writes bytes to path atomically: path holds either its old contents or all of bytes, never a
/// part. The temporary file (".NAME.tmp-PID-N" in path's folder) is created with mode 0666 minus
/// the umask, or the old file's mode when path exists; after the rename the folder is fsynced
/// (best effort: a filesystem that cannot fsync a folder is not an error).
/// Throws IoError naming path and the reason; the temporary file is then already removed.
void writeFileAtomically(const std::string &path, std::string_view bytes);

/// One file of writeFilesAtomically.
struct FileToWrite {
    std::string path;
    std::string_view bytes;
};

/// Writes several files as one change (a model's NAME.safetensors and NAME.json): every file is
/// written, flushed and fsynced to its temporary name before the first is renamed, so a failed
/// write (full disk, quota, I/O error) leaves all the old files in place. Only a failing rename
/// between the renames could leave a mix; a rename in one folder fails only on I/O errors.
/// Throws IoError for the first file that fails; every temporary file is removed.
void writeFilesAtomically(const std::vector<FileToWrite> &files);

/// Test hook: the nth file written from now (1 = the next one) fails at its first write() with
/// errno err, as a full disk would (ENOSPC); n = 0 switches the hook off. Not for production use.
void failNthFileWriteForTesting(int n, int err);

} // namespace attn
