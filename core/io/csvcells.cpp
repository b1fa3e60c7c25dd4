// SPDX-License-Identifier: GPL-3.0-or-later
// CSV cells and messages: CsvError's "FILE:LINE:COLUMN: message", the names of the delimiters, a
// cell read as a number (decimal comma, underflow, overflow) and a cell quoted for a message. The
// byte-level tokenizer is core/io/csvparser.cpp.
#include "core/io/csvparser.h"

#include "core/io/text.h"
#include "core/tensor/tensor.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <system_error>

namespace attn {

CsvError::CsvError(std::string file_, int line_, int column_, std::string message_)
    : std::runtime_error(file_ + ":" + std::to_string(line_) + ":" + std::to_string(column_) +
                         ": " + message_),
      file(std::move(file_)), line(line_), column(column_), message(std::move(message_))
{
}

std::string toString(CsvDelimiter delimiter)
{
    switch (delimiter) {
    case CsvDelimiter::Auto: return "auto";
    case CsvDelimiter::Comma: return "comma";
    case CsvDelimiter::Semicolon: return "semicolon";
    case CsvDelimiter::Tab: return "tab";
    case CsvDelimiter::Whitespace: return "whitespace";
    }
    return "?";
}

int CsvTable::columns() const
{
    if (!header.empty())
        return int(header.size());
    return rows.columns();
}

CellValue parseNumber(std::string_view cell, bool decimalComma)
{
    while (!cell.empty() && (cell.front() == ' ' || cell.front() == '\t'))
        cell.remove_prefix(1);
    while (!cell.empty() && (cell.back() == ' ' || cell.back() == '\t'))
        cell.remove_suffix(1);
    if (cell.empty())
        return {CellKind::Empty, 0};
    if (cell.front() == '+') { // from_chars takes no '+'
        cell.remove_prefix(1);
        if (cell.empty() || cell.front() == '+' || cell.front() == '-')
            return {CellKind::Text, 0};
    }
    char buf[64];
    if (decimalComma && cell.find(',') != std::string_view::npos) {
        if (cell.find('.') != std::string_view::npos || cell.size() >= sizeof buf ||
            std::count(cell.begin(), cell.end(), ',') != 1)
            return {CellKind::Text, 0};
        std::copy(cell.begin(), cell.end(), buf);
        std::replace(buf, buf + cell.size(), ',', '.');
        cell = std::string_view(buf, cell.size());
    }
    double x = 0;
    const auto [ptr, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), x);
    if (ec == std::errc::invalid_argument || ptr != cell.data() + cell.size())
        return {CellKind::Text, 0};
    if (ec == std::errc::result_out_of_range) {
        // Out of double's range: a negative exponent or a plain "0.000...1" is an underflow and
        // reads as zero; anything else overflows.
        const std::size_t e = cell.find_first_of("eE");
        const bool negativeExponent = e != std::string_view::npos && e + 1 < cell.size() &&
                                      cell[e + 1] == '-';
        const std::string_view digits = cell.front() == '-' ? cell.substr(1) : cell;
        const bool plainFraction = e == std::string_view::npos &&
                                   (digits.starts_with("0.") || digits.starts_with("."));
        if (negativeExponent || plainFraction)
            return {CellKind::Number, cell.front() == '-' ? -0.0 : 0.0};
        return {CellKind::Overflow, 0};
    }
    if (!std::isfinite(x))
        return {CellKind::NonFinite, x};
    if (std::abs(x) > double(std::numeric_limits<Scalar>::max()))
        return {CellKind::Overflow, x};
    return {CellKind::Number, x};
}

std::string quoteCell(std::string_view cell)
{
    constexpr int kMaxChars = 40;
    std::string out = "\"";
    int chars = 0;
    for (const char ch : cell) {
        const auto c = static_cast<unsigned char>(ch);
        if ((c & 0xC0) != 0x80 && ++chars > kMaxChars) { // count code points, cut between them
            out += "...";
            break;
        }
        switch (ch) {
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        default:
            if (c < 0x20 || c == 0x7F)
                out += "\\x" + hexByte(c).substr(2);
            else
                out += ch;
        }
    }
    out += '"';
    return out;
}

} // namespace attn
