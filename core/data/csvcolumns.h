// SPDX-License-Identifier: GPL-3.0-or-later
// Internal to core/data's CSV import (sequencecsv.cpp and its parts): naming, resolving and
// reading the columns of a CsvTable, with the messages every part shares. Not part of the public
// API (core/data/sequencecsv.h).
#pragma once

#include "core/data/sequencecsv.h"

#include <cstddef>
#include <string>
#include <vector>

namespace attn::csvdetail {

/// s in lower case (ASCII letters only).
std::string lower(std::string s);
/// Shortest text that reads back as v: 1.0000000e+00 -> "1", -1 -> "-1", 0.1 -> "0.1".
std::string shortest(double v);
/// "a, b, c", cut after maxItems with ", ... (N in all)".
std::string joinList(const std::vector<std::string> &items, std::size_t maxItems = 10);
/// The line that stands for the table as a whole: the header, else the first data row.
int firstLine(const CsvTable &t);
/// The header cell of 0-based column c, or "column K" (1-based) without a header.
std::string columnName(const CsvTable &t, int c);
/// 0-based column of ref; -1 for None and Auto. role names the column in messages ("target").
/// Throws CsvError for a column number out of range or a name not in the header.
int resolveColumn(const CsvTable &t, const CsvColumn &ref, const std::string &role);
/// The cell at data row r, column c (0-based) as a finite number, or a CsvError saying why not.
/// Stored as CsvNumber: the value the engine gets (float in the app).
double number(const CsvTable &t, std::size_t r, int c);
/// The same cell read from its text as a double (class labels, whose names and order must not
/// depend on the scalar type).
double exactNumber(const CsvTable &t, std::size_t r, int c);

} // namespace attn::csvdetail
