// SPDX-License-Identifier: GPL-3.0-or-later
// bench_csv: writes a numeric CSV (default 50,000 rows x 200 columns of values like 0.123457, no
// header) and measures readCsv, then toSequences (wide layout, target last), for time and peak
// memory per value. Memory is counted two ways: the peak of live heap bytes (this executable
// wraps malloc/free around glibc's and counts malloc_usable_size) and the growth of the process's
// peak resident set (getrusage ru_maxrss). tools/bench_csv_numpy.py measures numpy.loadtxt on the
// same file (--keep). Results: docs/benchmarks.md. Output: readable lines, then one JSON line.
#include "core/data/sequencecsv.h"
#include "core/io/csvparser.h"

#include <malloc.h>
#include <sys/resource.h>

#include <atomic>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>

using namespace attn;

namespace {

std::atomic<long long> g_live{0}, g_peak{0};

void track(void *p, bool add)
{
    if (!p)
        return;
    const long long n = (long long)malloc_usable_size(p);
    const long long live = add ? (g_live += n) : (g_live -= n);
    long long peak = g_peak.load();
    while (live > peak && !g_peak.compare_exchange_weak(peak, live)) {
    }
}

} // namespace

// Every heap allocation (operator new and Eigen's aligned buffers both end in malloc) is counted
// here and passed on to glibc's allocator.
extern "C" {
void *__libc_malloc(std::size_t);
void *__libc_calloc(std::size_t, std::size_t);
void *__libc_realloc(void *, std::size_t);
void *__libc_memalign(std::size_t, std::size_t);
void __libc_free(void *);

void *malloc(std::size_t n)
{
    void *p = __libc_malloc(n);
    track(p, true);
    return p;
}
void *calloc(std::size_t n, std::size_t size)
{
    void *p = __libc_calloc(n, size);
    track(p, true);
    return p;
}
void *realloc(void *old, std::size_t n)
{
    const long long before = old ? (long long)malloc_usable_size(old) : 0;
    void *p = __libc_realloc(old, n);
    if (p || n == 0) { // else the old block is still there
        g_live -= before;
        track(p, true);
    }
    return p;
}
void *memalign(std::size_t align, std::size_t n)
{
    void *p = __libc_memalign(align, n);
    track(p, true);
    return p;
}
void *aligned_alloc(std::size_t align, std::size_t n) { return memalign(align, n); }
int posix_memalign(void **out, std::size_t align, std::size_t n)
{
    *out = memalign(align, n);
    return *out || !n ? 0 : ENOMEM;
}
void free(void *p)
{
    track(p, false);
    __libc_free(p);
}
}

namespace {

using Clock = std::chrono::steady_clock;

long maxRssKiB()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss; // KiB on Linux
}

// rows x cols values k / 10^6 (k uniform in 0..999999) in their shortest form, "0.123457"; with
// format "float32" as the shortest text of the float k / 10^6 * 1.1 ("0.13580247", as numpy and
// pandas write float32 data), with "e18" as numpy.savetxt's default "%.18e".
void writeFile(const std::string &path, int rows, int cols, const std::string &format)
{
    std::FILE *f = std::fopen(path.c_str(), "wb");
    if (!f) {
        std::perror(path.c_str());
        std::exit(1);
    }
    std::mt19937 rng(7);
    std::string line;
    char buf[64];
    for (int r = 0; r < rows; ++r) {
        line.clear();
        for (int c = 0; c < cols; ++c) {
            const double v = double(rng() % 1000000) / 1e6;
            char *end = buf;
            if (format == "float32")
                end = std::to_chars(buf, buf + sizeof buf, float(v * 1.1)).ptr;
            else if (format == "e18")
                end = buf + std::snprintf(buf, sizeof buf, "%.18e", v);
            else
                end = std::to_chars(buf, buf + sizeof buf, v).ptr;
            if (c)
                line += ',';
            line.append(buf, end);
        }
        line += '\n';
        std::fwrite(line.data(), 1, line.size(), f);
    }
    std::fclose(f);
}

} // namespace

