// SPDX-License-Identifier: GPL-3.0-or-later
// CsvTableCache: the CSV import dialog's parsed files. A file is read once per reading format
// (delimiter, header, quoting); changes of layout, target, task type or normalisation reuse the
// table. Thread-safe: the dialog's checks run on worker threads, and a stale one may still run.
#pragma once

#include "core/io/csvparser.h"

#include <cstddef>
#include <exception>
#include <list>
#include <memory>
#include <mutex>
#include <string>

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

private:
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
};
