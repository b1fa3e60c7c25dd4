// SPDX-License-Identifier: GPL-3.0-or-later
// Column helpers of the CSV import: names, resolving a CsvColumn against a table, reading a cell
// as a number with the FILE:LINE:COLUMN message for each kind of bad cell.
#include "core/data/csvcolumns.h"

#include <algorithm>
#include <charconv>

namespace attn::csvdetail {

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return char(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c); });
    return s;
}

std::string shortest(double v)
{
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, r.ptr);
}

std::string joinList(const std::vector<std::string> &items, std::size_t maxItems)
{
    std::string out;
    for (std::size_t i = 0; i < items.size() && i < maxItems; ++i)
        out += (i ? ", " : "") + items[i];
    if (items.size() > maxItems)
        out += ", ... (" + std::to_string(items.size()) + " in all)";
    return out;
}

int firstLine(const CsvTable &t) { return t.headerLine ? t.headerLine : t.lines.front(); }

std::string columnName(const CsvTable &t, int c)
{
    if (!t.header.empty() && !t.header[std::size_t(c)].empty())
        return t.header[std::size_t(c)];
    return "column " + std::to_string(c + 1);
}

int resolveColumn(const CsvTable &t, const CsvColumn &ref, const std::string &role)
{
    const int n = t.columns();
    switch (ref.kind) {
    case CsvColumn::Kind::None:
    case CsvColumn::Kind::Auto: return -1;
    case CsvColumn::Kind::First: return 0;
    case CsvColumn::Kind::Last: return n - 1;
    case CsvColumn::Kind::Index:
        if (ref.index < 1 || ref.index > n)
            throw CsvError(t.file, firstLine(t), 0,
                           "no " + role + " column " + std::to_string(ref.index) +
                               " (expected a column number from 1 to " + std::to_string(n) + ")");
        return ref.index - 1;
    case CsvColumn::Kind::Name: {
        if (t.header.empty())
            throw CsvError(t.file, firstLine(t), 0,
                           "no header row, so no " + role + " column named " + quoteCell(ref.name) +
                               " (expected first, last or a column number)");
        const auto it = std::find(t.header.begin(), t.header.end(), ref.name);
        if (it == t.header.end())
            throw CsvError(t.file, t.headerLine, 0,
                           "no " + role + " column named " + quoteCell(ref.name) +
                               " (the header has: " + joinList(t.header) + ")");
        return int(it - t.header.begin());
    }
    }
    return -1;
}

double number(const CsvTable &t, std::size_t r, int c)
{
    CsvNumber value = 0;
    if (t.rows.number(r, c, value))
        return double(value);
    const std::string cell = t.rows.text(r, c);
    const int line = t.lines[r];
    switch (t.rows.kind(r, c)) {
    case CellKind::Number: return double(value);
    case CellKind::Empty: throw CsvError(t.file, line, c + 1, "empty cell (expected a number)");
    case CellKind::Text:
        throw CsvError(t.file, line, c + 1,
                       "non-numeric cell " + quoteCell(cell) + " (expected a number)");
    case CellKind::NonFinite:
        throw CsvError(t.file, line, c + 1,
                       "non-finite cell " + quoteCell(cell) + " (expected a finite number)");
    case CellKind::Overflow:
        throw CsvError(t.file, line, c + 1,
                       "number " + quoteCell(cell) + " is out of range (expected a finite number)");
    }
    return 0;
}

double exactNumber(const CsvTable &t, std::size_t r, int c)
{
    number(t, r, c); // the messages
    return parseNumber(t.rows.text(r, c), t.decimalComma()).value;
}

} // namespace attn::csvdetail
