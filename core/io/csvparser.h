// SPDX-License-Identifier: GPL-3.0-or-later
// The CSV tokenizer: the bytes of a user's file -> rows of text cells with their line numbers.
// Comma, semicolon, tab or whitespace-run delimiters (auto-detected), optional header row
// (auto-detected), RFC 4180 quoting, LF / CRLF / CR, UTF-8 BOM, blank lines. Every malformed
// input is a CsvError naming file, line and column. Cells -> sequences: core/data/sequencecsv.h.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace attn {

/// A malformed or unusable input file. what() is exactly "FILE:LINE:COLUMN: message", where FILE
/// is the path as given, LINE is 1-based (0: the file as a whole) and COLUMN is the 1-based CSV
/// field number (0: the row or file as a whole). message says what was found and what was
/// expected, e.g. `data.csv:14:3: non-numeric cell "abc" (expected a number)`.
class CsvError : public std::runtime_error {
public:
    CsvError(std::string file, int line, int column, std::string message);
    std::string file;
    int line = 0;
    int column = 0;
    std::string message; // what() without the "FILE:LINE:COLUMN: " prefix
};

/// A read stopped by its CsvProgress callback (the user pressed Cancel), not a bad file.
class CsvCancelled : public CsvError {
public:
    using CsvError::CsvError;
};

/// Called by readCsv after every block it reads with the bytes read so far and the file's
/// size; returning false stops the read, which then throws CsvCancelled. Runs on the reading
/// thread.
using CsvProgress = std::function<bool(std::uint64_t bytesRead, std::uint64_t fileBytes)>;

/// Limits beyond which a file is rejected instead of exhausting memory.
inline constexpr std::size_t kMaxRowBytes = std::size_t(16) << 20;  // one row (record): 16 MiB
inline constexpr int kMaxFields = 1'000'000;                        // fields in one row
inline constexpr std::uintmax_t kMaxFileBytes = std::uintmax_t(1) << 30; // whole file: 1 GiB

enum class CsvDelimiter {
    Auto,       // detected from the first rows (see parseCsv)
    Comma,
    Semicolon,  // numbers may then use a decimal comma ("1,5")
    Tab,
    Whitespace, // runs of spaces and tabs, leading/trailing ignored (UCR .txt files)
};
enum class CsvHeader { Auto, Yes, No };

std::string toString(CsvDelimiter delimiter); // "auto", "comma", "semicolon", "tab", "whitespace"

/// How to split a file into cells.
struct CsvFormat {
    CsvDelimiter delimiter = CsvDelimiter::Auto;
    CsvHeader header = CsvHeader::Auto;
    /// false: '"' is an ordinary character. For free text with unbalanced quotes, e.g. the imdb
    /// sentiment file, where a quote-aware reader would merge lines.
    bool quoting = true;
};

/// A cell's value as stored: the engine's scalar (float in the app, double in the _f64 builds).
#if defined(ATTN_SCALAR_DOUBLE)
using CsvNumber = double;
#else
using CsvNumber = float;
#endif

/// What a cell holds when read as a number.
enum class CellKind {
    Number,    // a finite number (values below the smallest double read as 0)
    Empty,     // nothing but spaces
    Text,      // not a number
    NonFinite, // nan, inf, infinity (any case, any sign)
    Overflow,  // a number beyond the engine's Scalar range, e.g. 1e999
};

/// The data rows of a parsed file, compact (docs/architecture.md, "CSV reading"): every cell is
/// one CsvNumber (rows x columns, in blocks of about 1 MiB); a cell that is not a number (text,
/// empty, nan/inf, overflow), or a number whose text the value does not give back exactly (e.g.
/// "1.0", "007", "1e-3", more digits than the scalar holds; the shortest text of a float, as
/// numpy and pandas write float32 data, is given back), also keeps its text in a side list.
/// So a numeric file costs sizeof(CsvNumber) bytes per value, and text(r, c) is always the cell
/// exactly as parsed (quotes removed, outer spaces trimmed).
class CsvRows {
public:
    /// A row as a proxy: size() cells, operator[] gives their text.
    class Row {
    public:
        struct Position {
            bool end = false;
        };
        std::size_t size() const;
        std::string operator[](std::size_t c) const;
        std::vector<std::string> texts() const;
        Position begin() const { return {false}; }
        Position end() const { return {true}; }
        /// Inserts cell at the start or end of this row. Rows must receive it in order from row
        /// 0, each the same text: the table gains a column of equal cells (a placeholder target,
        /// core/savedmodel/predictor.cpp). Anything else throws std::logic_error.
        void insert(Position at, const std::string &cell);

    private:
        friend class CsvRows;
        Row(CsvRows *rows, std::size_t r) : m_rows(rows), m_r(r) {}
        CsvRows *m_rows;
        std::size_t m_r;
    };
    class Iterator {
    public:
        Row &operator*() { return m_row; }
        Row *operator->() { return &m_row; }
        Iterator &operator++()
        {
            ++m_row.m_r;
            return *this;
        }
        bool operator==(const Iterator &o) const { return m_row.m_r == o.m_row.m_r; }

    private:
        friend class CsvRows;
        explicit Iterator(Row row) : m_row(row) {}
        Row m_row;
    };

    /// decimalComma: cells like "1,5" read as 1.5 (semicolon-separated files).
    explicit CsvRows(bool decimalComma = false) : m_decimalComma(decimalComma) {}

    std::size_t size() const { return m_size; }
    bool empty() const { return m_size == 0; }
    /// Cells in every row (0 before the first row).
    int columns() const { return int(m_front.size() + m_back.size()) + m_columns; }

