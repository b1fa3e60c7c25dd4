// SPDX-License-Identifier: GPL-3.0-or-later
// CSV tokenizer: delimiter and header detection, the quote-aware record scanner with its UTF-8,
// NUL and size checks, reading a file. Cells as numbers and in messages: core/io/csvcells.cpp.
#include "core/io/csvparser.h"

#include "core/io/text.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <system_error>

namespace attn {

namespace {

bool isLineBreak(char c) { return c == '\n' || c == '\r'; }

/// Length (2..4) of the well-formed UTF-8 sequence starting at s[p] (a byte >= 0x80), or 0 if it
/// is malformed: a stray continuation byte, an overlong form, a surrogate or a value > U+10FFFF.
std::size_t utf8Length(std::string_view s, std::size_t p)
{
    auto at = [&](std::size_t i) -> unsigned {
        return p + i < s.size() ? static_cast<unsigned char>(s[p + i]) : 0u;
    };
    auto cont = [&](std::size_t i, unsigned lo = 0x80, unsigned hi = 0xBF) {
        return at(i) >= lo && at(i) <= hi;
    };
    const unsigned c = at(0);
    if (c >= 0xC2 && c <= 0xDF)
        return cont(1) ? 2 : 0;
    if (c == 0xE0)
        return cont(1, 0xA0) && cont(2) ? 3 : 0;
    if (c == 0xED)
        return cont(1, 0x80, 0x9F) && cont(2) ? 3 : 0;
    if (c >= 0xE1 && c <= 0xEF)
        return cont(1) && cont(2) ? 3 : 0;
    if (c == 0xF0)
        return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
    if (c >= 0xF1 && c <= 0xF3)
        return cont(1) && cont(2) && cont(3) ? 4 : 0;
    if (c == 0xF4)
        return cont(1, 0x80, 0x8F) && cont(2) && cont(3) ? 4 : 0;
    return 0;
}

/// Per-row counts of the candidate delimiters outside quotes, and of whitespace-separated tokens.
struct RowCounts {
    int tab = 0, semicolon = 0, comma = 0, tokens = 0;
};

CsvDelimiter detectDelimiter(std::string_view s, std::size_t start, bool quoting)
{
    constexpr std::size_t kSampleRows = 10;
    constexpr std::size_t kSampleBytes = std::size_t(1) << 20;
    std::vector<RowCounts> rows;
    RowCounts cur;
    int pendingTabs = 0; // tabs count only if a token follows them: a trailing tab is whitespace
    bool inQuotes = false, inToken = false, nonBlank = false;
    const std::size_t end = std::min(s.size(), start + kSampleBytes);
    std::size_t p = start;
    for (; p < end && rows.size() < kSampleRows; ++p) {
        const char c = s[p];
        if (inQuotes) {
            inQuotes = c != '"'; // "" inside quotes closes and reopens: same count
            continue;
        }
        if (isLineBreak(c)) {
            if (nonBlank)
                rows.push_back(cur);
            cur = {};
            pendingTabs = 0;
            inToken = nonBlank = false;
            continue;
        }
        if (c == ' ' || c == '\t') {
            pendingTabs += c == '\t';
            inToken = false;
            continue;
        }
        cur.tab += pendingTabs;
        pendingTabs = 0;
        nonBlank = true;
        inQuotes = quoting && c == '"';
        cur.comma += c == ',';
        cur.semicolon += c == ';';
        if (!inToken)
            ++cur.tokens;
        inToken = true;
    }
    if (nonBlank && p == s.size() && rows.size() < kSampleRows)
        rows.push_back(cur); // last line without a line break
    if (rows.empty())
        return CsvDelimiter::Comma;

    using Get = int (*)(const RowCounts &);
    const std::pair<CsvDelimiter, Get> candidates[] = {
        {CsvDelimiter::Tab, [](const RowCounts &r) { return r.tab; }},
        {CsvDelimiter::Semicolon, [](const RowCounts &r) { return r.semicolon; }},
        {CsvDelimiter::Comma, [](const RowCounts &r) { return r.comma; }},
    };
    for (const auto &candidate : candidates) { // no structured binding: clang 14 cannot capture it
        const Get get = candidate.second;
        const int first = get(rows.front());
        if (first > 0 && std::all_of(rows.begin(), rows.end(),
                                     [&](const RowCounts &r) { return get(r) == first; }))
            return candidate.first;
    }
    CsvDelimiter best = CsvDelimiter::Comma;
    long bestTotal = 0;
    for (const auto &[delimiter, get] : candidates) {
        long total = 0;
        for (const RowCounts &r : rows)
            total += get(r);
        if (total > bestTotal) {
            best = delimiter;
            bestTotal = total;
        }
    }
    if (bestTotal > 0)
        return best;
    // Whitespace runs: judged on the rows after the first, which may be a header of other width.
    const std::size_t from = rows.size() > 1 ? 1 : 0;
    const int tokens = rows[from].tokens;
    if (tokens > 1 && std::all_of(rows.begin() + long(from), rows.end(),
                                  [&](const RowCounts &r) { return r.tokens == tokens; }))
        return CsvDelimiter::Whitespace;
    return CsvDelimiter::Comma;
}

/// The record scanner. delim is ',', ';' or '\t', or 0 for whitespace runs.
class RecordScanner {
public:
    RecordScanner(std::string_view s, const std::string &file, std::size_t start, char delim,
              bool quoting)
        : m_s(s), m_file(file), m_pos(start), m_delim(delim), m_quoting(quoting)
    {
    }

