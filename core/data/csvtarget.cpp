// SPDX-License-Identifier: GPL-3.0-or-later
// The target of the CSV import: words or numbers, the task type detected or checked, classes
// sorted and remapped to 0..C-1, y as a value, a 0/1 logit or one-hot rows.
#include "core/data/csvtarget.h"

#include "core/data/csvcolumns.h"
#include "core/io/text.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_map>

namespace attn::csvdetail {

void assignTarget(const CsvTable &t, int tc, const std::vector<std::size_t> &rows,
                  TaskType requested, const SequenceData *ref, SequenceData &out)
{
    const std::size_t n = rows.size();
    out.targetColumn = tc + 1;
    out.targetName = columnName(t, tc);
    if (ref)
        requested = ref->taskType;
    auto setRegression = [&](const std::vector<double> &values) {
        out.taskType = TaskType::Regression;
        out.data.y.resize(Eigen::Index(n), 1);
        for (std::size_t i = 0; i < n; ++i)
            out.data.y(Eigen::Index(i), 0) = Scalar(values[i]);
    };
    auto line = [&](std::size_t i) { return t.lines[rows[i]]; };

    // Words or numbers? Words only if no target cell is a number (a typo in a numeric column is
    // reported as a non-numeric cell).
    bool text = false;
    if (ref) {
        text = ref->textClasses;
    } else if (requested != TaskType::Regression) {
        bool anyText = false, anyNumber = false;
        for (std::size_t r : rows) {
            const CellKind k = t.rows.kind(r, tc);
            anyText |= k == CellKind::Text;
            anyNumber |= k != CellKind::Text && k != CellKind::Empty;
        }
        text = anyText && !anyNumber;
    }
    // A regression needs no label text: a string per row would cost more than the row's window
    // of a long series (32 bytes against 48 at T = 12).
    const bool labels = requested != TaskType::Regression;
    std::vector<std::string> keys(labels ? n : 0);
    std::vector<double> values(n, 0.0);
    bool allIntegers = true;
    for (std::size_t i = 0; i < n; ++i) {
        if (text) {
            keys[i] = trimmed(t.rows.text(rows[i], tc));
            if (keys[i].empty())
                throw CsvError(t.file, line(i), tc + 1, "empty cell (expected a class label)");
        } else {
            values[i] = exactNumber(t, rows[i], tc);
            if (labels)
                keys[i] = shortest(values[i]);
            allIntegers &= values[i] == std::round(values[i]);
        }
    }
    if (requested == TaskType::Regression) {
        setRegression(values);
        return;
    }

    std::vector<std::string> classes;
    if (ref) {
        classes = ref->classNames;
    } else {
        // Distinct labels in order of first appearance (for messages), then sorted.
        std::vector<std::string> seen;
        std::vector<double> seenValue;
        std::vector<std::size_t> firstRow;
        std::unordered_map<std::string, int> index;
        for (std::size_t i = 0; i < n; ++i)
            if (index.emplace(keys[i], int(seen.size())).second) {
                seen.push_back(keys[i]);
                seenValue.push_back(values[i]);
                firstRow.push_back(i);
            }
        auto shown = [&](const std::string &k) { return text ? quoteCell(k) : k; };
        if (seen.size() == 1)
            throw CsvError(t.file, line(0), tc + 1,
                           "single class: every target is " + shown(seen[0]) +
                               " (expected at least 2 classes)");
        TaskType type = requested;
        if (type == TaskType::Auto) {
            if (text)
                type = seen.size() == 2 ? TaskType::Binary : TaskType::MultiClass;
            else if (allIntegers && seen.size() == 2)
                type = TaskType::Binary;
            else if (allIntegers && seen.size() <= std::size_t(kMaxAutoClasses))
                type = TaskType::MultiClass;
            else
                type = TaskType::Regression;
        }
        if (type == TaskType::Regression) {
            setRegression(values);
            return;
        }
        if (type == TaskType::Binary && seen.size() > 2) {
            std::vector<std::string> names(seen.begin(), seen.begin() + 3);
            for (std::string &s : names)
                s = shown(s);
            throw CsvError(t.file, line(firstRow[2]), tc + 1,
                           "binary target with more than 2 classes: " + joinList(names) +
                               " (expected exactly 2)");
        }
        if (seen.size() > std::size_t(kMaxClasses))
            throw CsvError(t.file, line(firstRow[std::size_t(kMaxClasses)]), tc + 1,
                           "too many classes: more than " + std::to_string(kMaxClasses) +
                               " distinct targets (expected at most " +
                               std::to_string(kMaxClasses) + ")");
        std::vector<std::size_t> order(seen.size());
        for (std::size_t k = 0; k < order.size(); ++k)
            order[k] = k;
        std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
            return text ? seen[a] < seen[b] : seenValue[a] < seenValue[b];
        });
        for (std::size_t k : order)
            classes.push_back(seen[k]);
        out.taskType = type;
    }
    if (ref)
        out.taskType = ref->taskType;

    std::unordered_map<std::string, int> classIndex;
    for (std::size_t k = 0; k < classes.size(); ++k)
        classIndex.emplace(classes[k], int(k));
    const std::size_t c = classes.size();
    out.classNames = classes;
    out.textClasses = text;
    out.classCounts.assign(c, 0);
    out.labels.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        const auto it = classIndex.find(keys[i]);
        if (it == classIndex.end()) {
            std::vector<std::string> names = classes;
            if (text)
                for (std::string &s : names)
                    s = quoteCell(s);
            throw CsvError(t.file, line(i), tc + 1,
                           "class " + (text ? quoteCell(keys[i]) : keys[i]) +
                               " is not one of the training file's classes (" + joinList(names) +
                               ")");
        }
        out.labels[i] = it->second;
        ++out.classCounts[std::size_t(it->second)];
    }
    if (out.taskType == TaskType::Binary) {
        out.data.y.resize(Eigen::Index(n), 1);
        for (std::size_t i = 0; i < n; ++i)
            out.data.y(Eigen::Index(i), 0) = Scalar(out.labels[i]);
    } else {
        out.data.y = Mat::Zero(Eigen::Index(n), Eigen::Index(c));
        for (std::size_t i = 0; i < n; ++i)
            out.data.y(Eigen::Index(i), out.labels[i]) = 1;
    }
}

} // namespace attn::csvdetail
