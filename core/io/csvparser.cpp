// SPDX-License-Identifier: GPL-3.0-or-later
// CSV tokenizer: delimiter and header detection, the quote-aware record scanner with its UTF-8,
// NUL and size checks, reading a file. Cells as numbers and in messages: core/io/csvcells.cpp.
#include "core/io/csvparser.h"

#include "core/fileio/boundedread.h"

#include "core/io/csvscanner.h"
#include "core/io/text.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <limits>
#include <filesystem>
#include <memory>
#include <system_error>

namespace attn {

namespace {

using namespace csvscan;

bool looksLikeHeader(const std::vector<std::string> &row, bool decimalComma)
{
    std::size_t text = 0;
    for (const std::string &cell : row) {
        const CellKind kind = parseNumber(cell, decimalComma).kind;
        text += kind == CellKind::Text || kind == CellKind::Empty;
    }
    return 2 * text > row.size();
}

/// The file read in blocks of 64 KiB as the scanner asks for them; parsed bytes are dropped.
class FileSource : public Source {
public:
    FileSource(std::FILE *f, const std::string &path, std::uint64_t size, const CsvProgress &progress)
        : m_f(f), m_path(path), m_size(size), m_progress(progress)
    {
    }

    bool more() override
    {
        if (m_eof)
            return false;
        constexpr std::size_t kBlock = 65536;
        const std::size_t old = m_buf.size();
        m_buf.resize(old + kBlock);
        const std::size_t got = std::fread(m_buf.data() + old, 1, kBlock, m_f);
        m_buf.resize(old + got);
        m_view = m_buf;
        m_read += got;
        if (m_read > kMaxFileBytes)
            throw tooLarge(m_path, m_read);
        if (m_progress && !m_progress(m_read, m_size))
            throw CsvCancelled(m_path, 0, 0, "reading cancelled");
        if (got < kBlock) { // the end, or an error
            m_eof = true;
            if (std::ferror(m_f))
                throw CsvError(m_path, 0, 0,
                               std::string("cannot read the file: ") + std::strerror(errno) +
                                   " (expected a readable CSV file)");
        }
        return got > 0;
    }

    void discard(std::size_t n) override
    {
        m_buf.erase(0, n);
        m_view = m_buf;
        m_base += n;
    }

    static CsvError tooLarge(const std::string &path, std::uintmax_t bytes)
    {
        return CsvError(path, 0, 0,
                        "file too large: " + std::to_string(bytes) + " bytes (expected at most " +
                            std::to_string(kMaxFileBytes) + " bytes)");
    }

private:
    std::FILE *m_f;
    const std::string &m_path;
    std::uint64_t m_size = 0;       // the file's size when it was opened
    const CsvProgress &m_progress; // may be empty
    std::string m_buf;
    std::uintmax_t m_read = 0;
    bool m_eof = false;
};

CsvTable parse(Source &src, const std::string &file, const CsvFormat &format)
{
    CsvTable table;
    table.file = file;
    src.fill(3);
    const std::string_view head = src.text();
    if (head.starts_with("\xFF\xFE") || head.starts_with("\xFE\xFF"))
        throw CsvError(file, 1, 1,
                       "UTF-16 text (byte order mark " + hexByte(head[0]) + " " +
                           hexByte(head[1]) + ") (expected UTF-8 text; re-save the file as UTF-8)");
    const std::size_t start = head.starts_with("\xEF\xBB\xBF") ? 3 : 0;
    if (format.delimiter == CsvDelimiter::Auto) {
        const bool atEnd = !src.fill(start + kSampleBytes + 1);
        table.delimiter = detectDelimiter(src.text(), start, format.quoting, atEnd);
    } else {
        table.delimiter = format.delimiter;
    }
    table.rows = CsvRows(table.decimalComma());
    const char delim = table.delimiter == CsvDelimiter::Semicolon ? ';'
                       : table.delimiter == CsvDelimiter::Tab     ? '\t'
                       : table.delimiter == CsvDelimiter::Comma   ? ','
                                                                  : '\0';
    RecordScanner scanner(src, file, start, delim, format.quoting);
    std::vector<std::string> fields;
    int line = 0;
    if (!scanner.next(fields, line))
        throw CsvError(file, 1, 0, "empty file (expected a header or rows of values)");

    const std::size_t width = fields.size();
    const int firstLine = line;
    const bool header = format.header == CsvHeader::Yes ||
                        (format.header == CsvHeader::Auto &&
                         looksLikeHeader(fields, table.decimalComma()));
    bool lastEmpty = true; // on every data row: a trailing delimiter
    if (header) {
        table.header = fields;
        table.headerLine = firstLine;
    } else {
        table.rows.addRow(fields);
        table.lines.push_back(firstLine);
        lastEmpty = fields.back().empty();
    }
    while (scanner.next(fields, line)) {
        if (fields.size() != width)
            throw CsvError(file, line, 0,
                           "ragged row: " + std::to_string(fields.size()) + " fields, expected " +
                               std::to_string(width) + " like line " + std::to_string(firstLine));
        table.rows.addRow(fields);
        table.lines.push_back(line);
        lastEmpty = lastEmpty && fields.back().empty();
    }
    if (table.rows.empty())
        throw CsvError(file, firstLine, 0,
                       "header only: no data rows after the header (expected at least one row "
                       "of values)");

    // A trailing delimiter on every line makes an empty last column: drop it.
    if (width > 1 && (table.header.empty() || table.header.back().empty()) && lastEmpty) {
        if (!table.header.empty())
            table.header.pop_back();
        table.rows.dropLastColumn();
    }
    return table;
}

} // namespace

CsvTable parseCsv(std::string_view text, const std::string &file, const CsvFormat &format)
{
    TextSource source(text);
    return parse(source, file, format);
}

CsvTable readCsv(const std::string &path, const CsvFormat &format, const CsvProgress &progress)
{
    // Regular files only (never a directory, /dev/zero or a FIFO), the size checked first.
    std::uint64_t size = 0;
    try {
        size = regularFileSize(path, std::numeric_limits<std::uint64_t>::max());
    } catch (const FileReadError &e) {
        const bool unopened = e.message.rfind("cannot open", 0) == 0;
        throw CsvError(path, 0, 0, e.message + (unopened ? " (expected a readable CSV file)" : " (expected a CSV file)"));
    }
    if (size > kMaxFileBytes)
        throw FileSource::tooLarge(path, size);
    std::unique_ptr<std::FILE, int (*)(std::FILE *)> f(std::fopen(path.c_str(), "rb"),
                                                        &std::fclose);
    if (!f)
        throw CsvError(path, 0, 0,
                       std::string("cannot open the file: ") + std::strerror(errno) +
                           " (expected a readable CSV file)");
    FileSource source(f.get(), path, size, progress);
    return parse(source, path, format);
}

} // namespace attn
