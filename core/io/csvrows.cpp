// SPDX-License-Identifier: GPL-3.0-or-later
// CsvRows, the compact cells of a parsed CSV file: one CsvNumber per cell in blocks of rows, the
// text of the cells a number does not give back kept on the side, and the column of equal cells
// the predictor inserts. Layout and the canonical-number rule: docs/architecture.md.
#include "core/io/csvparser.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <limits>
#include <stdexcept>
#include <type_traits>

namespace attn {

namespace {

using Bits = std::conditional_t<sizeof(CsvNumber) == 4, std::uint32_t, std::uint64_t>;

// The value slot of a cell that is not a number (its kind and text are on the side). Compared by
// bits: a real value is always finite.
const Bits kMarker = std::bit_cast<Bits>(std::numeric_limits<CsvNumber>::quiet_NaN());
bool isMarker(CsvNumber v) { return std::bit_cast<Bits>(v) == kMarker; }

// A number is kept without its text when the shortest fixed-notation text of the stored value is
// the cell itself. For float that holds for at most 6 significant digits (FLT_DIG) with a
// fraction, and for integers below 10^7 (exact in 24 bits); at most 9 fraction digits, so
// rounding the decimal to double and then to float cannot land beside the float's own rounding.
// For double (the _f64 builds): 15 digits (DBL_DIG). Other plain decimals of up to 9 (17)
// significant digits are rendered and compared: the shortest text of any float passes.
constexpr std::size_t kMaxDigits = sizeof(CsvNumber) == 4 ? 6 : 15;
constexpr std::size_t kMaxRoundTripDigits = sizeof(CsvNumber) == 4 ? 9 : 17;
constexpr std::size_t kMaxIntegerDigits = sizeof(CsvNumber) == 4 ? 7 : 15;
constexpr std::size_t kMaxFractionDigits = sizeof(CsvNumber) == 4 ? 9 : 15;

// A side cell whose offset field holds a number's double instead of an offset into the texts:
// its text is that double written the way the length field says (kShortest, or kScientific + P
// for "%.Pe", numpy.savetxt's default being "%.18e"). 16 bytes instead of 16 + the text.
constexpr std::uint32_t kDoubleFlag = 0x80;
constexpr std::uint32_t kShortest = 0;
constexpr std::uint32_t kScientific = 1;

// The way d is written if cell is one of them (the shortest text, or "%.Pe"), else -1.
long doubleStyle(std::string_view cell, double d)
{
    char buf[128];
    auto r = std::to_chars(buf, buf + sizeof buf, d);
    if (r.ec == std::errc{} && std::string_view(buf, std::size_t(r.ptr - buf)) == cell)
        return long(kShortest);
    const std::size_t dot = cell.find('.'), e = cell.find('e');
    if (dot == std::string_view::npos || e == std::string_view::npos || e < dot || e - dot > 60)
        return -1;
    const int precision = int(e - dot - 1);
    r = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific, precision);
    if (r.ec == std::errc{} && std::string_view(buf, std::size_t(r.ptr - buf)) == cell)
        return long(kScientific) + precision;
    return -1;
}

// Values per block: 1 MiB of floats.
constexpr std::size_t kBlockValues = std::size_t(1) << 18;

bool isDigit(char c) { return c >= '0' && c <= '9'; }

} // namespace

std::size_t CsvRows::Row::size() const { return std::size_t(m_rows->columns()); }

std::string CsvRows::Row::operator[](std::size_t c) const { return m_rows->text(m_r, int(c)); }

std::vector<std::string> CsvRows::Row::texts() const
{
    std::vector<std::string> out;
    for (std::size_t c = 0; c < size(); ++c)
        out.push_back((*this)[c]);
    return out;
}