int main(int argc, char **argv)
{
    int rows = 50000, cols = 200, window = 0;
    std::string keep, format = "short";
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--rows" && i + 1 < argc)
            rows = std::atoi(argv[++i]);
        else if (a == "--cols" && i + 1 < argc)
            cols = std::atoi(argv[++i]);
        else if (a == "--keep" && i + 1 < argc)
            keep = argv[++i];
        else if (a == "--format" && i + 1 < argc)
            format = argv[++i];
        else if (a == "--series" && i + 1 < argc) {
            window = std::atoi(argv[++i]); // one column, read as a series in windows of T
            cols = 1;
        }
        else {
            std::fprintf(a == "--help" ? stdout : stderr,
                         "Usage: bench_csv [--rows N] [--cols N] [--format short|float32|e18]\n"
                         "                 [--series T] [--keep FILE]\n"
                         "Writes an N x M numeric CSV (to FILE with --keep, else a temporary\n"
                         "file) and measures readCsv and toSequences: time and peak memory.\n"
                         "--series T: one column of N values, cut into windows of T steps.\n");
            return a == "--help" ? 0 : 2;
        }
    }
    if (rows < 2 || (window == 0 && cols < 2) || window < 0 || window >= rows)
        return 2;
    namespace fs = std::filesystem;
    const std::string path =
        keep.empty() ? (fs::temp_directory_path() / ("attn_bench_csv_" + std::to_string(getpid()) +
                                                     ".csv"))
                           .string()
                     : keep;
    writeFile(path, rows, cols, format);
    const double values = double(rows) * cols;
    const double fileBytes = double(fs::file_size(path));

    const long rss0 = maxRssKiB();
    const long long heap0 = g_live.load();
    g_peak = heap0;
    auto t0 = Clock::now();
    CsvTable table = readCsv(path);
    const double readSeconds = std::chrono::duration<double>(Clock::now() - t0).count();
    const double readPeak = double(g_peak.load() - heap0) / values;
    const double readRss = double(maxRssKiB() - rss0) * 1024.0 / values;
    const double tableBytes = double(table.rows.bytes()) / values;

    CsvOptions o; // wide, target last (regression: the values are not integers)
    o.header = CsvHeader::No;
    if (window > 0) { // the series' windows: (N - T) x T inputs, each value T times
        o.layout = CsvLayout::Series;
        o.window = window;
    }
    t0 = Clock::now();
    SequenceData seq = toSequences(table, o);
    const double seqSeconds = std::chrono::duration<double>(Clock::now() - t0).count();
    const double totalPeak = double(g_peak.load() - heap0) / values;
    const double totalRss = double(maxRssKiB() - rss0) * 1024.0 / values;
    if (keep.empty())
        fs::remove(path);

    std::printf("file: %d rows x %d columns (%s), %.1f MB (%.2f bytes per value)\n", rows, cols,
                format.c_str(), fileBytes / 1e6, fileBytes / values);
    std::printf("readCsv:          %.3f s, peak heap %.2f bytes/value, peak RSS growth %.2f "
                "bytes/value, table %.2f bytes/value\n",
                readSeconds, readPeak, readRss, tableBytes);
    std::printf("+ toSequences:    %.3f s (N = %d, T = %d), peak heap %.2f bytes/value, peak RSS "
                "growth %.2f bytes/value\n",
                seqSeconds, seq.samples, seq.steps, totalPeak, totalRss);
    std::printf("{\"rows\": %d, \"cols\": %d, \"file_bytes\": %.0f, \"read_s\": %.4f, "
                "\"read_peak_heap_bpv\": %.3f, \"read_peak_rss_bpv\": %.3f, \"table_bpv\": %.3f, "
                "\"sequences_s\": %.4f, \"total_peak_heap_bpv\": %.3f, "
                "\"total_peak_rss_bpv\": %.3f}\n",
                rows, cols, fileBytes, readSeconds, readPeak, readRss, tableBytes, seqSeconds,
                totalPeak, totalRss);
    return 0;
}