    /// Reads the next non-blank record into fields; false at the end of the text.
    bool next(std::vector<std::string> &fields, int &recordLine)
    {
        for (;;) { // skip lines holding only spaces and tabs
            std::size_t p = m_pos;
            while (p < m_s.size() && (m_s[p] == ' ' || m_s[p] == '\t'))
                ++p;
            if (p >= m_s.size()) {
                m_pos = p;
                return false;
            }
            if (!isLineBreak(m_s[p]))
                break;
            m_pos = p;
            endLine();
        }
        fields.clear();
        recordLine = m_line;
        m_recordLine = m_line;
        m_limit = m_pos + kMaxRowBytes;
        for (;;) {
            const int field = int(fields.size()) + 1;
            if (field > kMaxFields)
                throw CsvError(m_file, m_recordLine, field,
                               "too many fields: more than " + std::to_string(kMaxFields) +
                                   " in one row (expected at most " + std::to_string(kMaxFields) +
                                   ")");
            skipBlanks();
            std::string cell;
            if (m_quoting && m_pos < m_s.size() && m_s[m_pos] == '"')
                readQuoted(cell, field);
            else
                readUnquoted(cell, field);
            fields.push_back(std::move(cell));
            if (m_delim == 0) {
                skipBlanks();
                if (m_pos >= m_s.size() || isLineBreak(m_s[m_pos]))
                    break;
                continue;
            }
            if (m_pos < m_s.size() && m_s[m_pos] == m_delim) {
                ++m_pos;
                continue;
            }
            break; // at a line break or the end of the text
        }
        endLine();
        return true;
    }

private:
    bool isBlank(char c) const { return c == ' ' || (c == '\t' && m_delim != '\t'); }

    void checkLimit(int openLine = 0, int openField = 0) const
    {
        if (m_pos < m_limit)
            return;
        std::string msg = "line too long: the row is over " + std::to_string(kMaxRowBytes) +
                          " bytes (expected at most 16 MiB per row)";
        if (openLine > 0)
            msg += "; the quoted field opened on line " + std::to_string(openLine) + ", column " +
                   std::to_string(openField) + " may lack its closing quote";
        throw CsvError(m_file, m_recordLine, 0, msg);
    }

    /// Checks the character at m_pos (NUL: binary file; malformed UTF-8) and returns its length.
    std::size_t charLength(int field) const
    {
        const auto c = static_cast<unsigned char>(m_s[m_pos]);
        if (c == 0)
            throw CsvError(m_file, m_line, field,
                           "binary file: NUL byte at byte offset " + std::to_string(m_pos) +
                               " (expected CSV text)");
        if (c < 0x80)
            return 1;
        const std::size_t len = utf8Length(m_s, m_pos);
        if (len == 0)
            throw CsvError(m_file, m_line, field,
                           "invalid UTF-8: byte " + hexByte(c) + " at byte offset " +
                               std::to_string(m_pos) +
                               " (expected UTF-8 text; re-save the file as UTF-8)");
        return len;
    }