void CsvRows::Row::insert(Position at, const std::string &cell)
{
    CsvRows &t = *m_rows;
    if (m_r == 0) {
        if (at.end)
            t.m_back.push_back(cell);
        else
            t.m_front.insert(t.m_front.begin(), cell);
        t.m_pending = {at.end, cell, 1};
        return;
    }
    if (m_r != t.m_pending.next || at.end != t.m_pending.end || cell != t.m_pending.cell)
        throw std::logic_error("CsvRows: a column can only be inserted as equal cells, row by "
                               "row from row 0");
    ++t.m_pending.next;
}

void CsvRows::addRow(const std::vector<std::string> &cells)
{
    if (!m_front.empty() || !m_back.empty())
        throw std::logic_error("CsvRows::addRow: rows cannot be added after a column was inserted");
    if (m_width == 0) {
        if (cells.empty())
            throw std::invalid_argument("CsvRows::addRow: a row needs at least one cell");
        m_width = m_columns = int(cells.size());
        m_shift = 0;
        while ((std::size_t(2) << m_shift) * std::size_t(m_width) <= kBlockValues)
            ++m_shift;
    } else if (int(cells.size()) != m_width) {
        throw std::invalid_argument("CsvRows::addRow: " + std::to_string(cells.size()) +
                                    " cells, expected " + std::to_string(m_width));
    }
    const std::size_t perBlock = std::size_t(m_width) << m_shift;
    if (m_blocks.empty() || m_blocks.back().size() == perBlock) {
        m_blocks.emplace_back();
        if (m_blocks.size() > 1) // the first grows with the table: a small file stays small
            m_blocks.back().reserve(perBlock);
    }
    std::vector<CsvNumber> &block = m_blocks.back();
    for (std::size_t c = 0; c < cells.size(); ++c) {
        const std::string &cell = cells[c];
        const CellValue v = parseNumber(cell, m_decimalComma);
        if (v.kind == CellKind::Number) {
            block.push_back(CsvNumber(v.value));
            if (canonical(cell, block.back()))
                continue;
        } else {
            block.push_back(std::bit_cast<CsvNumber>(kMarker));
        }
        if (cell.size() >= (std::size_t(1) << 24))
            throw std::invalid_argument("CsvRows::addRow: a cell of 16 MiB or more");
        Side s{};
        s.column = std::uint32_t(c);
        s.kind = std::uint32_t(v.kind);
        const long style = v.kind == CellKind::Number ? doubleStyle(cell, v.value) : -1;
        if (style >= 0) {
            s.offset = std::bit_cast<std::uint64_t>(v.value);
            s.length = std::uint32_t(style);
            s.kind |= kDoubleFlag;
        } else {
            s.offset = m_text.size();
            s.length = std::uint32_t(cell.size());
            m_text += cell;
        }
        m_side.push_back(s);
    }
    ++m_size;
    m_rowSide.push_back(m_side.size());
}

void CsvRows::dropLastColumn()
{
    if (m_columns > 0)
        --m_columns;
}

bool CsvRows::canonical(std::string_view s, CsvNumber value)
{
    // -?(0|[1-9][0-9]*)([.,][0-9]*[1-9])?
    std::size_t i = !s.empty() && s[0] == '-' ? 1 : 0;
    const std::size_t intStart = i;
    while (i < s.size() && isDigit(s[i]))
        ++i;
    const std::size_t intDigits = i - intStart;
    if (intDigits == 0 || (intDigits > 1 && s[intStart] == '0'))
        return false;
    char sep = 0;
    std::size_t fracDigits = 0, significant = intDigits;
    if (i < s.size()) {
        sep = s[i];
        if ((sep != '.' && !(sep == ',' && m_decimalComma)) ||
            (m_separator != 0 && sep != m_separator))
            return false;
        const std::size_t fracStart = ++i;
        while (i < s.size() && isDigit(s[i]))
            ++i;
        fracDigits = i - fracStart;
        if (i != s.size() || fracDigits == 0 || s.back() == '0')
            return false;
        std::size_t z = fracStart; // "0.00123": the leading zeros are not significant
        while (s[intStart] == '0' && s[z] == '0')
            ++z;
        significant = s[intStart] == '0' ? s.size() - z : intDigits + fracDigits;
    }
    bool ok = sep == 0 ? intDigits <= kMaxIntegerDigits
                       : significant <= kMaxDigits && fracDigits <= kMaxFractionDigits;
    if (!ok && significant <= kMaxRoundTripDigits) {
        char buf[128];
        const auto r = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed);
        if (r.ec == std::errc{}) {
            if (sep == ',')
                std::replace(buf, r.ptr, '.', ',');
            ok = std::string_view(buf, std::size_t(r.ptr - buf)) == s;
        }
    }
    if (ok && sep != 0)
        m_separator = sep;
    return ok;
}

