// SPDX-License-Identifier: GPL-3.0-or-later
// CsvTableCache (app/gui/csvtablecache.h): one read per file and format, the read's progress
// (bytes read of the file's size, block by block, through readCsv's CsvProgress) and cancel,
// which stops a read with CsvCancelled without remembering the file as bad.
#include "app/gui/csvtablecache.h"

#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

class TestCsvTableCache : public QObject {
    Q_OBJECT
private slots:
    void readsOncePerFormat();
    void progressReachesTheFileSize();
    void cancelStopsTheRead();
};

namespace {

/// A numeric CSV of rows x 20 values (about 120 bytes a row).
std::string writeTable(const QTemporaryDir &dir, int rows)
{
    const std::string path = dir.filePath("big.csv").toStdString();
    std::ofstream out(path);
    for (int r = 0; r < rows; ++r) {
        for (int c = 0; c < 20; ++c)
            out << (r + c) % 7 << ".25" << (c + 1 < 20 ? "," : "\n");
    }
    return path;
}

} // namespace

void TestCsvTableCache::readsOncePerFormat()
{
    QTemporaryDir dir;
    const std::string path = writeTable(dir, 10);
    CsvTableCache cache;
    const auto a = cache.get(path, {});
    const auto b = cache.get(path, {});
    QCOMPARE(a.get(), b.get());
    QCOMPARE(cache.reads(), 1);
    attn::CsvFormat semicolon;
    semicolon.delimiter = attn::CsvDelimiter::Semicolon;
    cache.get(path, semicolon);
    QCOMPARE(cache.reads(), 2);
}

void TestCsvTableCache::progressReachesTheFileSize()
{
    // 20,000 rows: about 2.4 MB, read in 64 KiB blocks. A reader thread samples progress()
    // while the file is read: the bytes only grow and never pass the size.
    QTemporaryDir dir;
    const std::string path = writeTable(dir, 20000);
    const auto size = std::uint64_t(std::filesystem::file_size(path));
    CsvTableCache cache;
    std::atomic<bool> done{false};
    std::vector<std::pair<std::uint64_t, std::uint64_t>> seen;
    std::thread watcher([&] {
        while (!done.load())
            if (const auto p = cache.progress(); seen.empty() || p != seen.back())
                seen.push_back(p);
    });
    const auto table = cache.get(path, {});
    done.store(true);
    watcher.join();
    QCOMPARE(table->rows.size(), std::size_t(20000));
    std::uint64_t last = 0;
    bool sawReading = false;
    for (const auto &[read, total] : seen) {
        if (total == 0)
            continue; // before or after the read
        QCOMPARE(total, size);
        QVERIFY(read <= size);
        QVERIFY(read >= last);
        last = read;
        sawReading = true;
    }
    QVERIFY(sawReading);
    QCOMPARE(cache.progress(), (std::pair<std::uint64_t, std::uint64_t>{0, 0})); // none running
}

void TestCsvTableCache::cancelStopsTheRead()
{
    QTemporaryDir dir;
    const std::string path = writeTable(dir, 2000);
    CsvTableCache cache;
    cache.cancel();
    try {
        cache.get(path, {});
        QFAIL("a cancelled read returned a table");
    } catch (const attn::CsvCancelled &e) {
        QCOMPARE(e.file, path);
        QCOMPARE(std::string(e.what()), path + ":0:0: reading cancelled");
    }
    QCOMPARE(cache.reads(), 1);
    // Not remembered as a bad file: asked again, the file is read again (and cancelled again).
    QVERIFY_THROWS_EXCEPTION(attn::CsvCancelled, cache.get(path, {}));
    QCOMPARE(cache.reads(), 2);
    // readCsv itself: a callback that says stop after the first block.
    int calls = 0;
    QVERIFY_THROWS_EXCEPTION(attn::CsvCancelled,
                             attn::readCsv(path, {}, [&](std::uint64_t, std::uint64_t) {
                                 return ++calls < 1;
                             }));
    QCOMPARE(calls, 1);
}

QTEST_APPLESS_MAIN(TestCsvTableCache)
#include "tst_csvtablecache.moc"
