// SPDX-License-Identifier: GPL-3.0-or-later
// The CSV tokenizer: the bytes of a user's file -> rows of text cells with their line numbers.
// Comma, semicolon, tab or whitespace-run delimiters (auto-detected), optional header row
// (auto-detected), RFC 4180 quoting, LF / CRLF / CR, UTF-8 BOM, blank lines. Every malformed
// input is a CsvError naming file, line and column. Cells -> sequences: core/data/sequencecsv.h.
#pragma once

#include <cstddef>
#include <cstdint>
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

/// A parsed file: rectangular text cells (every row has columns() cells).
struct CsvTable {
    std::string file;                         // path as given, used in every message
    CsvDelimiter delimiter = CsvDelimiter::Comma; // as resolved (never Auto)
    int headerLine = 0;                       // 1-based line of the header row, 0 if none
    std::vector<std::string> header;          // column names, empty if there is no header
    std::vector<std::vector<std::string>> rows; // data rows, each with columns() cells
    std::vector<int> lines;                   // 1-based line where each data row starts
    int columns() const;
    /// True for Semicolon: a cell "1,5" then reads as 1.5.
    bool decimalComma() const { return delimiter == CsvDelimiter::Semicolon; }
};

/// Reads and tokenizes a file; see parseCsv. Throws CsvError (line 0) if the file cannot be read,
/// is a directory or is larger than kMaxFileBytes, and every error of parseCsv.
CsvTable readCsv(const std::string &path, const CsvFormat &format = {});

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

/// What a cell holds when read as a number.
enum class CellKind {
    Number,    // a finite number (values below the smallest double read as 0)
    Empty,     // nothing but spaces
    Text,      // not a number
    NonFinite, // nan, inf, infinity (any case, any sign)
    Overflow,  // a number beyond the engine's Scalar range, e.g. 1e999
};
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
