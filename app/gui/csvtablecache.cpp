// SPDX-License-Identifier: GPL-3.0-or-later
// The CSV import dialog's cache of parsed files: one entry per path and reading format, read once
// under the entry's own lock so that different files are read in parallel.
#include "app/gui/csvtablecache.h"

std::shared_ptr<const attn::CsvTable> CsvTableCache::get(const std::string &path,
                                                         const attn::CsvFormat &format)
{
    std::shared_ptr<Entry> entry;
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        for (auto it = m_entries.begin(); it != m_entries.end(); ++it) {
            const attn::CsvFormat &f = (*it)->format;
            if ((*it)->path == path && f.delimiter == format.delimiter &&
                f.header == format.header && f.quoting == format.quoting) {
                entry = *it;
                m_entries.erase(it);
                break;
            }
        }
        if (!entry) {
            entry = std::make_shared<Entry>();
            entry->path = path;
            entry->format = format;
        }
        m_entries.push_front(entry);
        if (m_entries.size() > kCapacity)
            m_entries.pop_back(); // a thread still reading it keeps its own reference
    }
    const std::lock_guard<std::mutex> lock(entry->mutex);
    if (!entry->done) {
        {
            const std::lock_guard<std::mutex> count(m_mutex);
            ++m_reads;
        }
        const attn::CsvProgress progress = [this](std::uint64_t read, std::uint64_t size) {
            setProgress(read, size);
            return !m_cancelled.load();
        };
        try {
            entry->table = std::make_shared<const attn::CsvTable>(attn::readCsv(path, format, progress));
            entry->done = true;
        } catch (const attn::CsvCancelled &) {
            throw; // not remembered: a later get() reads the file again
        } catch (...) {
            entry->error = std::current_exception();
            entry->done = true;
        }
        setProgress(0, 0);
    }
    if (entry->error)
        std::rethrow_exception(entry->error);
    return entry->table;
}

int CsvTableCache::reads() const
{
    const std::lock_guard<std::mutex> lock(m_mutex);
    return m_reads;
}

std::pair<std::uint64_t, std::uint64_t> CsvTableCache::progress() const
{
    const std::lock_guard<std::mutex> lock(m_progressMutex);
    return m_progress;
}

void CsvTableCache::setProgress(std::uint64_t read, std::uint64_t size)
{
    const std::lock_guard<std::mutex> lock(m_progressMutex);
    m_progress = {read, size};
}
