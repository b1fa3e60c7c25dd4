// SPDX-License-Identifier: GPL-3.0-or-later
// Internal to core/io's CSV reader (csvparser.cpp): the byte sources (all of a text, or a file in
// blocks), delimiter detection and the quote-aware record scanner with its UTF-8, NUL and size
// checks. Not part of the public API (core/io/csvparser.h).
#pragma once

#include "core/io/csvparser.h"
#include "core/io/text.h"

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace attn::csvscan {


inline bool isLineBreak(char c) { return c == '\n' || c == '\r'; }

/// Length (2..4) of the well-formed UTF-8 sequence starting at s[p] (a byte >= 0x80), or 0 if it
/// is malformed: a stray continuation byte, an overlong form, a surrogate or a value > U+10FFFF.
inline std::size_t utf8Length(std::string_view s, std::size_t p)
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

// Bytes the delimiter is detected on (at most; the first 10 rows).
inline constexpr std::size_t kSampleBytes = std::size_t(1) << 20;

/// Where the scanner's bytes come from: all of the text (parseCsv), or a file read in blocks
/// (readCsv). text() is a window on the input starting at byte offset base().
class Source {
public:
    virtual ~Source() = default;
    std::string_view text() const { return m_view; }
    std::size_t base() const { return m_base; }
    /// Appends the next bytes to the window; false at the end of the input.
    virtual bool more() { return false; }
    /// Drops the first n bytes of the window (they have been parsed).
    virtual void discard(std::size_t n)
    {
        m_view.remove_prefix(n);
        m_base += n;
    }
    /// Makes the window hold at least n bytes, or all the input; true if it does hold n.
    bool fill(std::size_t n)
    {
        while (m_view.size() < n)
            if (!more())
                return false;
        return true;
    }

protected:
    std::string_view m_view;
    std::size_t m_base = 0;
};

class TextSource : public Source {
public:
    explicit TextSource(std::string_view text) { m_view = text; }
};

/// Per-row counts of the candidate delimiters outside quotes, and of whitespace-separated tokens.
struct RowCounts {
    int tab = 0, semicolon = 0, comma = 0, tokens = 0;
};

/// s: the start of the text (at least start + kSampleBytes bytes unless it is all of it: atEnd).
inline CsvDelimiter detectDelimiter(std::string_view s, std::size_t start, bool quoting,
                                    bool atEnd)
{
    constexpr std::size_t kSampleRows = 10;
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
    if (nonBlank && atEnd && p == s.size() && rows.size() < kSampleRows)
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
    RecordScanner(Source &source, const std::string &file, std::size_t start, char delim,
                  bool quoting)
        : m_src(source), m_s(source.text()), m_file(file), m_pos(start), m_delim(delim),
          m_quoting(quoting)
    {
    }

    /// Reads the next non-blank record into fields; false at the end of the text.
    bool next(std::vector<std::string> &fields, int &recordLine)
    {
        if (m_pos >= kDiscardBytes) { // the records before this one are parsed: drop their bytes
            m_src.discard(m_pos);
            m_s = m_src.text();
            m_pos = 0;
        }
        for (;;) { // skip lines holding only spaces and tabs
            std::size_t p = m_pos;
            while (have(p) && (m_s[p] == ' ' || m_s[p] == '\t'))
                ++p;
            if (!have(p)) {
                m_pos = p;
                return false;
            }
            if (!isLineBreak(m_s[p]))
                break;
            m_pos = p;
            endLine();
        }
        m_count = 0;
        recordLine = m_line;
        m_recordLine = m_line;
        m_limit = m_pos + kMaxRowBytes;
        for (;;) {
            const int field = m_count + 1;
            if (field > kMaxFields)
                throw CsvError(m_file, m_recordLine, field,
                               "too many fields: more than " + std::to_string(kMaxFields) +
                                   " in one row (expected at most " + std::to_string(kMaxFields) +
                                   ")");
            skipBlanks();
            if (fields.size() < std::size_t(field))
                fields.emplace_back();
            std::string &cell = fields[std::size_t(field) - 1];
            cell.clear();
            if (m_quoting && have(m_pos) && m_s[m_pos] == '"')
                readQuoted(cell, field);
            else
                readUnquoted(cell, field);
            m_count = field;
            if (m_delim == 0) {
                skipBlanks();
                if (!have(m_pos) || isLineBreak(m_s[m_pos]))
                    break;
                continue;
            }
            if (have(m_pos) && m_s[m_pos] == m_delim) {
                ++m_pos;
                continue;
            }
            break; // at a line break or the end of the text
        }
        fields.resize(std::size_t(m_count)); // the strings beyond keep no capacity between rows
        endLine();
        return true;
    }

private:
    // Parsed bytes are dropped from a file's window once this many have accumulated.
    static constexpr std::size_t kDiscardBytes = std::size_t(1) << 20;

    /// True if byte p of the window exists, reading more of the input if needed.
    bool have(std::size_t p)
    {
        while (p >= m_s.size()) {
            if (!m_src.more())
                return false;
            m_s = m_src.text();
        }
        return true;
    }

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
    std::size_t charLength(int field)
    {
        const auto c = static_cast<unsigned char>(m_s[m_pos]);
        if (c == 0)
            throw CsvError(m_file, m_line, field,
                           "binary file: NUL byte at byte offset " + std::to_string(m_src.base() + m_pos) +
                               " (expected CSV text)");
        if (c < 0x80)
            return 1;
        have(m_pos + 3); // a sequence may end in the next block
        const std::size_t len = utf8Length(m_s, m_pos);
        if (len == 0)
            throw CsvError(m_file, m_line, field,
                           "invalid UTF-8: byte " + hexByte(c) + " at byte offset " +
                               std::to_string(m_src.base() + m_pos) +
                               " (expected UTF-8 text; re-save the file as UTF-8)");
        return len;
    }

    void skipBlanks()
    {
        while (have(m_pos) && isBlank(m_s[m_pos])) {
            checkLimit();
            ++m_pos;
        }
    }

    void readUnquoted(std::string &cell, int field)
    {
        const std::size_t start = m_pos;
        while (have(m_pos)) {
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
            if (!have(m_pos))
                throw CsvError(m_file, openLine, field,
                               "unterminated quoted field: no closing quote before the end of the "
                               "file (expected \" to end the field that opens here)");
            checkLimit(openLine, field);
            const char c = m_s[m_pos];
            if (c == '"') {
                if (have(m_pos + 1) && m_s[m_pos + 1] == '"') {
                    cell += '"';
                    m_pos += 2;
                    continue;
                }
                ++m_pos;
                break;
            }
            if (c == '\n' || (c == '\r' && !(have(m_pos + 1) && m_s[m_pos + 1] == '\n')))
                ++m_line;
            const std::size_t len = charLength(field);
            cell.append(m_s.substr(m_pos, len));
            m_pos += len;
        }
        const std::size_t afterQuote = m_pos;
        skipBlanks();
        if (!have(m_pos) || isLineBreak(m_s[m_pos]))
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
        if (have(m_pos) && m_s[m_pos] == '\r') {
            ++m_pos;
            if (have(m_pos) && m_s[m_pos] == '\n')
                ++m_pos;
            ++m_line;
        } else if (have(m_pos) && m_s[m_pos] == '\n') {
            ++m_pos;
            ++m_line;
        }
    }

    Source &m_src;
    std::string_view m_s; // m_src.text()
    const std::string &m_file;
    std::size_t m_pos = 0;
    char m_delim = ',';
    bool m_quoting = true;
    int m_line = 1;
    int m_recordLine = 1;
    std::size_t m_limit = 0;
    int m_count = 0; // fields of the record being read
};

} // namespace attn::csvscan