std::string CsvRows::render(CsvNumber v) const
{
    char buf[128];
    const auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed);
    std::string s(buf, r.ptr);
    if (m_separator == ',')
        std::replace(s.begin(), s.end(), '.', ',');
    return s;
}

int CsvRows::physical(int c, const std::string **inserted) const
{
    const int front = int(m_front.size());
    if (c < front) {
        *inserted = &m_front[std::size_t(c)];
        return -1;
    }
    c -= front;
    if (c < m_columns)
        return c;
    *inserted = &m_back[std::size_t(c - m_columns)];
    return -1;
}

const CsvNumber *CsvRows::slot(std::size_t r, int p) const
{
    const std::size_t mask = (std::size_t(1) << m_shift) - 1;
    return &m_blocks[r >> m_shift][(r & mask) * std::size_t(m_width) + std::size_t(p)];
}

const CsvRows::Side *CsvRows::side(std::size_t r, int p) const
{
    const Side *first = m_side.data() + m_rowSide[r];
    const Side *last = m_side.data() + m_rowSide[r + 1];
    if (first == last)
        return nullptr;
    const Side *it = std::lower_bound(first, last, std::uint32_t(p),
                                      [](const Side &s, std::uint32_t c) { return s.column < c; });
    return it != last && it->column == std::uint32_t(p) ? it : nullptr;
}

CellKind CsvRows::kind(std::size_t r, int c) const
{
    const std::string *inserted = nullptr;
    const int p = physical(c, &inserted);
    if (p < 0)
        return parseNumber(*inserted, m_decimalComma).kind;
    if (!isMarker(*slot(r, p)))
        return CellKind::Number;
    return CellKind(side(r, p)->kind & ~kDoubleFlag);
}

bool CsvRows::number(std::size_t r, int c, CsvNumber &value) const
{
    const std::string *inserted = nullptr;
    const int p = physical(c, &inserted);
    if (p < 0) {
        const CellValue v = parseNumber(*inserted, m_decimalComma);
        value = CsvNumber(v.value);
        return v.kind == CellKind::Number;
    }
    const CsvNumber v = *slot(r, p);
    if (isMarker(v))
        return false;
    value = v;
    return true;
}

std::string CsvRows::text(std::size_t r, int c) const
{
    const std::string *inserted = nullptr;
    const int p = physical(c, &inserted);
    if (p < 0)
        return *inserted;
    if (const Side *s = side(r, p)) {
        if (!(s->kind & kDoubleFlag))
            return m_text.substr(std::size_t(s->offset), s->length);
        const double d = std::bit_cast<double>(std::uint64_t(s->offset));
        char buf[128];
        const auto w = s->length == kShortest
                           ? std::to_chars(buf, buf + sizeof buf, d)
                           : std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific,
                                           int(s->length - kScientific));
        return std::string(buf, w.ptr);
    }
    return render(*slot(r, p));
}

std::size_t CsvRows::bytes() const
{
    std::size_t n = m_blocks.capacity() * sizeof(std::vector<CsvNumber>) +
                    m_side.capacity() * sizeof(Side) + m_text.capacity() +
                    m_rowSide.capacity() * sizeof(std::uint64_t);
    for (const auto &b : m_blocks)
        n += b.capacity() * sizeof(CsvNumber);
    return n;
}

} // namespace attn
