// SPDX-License-Identifier: GPL-3.0-or-later
// CsvTableCache: the CSV import dialog's parsed files. A file is read once per reading format
// (delimiter, header, quoting); changes of layout, target, task type or normalisation reuse the
// table. Thread-safe: the dialog's checks run on worker threads, and a stale one may still run.
// The read in progress can be watched (a progress bar) and cancelled.
#pragma once

#include "core/io/csvparser.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

class CsvTableCache {
public:
    /// Tables kept (least recently used dropped first): the data file and a validation file, each
    /// in the format last asked for, plus one spare.
    static constexpr std::size_t kCapacity = 3;

    /// The table of path read with format: from the cache, else readCsv (once, even if several
    /// threads ask at the same time). A file that failed to read throws the same CsvError again
    /// without being read again.
    std::shared_ptr<const attn::CsvTable> get(const std::string &path, const attn::CsvFormat &format);

    /// readCsv calls made so far (for tests).
    int reads() const;

    /// The read in progress (any thread): bytes read and the file's size; 0, 0 when none.
    std::pair<std::uint64_t, std::uint64_t> progress() const;
    /// Stops every read now and later: each throws CsvCancelled (a file whose read was
    /// cancelled is not remembered as failed). For a dialog that is closed while it checks.
    void cancel() { m_cancelled.store(true); }

private:
    void setProgress(std::uint64_t read, std::uint64_t size);

    struct Entry {
        std::string path;
        attn::CsvFormat format;
        std::mutex mutex; // held while the file is read
        bool done = false;
        std::shared_ptr<const attn::CsvTable> table;
        std::exception_ptr error;
    };

    mutable std::mutex m_mutex;
    std::list<std::shared_ptr<Entry>> m_entries; // most recently used first
    int m_reads = 0;
    // Bytes read and the file's size, set together: two separate atomics let a watcher see the
    // new size with the old count, or a count reset to 0 beside the old size.
    mutable std::mutex m_progressMutex;
    std::pair<std::uint64_t, std::uint64_t> m_progress{0, 0};
    std::atomic<bool> m_cancelled{false};
};