    /// Appends a data row (the parser; tests building a table by hand). Every row needs as many
    /// cells as the first: std::invalid_argument otherwise.
    void addRow(const std::vector<std::string> &cells);
    /// Removes the last column (the parser: an empty column made by a trailing delimiter).
    void dropLastColumn();

    /// Cell r, c (0-based; unchecked) read as a number, as parseNumber would.
    CellKind kind(std::size_t r, int c) const;
    /// True and value if cell r, c is a finite number (stored as CsvNumber).
    bool number(std::size_t r, int c, CsvNumber &value) const;
    /// The cell as parsed.
    std::string text(std::size_t r, int c) const;

    Row operator[](std::size_t r) const { return Row(const_cast<CsvRows *>(this), r); }
    Row front() const { return (*this)[0]; }
    Row back() const { return (*this)[m_size - 1]; }
    Iterator begin() { return Iterator(Row(this, 0)); }
    Iterator end() { return Iterator(Row(this, m_size)); }

    /// Heap bytes held (values, side list, texts, row index); for the benchmark.
    std::size_t bytes() const;

private:
    struct Side {              // a cell whose text is kept
        std::uint64_t offset;  // into m_text
        std::uint32_t column;  // physical column
        std::uint32_t length : 24; // bytes of text (a cell is under kMaxRowBytes)
        std::uint32_t kind : 8;    // CellKind
    };
    const CsvNumber *slot(std::size_t r, int physical) const;
    const Side *side(std::size_t r, int physical) const;
    std::string render(CsvNumber v) const;
    bool canonical(std::string_view cell, CsvNumber value);
    /// -1 - k for inserted column k of m_front / m_back order, else the physical column.
    int physical(int c, const std::string **inserted) const;

    bool m_decimalComma = false;
    char m_separator = 0;          // decimal separator of the numbers kept without text; 0: none yet
    std::size_t m_size = 0;        // rows
    int m_width = 0;               // cells per parsed row
    int m_columns = 0;             // of them shown (a dropped trailing column is not)
    unsigned m_shift = 0;          // rows per block = 1 << m_shift
    std::vector<std::vector<CsvNumber>> m_blocks;
    std::vector<Side> m_side;      // sorted by row, then column
    std::vector<std::uint64_t> m_rowSide{0}; // row r's side cells: [m_rowSide[r], m_rowSide[r+1])
    std::string m_text;            // the side cells' texts, back to back
    std::vector<std::string> m_front, m_back; // inserted columns of equal cells
    struct Pending {
        bool end = false;
        std::string cell;
        std::size_t next = 0;
    } m_pending;                   // the column being inserted row by row
};

/// A parsed file: rectangular cells (every row has columns() cells).
struct CsvTable {
    std::string file;                         // path as given, used in every message
    CsvDelimiter delimiter = CsvDelimiter::Comma; // as resolved (never Auto)
    int headerLine = 0;                       // 1-based line of the header row, 0 if none
    std::vector<std::string> header;          // column names, empty if there is no header
    CsvRows rows;                             // data rows, each with columns() cells
    std::vector<int> lines;                   // 1-based line where each data row starts
    int columns() const;
    /// True for Semicolon: a cell "1,5" then reads as 1.5.
    bool decimalComma() const { return delimiter == CsvDelimiter::Semicolon; }
};

/// Reads and tokenizes a file; see parseCsv. The file is read in blocks of 64 KiB and parsed as it
/// is read, so it is never held whole: a numeric file peaks at about sizeof(CsvNumber) bytes per
/// value (docs/benchmarks.md). Throws CsvError (line 0) if the file cannot be read, is a directory
/// or is larger than kMaxFileBytes, every error of parseCsv, and CsvCancelled when progress
/// returns false.
CsvTable readCsv(const std::string &path, const CsvFormat &format = {},
                 const CsvProgress &progress = {});

/// Tokenizes text (the whole file) and names `file` in messages.
/// - A UTF-8 BOM is skipped; lines end in LF, CRLF or CR; the final line break is optional;
///   lines holding only spaces and tabs are skipped (they still count for line numbers).
/// - Fields: RFC 4180 quoting ("" inside quotes is a quote; quoted fields may span lines);
///   spaces around a field are trimmed (tabs too, unless tab is the delimiter); a quote inside an
///   unquoted field is an ordinary character.
/// - Auto delimiter, on the first 10 rows outside quotes: the first of tab, semicolon, comma that
///   occurs equally often (> 0) on every row (a tab only counts before a token: trailing tabs are
///   whitespace); else the most frequent of them; else whitespace
///   runs if the rows after the first all split into the same number (> 1) of fields; else a
///   single comma-separated column.
/// - Auto header: the first row is a header if more than half of its cells are not numbers.
/// - A last column that is empty on every row (a trailing delimiter on each line) is dropped.
/// Throws CsvError: empty file, header only, ragged row, unterminated quote, a character after a
/// closing quote, NUL byte (binary file), invalid UTF-8, UTF-16, a row over kMaxRowBytes bytes or
/// kMaxFields fields.
CsvTable parseCsv(std::string_view text, const std::string &file, const CsvFormat &format = {});

struct CellValue {
    CellKind kind = CellKind::Text;
    double value = 0;
};
/// Reads a cell as a decimal number: optional sign, digits, '.', exponent; surrounding spaces
/// ignored. With decimalComma a single ',' stands for '.' (only if there is no '.').
CellValue parseNumber(std::string_view cell, bool decimalComma = false);

/// The cell as it should appear inside a message: quoted, control characters escaped, cut to 40
/// characters with "..." after.
std::string quoteCell(std::string_view cell);

} // namespace attn
