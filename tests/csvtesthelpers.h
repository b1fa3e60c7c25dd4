// SPDX-License-Identifier: GPL-3.0-or-later
// What the CSV tests share: the fixture and resource paths, a table's cells as text, exact matrix
// comparison, the check that a call throws a CsvError with exactly this file, line, column and
// message, a UCR pair's task spec and a file written into a temporary folder. Needs ATTN_CSV_FIXTURES and ATTN_RESOURCE_DATA (tests/CMakeLists.txt).
#pragma once

#include "core/data/csvtask.h"
#include "core/io/csvparser.h"
#include "core/tensor/tensor.h"

#include <QString>
#include <QTemporaryDir>
#include <QTest>

#include <charconv>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <string>
#include <vector>

namespace csvtest {

using namespace attn;


inline std::string fixture(const std::string &name) { return std::string(ATTN_CSV_FIXTURES) + "/" + name; }
inline std::string resource(const std::string &rel) { return std::string(ATTN_RESOURCE_DATA) + "/" + rel; }

// The cells of a table as text, row by row.
inline std::vector<std::vector<std::string>> cells(const CsvTable &t)
{
    std::vector<std::vector<std::string>> out;
    for (std::size_t r = 0; r < t.rows.size(); ++r)
        out.push_back(t.rows[r].texts());
    return out;
}

inline QString q(const std::string &s) { return QString::fromStdString(s); }

inline Mat rows(std::initializer_list<std::initializer_list<double>> values)
{
    Mat m(Eigen::Index(values.size()), Eigen::Index(values.begin()->size()));
    Eigen::Index r = 0;
    for (const auto &row : values) {
        Eigen::Index c = 0;
        for (double v : row)
            m(r, c++) = v;
        ++r;
    }
    return m;
}

/// m as text, every value in its shortest exact form: equal text <=> bitwise equal matrices, and
/// a failure shows both matrices.
inline std::string matText(const Mat &m)
{
    std::string out = std::to_string(m.rows()) + "x" + std::to_string(m.cols()) + ":";
    char buf[64];
    for (Eigen::Index r = 0; r < m.rows(); ++r) {
        if (r > 0)
            out += " |";
        for (Eigen::Index c = 0; c < m.cols(); ++c) {
            out += ' ';
            out.append(buf, std::to_chars(buf, buf + sizeof buf, double(m(r, c))).ptr);
        }
    }
    return out;
}

/// Runs f; it must throw a CsvError with exactly this file, line, column and message.
inline void expectCsvError(const std::function<void()> &f, const std::string &file, int line,
                           int column, const std::string &message)
{
    try {
        f();
    } catch (const CsvError &e) {
        const std::string expected =
            file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + message;
        QCOMPARE(q(e.what()), q(expected));
        QCOMPARE(q(e.file), q(file));
        QCOMPARE(e.line, line);
        QCOMPARE(e.column, column);
        QCOMPARE(q(e.message), q(message));
        return;
    }
    QFAIL(("no CsvError; expected " + message).c_str());
}

inline CsvTaskSpec ucrSpec(const std::string &folder, const std::string &name)
{
    CsvTaskSpec s;
    s.file = resource(folder + "/" + name + "_TRAIN.txt");
    s.testFile = resource(folder + "/" + name + "_TEST.txt");
    s.options = ucrOptions();
    return s;
}

/// Writes text to dir/name and returns the path.
inline std::string writeFile(const QTemporaryDir &dir, const std::string &name, const std::string &text)
{
    const std::string path = dir.filePath(QString::fromStdString(name)).toStdString();
    std::ofstream(path, std::ios::binary) << text;
    return path;
}

} // namespace csvtest

#define QCOMPARE_MAT(a, b) QCOMPARE(csvtest::q(csvtest::matText(a)), csvtest::q(csvtest::matText(b)))