    void skipBlanks()
    {
        while (m_pos < m_s.size() && isBlank(m_s[m_pos])) {
            checkLimit();
            ++m_pos;
        }
    }

    void readUnquoted(std::string &cell, int field)
    {
        const std::size_t start = m_pos;
        while (m_pos < m_s.size()) {
            const char c = m_s[m_pos];
            if (isLineBreak(c) || (m_delim == 0 ? isBlank(c) : c == m_delim))
                break;
            checkLimit();
            m_pos += charLength(field);
        }
        std::size_t end = m_pos;
        while (end > start && isBlank(m_s[end - 1]))
            --end;
        cell.assign(m_s.substr(start, end - start));
    }

    void readQuoted(std::string &cell, int field)
    {
        const int openLine = m_line;
        ++m_pos; // the opening quote
        for (;;) {
            if (m_pos >= m_s.size())
                throw CsvError(m_file, openLine, field,
                               "unterminated quoted field: no closing quote before the end of the "
                               "file (expected \" to end the field that opens here)");
            checkLimit(openLine, field);
            const char c = m_s[m_pos];
            if (c == '"') {
                if (m_pos + 1 < m_s.size() && m_s[m_pos + 1] == '"') {
                    cell += '"';
                    m_pos += 2;
                    continue;
                }
                ++m_pos;
                break;
            }
            if (c == '\n' || (c == '\r' && !(m_pos + 1 < m_s.size() && m_s[m_pos + 1] == '\n')))
                ++m_line;
            const std::size_t len = charLength(field);
            cell.append(m_s.substr(m_pos, len));
            m_pos += len;
        }
        const std::size_t afterQuote = m_pos;
        skipBlanks();
        if (m_pos >= m_s.size() || isLineBreak(m_s[m_pos]))
            return;
        if (m_delim == 0 ? m_pos > afterQuote : m_s[m_pos] == m_delim)
            return;
        charLength(field); // a NUL or broken UTF-8 here is reported as such
        const auto c = static_cast<unsigned char>(m_s[m_pos]);
        auto quoted = [](char ch) { // appends, not "'" + s + "'": GCC 12 warns falsely there
            std::string q(3, '\'');
            q[1] = ch;
            return q;
        };
        const std::string found =
            c >= 0x20 && c < 0x7F ? quoted(char(c)) : "byte " + hexByte(c);
        const std::string expected = m_delim == 0      ? "a space"
                                     : m_delim == '\t' ? "a tab"
                                                       : quoted(m_delim);
        throw CsvError(m_file, m_line, field,
                       "unexpected " + found + " after the closing quote (expected " + expected +
                           " or the end of the line)");
    }

    /// Consumes one line break (LF, CRLF or CR) if there is one.
    void endLine()
    {
        if (m_pos < m_s.size() && m_s[m_pos] == '\r') {
            ++m_pos;
            if (m_pos < m_s.size() && m_s[m_pos] == '\n')
                ++m_pos;
            ++m_line;
        } else if (m_pos < m_s.size() && m_s[m_pos] == '\n') {
            ++m_pos;
            ++m_line;
        }
    }

    std::string_view m_s;
    const std::string &m_file;
    std::size_t m_pos = 0;
    char m_delim = ',';
    bool m_quoting = true;
    int m_line = 1;
    int m_recordLine = 1;
    std::size_t m_limit = 0;
};

bool looksLikeHeader(const std::vector<std::string> &row, bool decimalComma)
{
    std::size_t text = 0;
    for (const std::string &cell : row) {
        const CellKind kind = parseNumber(cell, decimalComma).kind;
        text += kind == CellKind::Text || kind == CellKind::Empty;
    }
    return 2 * text > row.size();
}

} // namespace

CsvTable parseCsv(std::string_view text, const std::string &file, const CsvFormat &format)
{
    CsvTable table;
    table.file = file;
    if (text.starts_with("\xFF\xFE") || text.starts_with("\xFE\xFF"))
        throw CsvError(file, 1, 1,
                       "UTF-16 text (byte order mark " + hexByte(text[0]) + " " +
                           hexByte(text[1]) + ") (expected UTF-8 text; re-save the file as UTF-8)");
    const std::size_t start = text.starts_with("\xEF\xBB\xBF") ? 3 : 0;
    table.delimiter = format.delimiter == CsvDelimiter::Auto
                          ? detectDelimiter(text, start, format.quoting)
                          : format.delimiter;
    const char delim = table.delimiter == CsvDelimiter::Semicolon ? ';'
                       : table.delimiter == CsvDelimiter::Tab     ? '\t'
                       : table.delimiter == CsvDelimiter::Comma   ? ','
                                                                  : '\0';
    RecordScanner scanner(text, file, start, delim, format.quoting);
    std::vector<std::string> fields;
    int line = 0;
    if (!scanner.next(fields, line))
        throw CsvError(file, 1, 0, "empty file (expected a header or rows of values)");

    const std::size_t width = fields.size();
    const int firstLine = line;
    const bool header = format.header == CsvHeader::Yes ||
                        (format.header == CsvHeader::Auto &&
                         looksLikeHeader(fields, table.decimalComma()));
    if (header) {
        table.header = std::move(fields);
        table.headerLine = firstLine;
    } else {
        table.rows.push_back(std::move(fields));
        table.lines.push_back(firstLine);
    }
    while (scanner.next(fields, line)) {
        if (fields.size() != width)
            throw CsvError(file, line, 0,
                           "ragged row: " + std::to_string(fields.size()) + " fields, expected " +
                               std::to_string(width) + " like line " + std::to_string(firstLine));
        table.rows.push_back(fields);
        table.lines.push_back(line);
    }
    if (table.rows.empty())
        throw CsvError(file, firstLine, 0,
                       "header only: no data rows after the header (expected at least one row "
                       "of values)");

    // A trailing delimiter on every line makes an empty last column: drop it.
    const bool emptyLast =
        width > 1 && (table.header.empty() || table.header.back().empty()) &&
        std::all_of(table.rows.begin(), table.rows.end(),
                    [](const std::vector<std::string> &r) { return r.back().empty(); });
    if (emptyLast) {
        if (!table.header.empty())
            table.header.pop_back();
        for (auto &r : table.rows)
            r.pop_back();
    }
    return table;
}

CsvTable readCsv(const std::string &path, const CsvFormat &format)
{
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        throw CsvError(path, 0, 0, "is a directory (expected a CSV file)");
    std::unique_ptr<std::FILE, int (*)(std::FILE *)> f(std::fopen(path.c_str(), "rb"),
                                                        &std::fclose);
    if (!f)
        throw CsvError(path, 0, 0,
                       std::string("cannot open the file: ") + std::strerror(errno) +
                           " (expected a readable CSV file)");
    const std::uintmax_t size = std::filesystem::file_size(path, ec);
    auto tooLarge = [&](std::uintmax_t bytes) {
        return CsvError(path, 0, 0,
                        "file too large: " + std::to_string(bytes) + " bytes (expected at most " +
                            std::to_string(kMaxFileBytes) + " bytes)");
    };
    if (!ec && size > kMaxFileBytes)
        throw tooLarge(size);
    std::string text;
    if (!ec)
        text.reserve(std::size_t(size));
    char buf[65536];
    for (;;) { // read to the end even if the size changed or is unknown (a pipe)
        const std::size_t got = std::fread(buf, 1, sizeof buf, f.get());
        text.append(buf, got);
        if (text.size() > kMaxFileBytes)
            throw tooLarge(text.size());
        if (got < sizeof buf)
            break;
    }
    if (std::ferror(f.get()))
        throw CsvError(path, 0, 0,
                       std::string("cannot read the file: ") + std::strerror(errno) +
                           " (expected a readable CSV file)");
    return parseCsv(text, path, format);
}

} // namespace attn
