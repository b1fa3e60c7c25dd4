// SPDX-License-Identifier: GPL-3.0-or-later
// Layouts (wide, wide multivariate, long, series), target and class detection, published
// train/test splits, date-gap warnings and the train-only standardizer.
#include "core/data/sequencecsv.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <map>
#include <unordered_map>

namespace attn {

std::string toString(TaskType type)
{
    switch (type) {
    case TaskType::Auto: return "auto";
    case TaskType::Regression: return "regression";
    case TaskType::Binary: return "binary";
    case TaskType::MultiClass: return "multiclass";
    }
    return "?";
}

std::optional<TaskType> taskTypeFromString(const std::string &name)
{
    for (TaskType t :
         {TaskType::Auto, TaskType::Regression, TaskType::Binary, TaskType::MultiClass})
        if (toString(t) == name)
            return t;
    return std::nullopt;
}

std::string toString(CsvLayout layout)
{
    switch (layout) {
    case CsvLayout::Wide: return "wide";
    case CsvLayout::WideMultivariate: return "wide-multivariate";
    case CsvLayout::Long: return "long";
    case CsvLayout::Series: return "series";
    }
    return "?";
}

std::optional<CsvLayout> csvLayoutFromString(const std::string &name)
{
    for (CsvLayout l : {CsvLayout::Wide, CsvLayout::WideMultivariate, CsvLayout::Long,
                        CsvLayout::Series})
        if (toString(l) == name)
            return l;
    return std::nullopt;
}

namespace {

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return char(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c); });
    return s;
}

std::string trimmed(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return std::string(s);
}

/// Shortest text that reads back as v: 1.0000000e+00 -> "1", -1 -> "-1", 0.1 -> "0.1".
std::string shortest(double v)
{
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, r.ptr);
}

std::string joinList(const std::vector<std::string> &items, std::size_t maxItems = 10)
{
    std::string out;
    for (std::size_t i = 0; i < items.size() && i < maxItems; ++i)
        out += (i ? ", " : "") + items[i];
    if (items.size() > maxItems)
        out += ", ... (" + std::to_string(items.size()) + " in all)";
    return out;
}

/// The line that stands for the table as a whole: the header, else the first data row.
int firstLine(const CsvTable &t) { return t.headerLine ? t.headerLine : t.lines.front(); }

std::string columnName(const CsvTable &t, int c)
{
    if (!t.header.empty() && !t.header[std::size_t(c)].empty())
        return t.header[std::size_t(c)];
    return "column " + std::to_string(c + 1);
}

/// 0-based column of ref; -1 for None and Auto. role names the column in messages ("target").
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

std::vector<bool> ignoredColumns(const CsvTable &t, const CsvOptions &o)
{
    std::vector<bool> ignored(std::size_t(t.columns()), false);
    for (const CsvColumn &c : o.ignore) {
        const int i = resolveColumn(t, c, "ignored");
        if (i >= 0)
            ignored[std::size_t(i)] = true;
    }
    return ignored;
}

/// The cell at data row r, column c (0-based) as a finite number, or a CsvError saying why not.
double number(const CsvTable &t, std::size_t r, int c)
{
    const std::string &cell = t.rows[r][std::size_t(c)];
    const CellValue v = parseNumber(cell, t.decimalComma());
    const int line = t.lines[r];
    switch (v.kind) {
    case CellKind::Number: return v.value;
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

void checkReferenceShape(const CsvTable &t, const SequenceData *ref, int steps, int features)
{
    if (ref && (ref->steps != steps || ref->features != features))
        throw CsvError(t.file, firstLine(t), 0,
                       "T = " + std::to_string(steps) + " steps of F = " +
                           std::to_string(features) + " features (expected T = " +
                           std::to_string(ref->steps) + ", F = " + std::to_string(ref->features) +
                           " like the training file " + ref->file + ")");
}

void checkEnoughSequences(const CsvTable &t, const CsvOptions &o, int n)
{
    if (n < std::max(1, o.minSequences))
        throw CsvError(t.file, t.lines.back(), 0,
                       "too few rows: " + std::to_string(n) + (n == 1 ? " sequence" : " sequences") +
                           " (expected at least " +
                           std::to_string(std::max(1, o.minSequences)) + ")");
}

/// Fills taskType, y, classes, labels, targetName/Column of out from the target cells: column
/// tc of data rows rows[i] for sample i.
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
            const CellKind k = parseNumber(t.rows[r][std::size_t(tc)], t.decimalComma()).kind;
            anyText |= k == CellKind::Text;
            anyNumber |= k != CellKind::Text && k != CellKind::Empty;
        }
        text = anyText && !anyNumber;
    }
    std::vector<std::string> keys(n);
    std::vector<double> values(n, 0.0);
    bool allIntegers = true;
    for (std::size_t i = 0; i < n; ++i) {
        if (text) {
            keys[i] = trimmed(t.rows[rows[i]][std::size_t(tc)]);
            if (keys[i].empty())
                throw CsvError(t.file, line(i), tc + 1, "empty cell (expected a class label)");
        } else {
            values[i] = number(t, rows[i], tc);
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

void finish(SequenceData &out, int steps, int features)
{
    out.data.steps = steps;
    out.data.features = features;
    out.samples = int(out.data.x.rows());
    out.steps = steps;
    out.features = features;
}

SequenceData wideLayout(const CsvTable &t, const CsvOptions &o, const SequenceData *ref, int F)
{
    if (F < 1)
        throw std::invalid_argument("CsvOptions: features must be >= 1, got " + std::to_string(F));
    const int n = t.columns();
    const std::vector<bool> ignored = ignoredColumns(t, o);
    const int tc = resolveColumn(t, o.target, "target");
    std::map<int, int> gt; // step k (1-based) -> column
    std::vector<int> valueCols;
    for (int c = 0; c < n; ++c) {
        if (c == tc || ignored[std::size_t(c)])
            continue;
        if (!t.header.empty()) {
            const std::string name = lower(trimmed(t.header[std::size_t(c)]));
            int k = 0;
            const char *b = name.data() + 3, *e = name.data() + name.size();
            if (name.starts_with("gt_") && name.size() > 3 && std::from_chars(b, e, k).ptr == e &&
                k >= 1) {
                if (!gt.emplace(k, c).second)
                    throw CsvError(t.file, t.headerLine, c + 1,
                                   "ground-truth column " + quoteCell(t.header[std::size_t(c)]) +
                                       " appears twice (expected one column per step)");
                continue;
            }
        }
        valueCols.push_back(c);
    }
    const int v = int(valueCols.size());
    if (v == 0)
        throw CsvError(t.file, firstLine(t), 0,
                       "no value columns besides the target (expected T*F values per row)");
    if (v % F != 0)
        throw CsvError(t.file, firstLine(t), 0,
                       std::to_string(v) + " value columns do not split into steps of " +
                           std::to_string(F) + " features (expected a multiple of " +
                           std::to_string(F) + ")");
    const int T = v / F;
    if (!gt.empty() && (int(gt.size()) != T || gt.rbegin()->first != T)) {
        std::vector<std::string> found;
        for (const auto &kv : gt)
            found.push_back(t.header[std::size_t(kv.second)]);
        throw CsvError(t.file, t.headerLine, 0,
                       "ground-truth columns " + joinList(found) + " do not match the " +
                           std::to_string(T) + " steps (expected gt_1..gt_" + std::to_string(T) +
                           ")");
    }
    checkReferenceShape(t, ref, T, F);

    SequenceData out;
    out.file = t.file;
    const std::size_t N = t.rows.size();
    out.data.x.resize(Eigen::Index(N), Eigen::Index(v));
    for (std::size_t r = 0; r < N; ++r)
        for (int j = 0; j < v; ++j)
            out.data.x(Eigen::Index(r), j) = Scalar(number(t, r, valueCols[std::size_t(j)]));
    if (!gt.empty()) {
        out.data.groundTruth.resize(Eigen::Index(N), T);
        for (std::size_t r = 0; r < N; ++r)
            for (const auto &[k, c] : gt)
                out.data.groundTruth(Eigen::Index(r), k - 1) = Scalar(number(t, r, c));
    }
    std::vector<std::size_t> rows(N);
    for (std::size_t r = 0; r < N; ++r)
        rows[r] = r;
    assignTarget(t, tc, rows, o.taskType, ref, out);
    checkEnoughSequences(t, o, int(N)); // after the cells: a bad cell is the first thing to fix
    out.lines = t.lines;
    for (int f = 0; f < F; ++f)
        out.featureNames.push_back(F == 1 ? std::string("value")
                                   : t.header.empty()
                                       ? "feature " + std::to_string(f + 1)
                                       : t.header[std::size_t(valueCols[std::size_t(f)])]);
    finish(out, T, F);
    return out;
}

SequenceData longLayout(const CsvTable &t, const CsvOptions &o, const SequenceData *ref)
{
    if (o.sequenceId.kind == CsvColumn::Kind::None || o.sequenceId.kind == CsvColumn::Kind::Auto)
        throw std::invalid_argument("CsvOptions: the long layout needs a sequence-id column");
    const int n = t.columns();
    const std::vector<bool> ignored = ignoredColumns(t, o);
    const int idc = resolveColumn(t, o.sequenceId, "sequence-id");
    const int tc = resolveColumn(t, o.target, "target");
    if (idc == tc)
        throw CsvError(t.file, firstLine(t), tc + 1,
                       "the target column is also the sequence-id column (expected two "
                       "different columns)");
    int gtc = -1;
    std::vector<int> featureCols;
    for (int c = 0; c < n; ++c) {
        if (c == idc || c == tc || ignored[std::size_t(c)])
            continue;
        if (gtc < 0 && !t.header.empty() && lower(trimmed(t.header[std::size_t(c)])) == "gt")
            gtc = c;
        else
            featureCols.push_back(c);
    }
    const int F = int(featureCols.size());
    if (F == 0)
        throw CsvError(t.file, firstLine(t), 0,
                       "no feature columns besides the sequence id and the target (expected at "
                       "least one)");

    std::unordered_map<std::string, std::size_t> seqIndex;
    std::vector<std::vector<std::size_t>> seqRows;
    SequenceData out;
    out.file = t.file;
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        const std::string id = trimmed(t.rows[r][std::size_t(idc)]);
        if (id.empty())
            throw CsvError(t.file, t.lines[r], idc + 1,
                           "empty sequence id (expected the id of the sequence this row belongs "
                           "to)");
        const auto [it, added] = seqIndex.emplace(id, seqRows.size());
        if (added) {
            seqRows.emplace_back();
            out.sequenceIds.push_back(id);
        }
        seqRows[it->second].push_back(r);
    }
    const std::size_t N = seqRows.size();
    const int T = int(seqRows.front().size());
    for (std::size_t s = 1; s < N; ++s)
        if (int(seqRows[s].size()) != T)
            throw CsvError(t.file, t.lines[seqRows[s].front()], idc + 1,
                           "sequence " + quoteCell(out.sequenceIds[s]) + " has " +
                               std::to_string(seqRows[s].size()) + " rows, expected " +
                               std::to_string(T) + " like sequence " +
                               quoteCell(out.sequenceIds[0]) + " (line " +
                               std::to_string(t.lines[seqRows[0].front()]) + ")");
    checkReferenceShape(t, ref, T, F);

    out.data.x.resize(Eigen::Index(N), Eigen::Index(T) * F);
    if (gtc >= 0)
        out.data.groundTruth.resize(Eigen::Index(N), T);
    std::vector<std::size_t> targetRows(N);
    for (std::size_t s = 0; s < N; ++s) {
        for (int step = 0; step < T; ++step) {
            const std::size_t r = seqRows[s][std::size_t(step)];
            for (int f = 0; f < F; ++f)
                out.data.x(Eigen::Index(s), Eigen::Index(step) * F + f) =
                    Scalar(number(t, r, featureCols[std::size_t(f)]));
            if (gtc >= 0)
                out.data.groundTruth(Eigen::Index(s), step) = Scalar(number(t, r, gtc));
        }
        // One target per sequence: the first non-empty cell; the others must agree or be empty.
        std::size_t chosen = t.rows.size();
        for (std::size_t r : seqRows[s]) {
            const std::string cell = trimmed(t.rows[r][std::size_t(tc)]);
            if (cell.empty())
                continue;
            if (chosen == t.rows.size()) {
                chosen = r;
                continue;
            }
            const std::string first = trimmed(t.rows[chosen][std::size_t(tc)]);
            const CellValue a = parseNumber(first, t.decimalComma());
            const CellValue b = parseNumber(cell, t.decimalComma());
            const bool same = a.kind == CellKind::Number && b.kind == CellKind::Number
                                  ? a.value == b.value
                                  : first == cell;
            if (!same)
                throw CsvError(t.file, t.lines[r], tc + 1,
                               "target " + quoteCell(cell) + " differs from " + quoteCell(first) +
                                   " on line " + std::to_string(t.lines[chosen]) +
                                   " of sequence " + quoteCell(out.sequenceIds[s]) +
                                   " (expected one target per sequence)");
        }
        if (chosen == t.rows.size())
            throw CsvError(t.file, t.lines[seqRows[s].front()], tc + 1,
                           "no target for sequence " + quoteCell(out.sequenceIds[s]) +
                               " (expected a value in this column on at least one of its rows)");
        targetRows[s] = chosen;
    }
    assignTarget(t, tc, targetRows, o.taskType, ref, out);
    checkEnoughSequences(t, o, int(N)); // after the cells: a bad cell is the first thing to fix
    for (std::size_t r : targetRows)
        out.lines.push_back(t.lines[r]);
    for (int c : featureCols)
        out.featureNames.push_back(columnName(t, c));
    finish(out, T, F);
    return out;
}

/// A date as a count of its unit: days for YYYY-MM-DD, months for YYYY-MM.
struct DateOrdinal {
    enum class Unit { None, Day, Month } unit = Unit::None;
    long value = 0;
};

DateOrdinal parseDate(std::string_view s)
{
    auto num = [&](std::size_t at, std::size_t len, int &v) {
        return std::from_chars(s.data() + at, s.data() + at + len, v).ptr == s.data() + at + len;
    };
    int y = 0, m = 0, d = 0;
    if (s.size() == 10 && s[4] == '-' && s[7] == '-' && num(0, 4, y) && num(5, 2, m) &&
        num(8, 2, d)) {
        const std::chrono::year_month_day ymd{std::chrono::year(y), std::chrono::month(unsigned(m)),
                                              std::chrono::day(unsigned(d))};
        if (ymd.ok())
            return {DateOrdinal::Unit::Day,
                    long(std::chrono::sys_days(ymd).time_since_epoch().count())};
    }
    if (s.size() == 7 && s[4] == '-' && num(0, 4, y) && num(5, 2, m) && m >= 1 && m <= 12)
        return {DateOrdinal::Unit::Month, long(y) * 12 + (m - 1)};
    return {};
}

/// Warnings for dates that skip steps, repeat or go back (the most common step is the norm).
void checkDates(const CsvTable &t, int dc, SequenceData &out)
{
    constexpr std::size_t kMaxWarnings = 20;
    const std::size_t R = t.rows.size();
    if (R < 3)
        return;
    std::vector<long> ord(R);
    DateOrdinal::Unit unit = DateOrdinal::Unit::None;
    for (std::size_t r = 0; r < R; ++r) {
        const DateOrdinal d = parseDate(trimmed(t.rows[r][std::size_t(dc)]));
        if (d.unit == DateOrdinal::Unit::None || (r > 0 && d.unit != unit))
            return; // not all ISO dates of one kind: nothing to check against
        unit = d.unit;
        ord[r] = d.value;
    }
    std::map<long, std::size_t> stepCount;
    for (std::size_t r = 1; r < R; ++r)
        ++stepCount[ord[r] - ord[r - 1]];
    const long step = std::max_element(stepCount.begin(), stepCount.end(), [](auto &a, auto &b) {
                          return a.second < b.second;
                      })->first;
    if (step <= 0)
        return;
    const std::string unitName = unit == DateOrdinal::Unit::Day ? "day" : "month";
    const std::string stepText =
        std::to_string(step) + " " + unitName + (step == 1 ? "" : "s");
    std::size_t more = 0;
    for (std::size_t r = 1; r < R; ++r) {
        const long d = ord[r] - ord[r - 1];
        if (d == step)
            continue;
        if (out.warnings.size() >= kMaxWarnings) {
            ++more;
            continue;
        }
        const std::string a = trimmed(t.rows[r - 1][std::size_t(dc)]);
        const std::string b = trimmed(t.rows[r][std::size_t(dc)]);
        std::string msg;
        if (d <= 0)
            msg = "date " + b + " does not come after " + a +
                  " (expected increasing dates; the windows follow the file order)";
        else if (d % step == 0)
            msg = "date gap: " + a + " is followed by " + b + ", " + std::to_string(d / step - 1) +
                  " step" + (d / step - 1 == 1 ? "" : "s") + " of " + stepText +
                  " missing (the windows treat the rows as consecutive)";
        else
            msg = "irregular date step: " + a + " is followed by " + b + " (expected steps of " +
                  stepText + ")";
        out.warnings.push_back(CsvError(t.file, t.lines[r], dc + 1, msg).what());
    }
    if (more > 0)
        out.warnings.push_back(t.file + ":0:0: " + std::to_string(more) +
                               " more irregular dates not listed");
}

SequenceData seriesLayout(const CsvTable &t, const CsvOptions &o, const SequenceData *ref)
{
    const int T = o.window;
    if (T < 1)
        throw std::invalid_argument("CsvOptions: the series layout needs a window T >= 1, got " +
                                    std::to_string(T));
    const int n = t.columns();
    const std::vector<bool> ignored = ignoredColumns(t, o);
    const int tc = resolveColumn(t, o.target, "target");
    int dc = resolveColumn(t, o.date, "date");
    if (dc >= 0 && dc == tc)
        throw CsvError(t.file, firstLine(t), dc + 1,
                       "the target column is also the date column (expected two different "
                       "columns)");
    if (o.date.kind == CsvColumn::Kind::Auto) {
        static const char *const kDateNames[] = {"date", "time", "timestamp", "datetime",
                                                 "month", "day", "period"};
        for (int c = 0; c < n && dc < 0 && !t.header.empty(); ++c)
            if (c != tc && !ignored[std::size_t(c)])
                for (const char *name : kDateNames)
                    if (lower(trimmed(t.header[std::size_t(c)])) == name)
                        dc = c;
        for (int c = 0; c < n && dc < 0; ++c)
            if (c != tc && !ignored[std::size_t(c)] &&
                parseNumber(t.rows.front()[std::size_t(c)], t.decimalComma()).kind ==
                    CellKind::Text)
                dc = c;
    }
    std::vector<int> valueCols; // the features, the target column among them
    for (int c = 0; c < n; ++c)
        if (c != dc && (c == tc || !ignored[std::size_t(c)]))
            valueCols.push_back(c);
    const int F = int(valueCols.size());
    checkReferenceShape(t, ref, T, F);

    const std::size_t R = t.rows.size();
    Mat values(Eigen::Index(R), F); // (R, F)
    for (std::size_t r = 0; r < R; ++r)
        for (int f = 0; f < F; ++f)
            values(Eigen::Index(r), f) = Scalar(number(t, r, valueCols[std::size_t(f)]));
    const std::size_t need = std::size_t(T) + std::size_t(std::max(1, o.minSequences));
    if (R < need) {
        const std::size_t windows = R > std::size_t(T) ? R - std::size_t(T) : 0;
        throw CsvError(t.file, t.lines.back(), 0,
                       "too few rows: " + std::to_string(R) + " rows make " + std::to_string(windows) +
                           (windows == 1 ? " window" : " windows") + " of " + std::to_string(T) +
                           " steps (expected at least " + std::to_string(need) + " rows)");
    }
    const std::size_t N = R - std::size_t(T);
    SequenceData out;
    out.file = t.file;
    out.data.x.resize(Eigen::Index(N), Eigen::Index(T) * F);
    std::vector<std::size_t> targetRows(N);
    for (std::size_t i = 0; i < N; ++i) {
        for (int step = 0; step < T; ++step)
            for (int f = 0; f < F; ++f)
                out.data.x(Eigen::Index(i), Eigen::Index(step) * F + f) =
                    values(Eigen::Index(i) + step, f);
        targetRows[i] = i + std::size_t(T);
    }
    const TaskType requested = o.taskType == TaskType::Auto ? TaskType::Regression : o.taskType;
    assignTarget(t, tc, targetRows, requested, ref, out);
    for (std::size_t r : targetRows) {
        out.lines.push_back(t.lines[r]);
        if (dc >= 0)
            out.dates.push_back(trimmed(t.rows[r][std::size_t(dc)]));
    }
    if (dc >= 0)
        checkDates(t, dc, out);
    for (int c : valueCols)
        out.featureNames.push_back(columnName(t, c));
    finish(out, T, F);
    return out;
}

} // namespace

CsvColumn CsvColumn::parse(const std::string &text)
{
    const std::string l = lower(text);
    if (l == "first")
        return first();
    if (l == "last")
        return last();
    int k = 0;
    const char *e = text.data() + text.size();
    if (!text.empty() && std::from_chars(text.data(), e, k).ptr == e && k >= 1)
        return at(k);
    return named(text);
}

SequenceData toSequences(const CsvTable &table, const CsvOptions &options,
                         const SequenceData *reference)
{
    // parseCsv never returns these; a hand-made table might.
    if (table.rows.empty())
        throw CsvError(table.file, table.headerLine, 0,
                       "header only: no data rows after the header (expected at least one row "
                       "of values)");
    const std::size_t width = std::size_t(table.columns());
    if (width == 0 || table.lines.size() != table.rows.size() ||
        std::any_of(table.rows.begin(), table.rows.end(),
                    [&](const std::vector<std::string> &r) { return r.size() != width; }))
        throw std::invalid_argument("toSequences: the table is not rectangular");
    switch (options.layout) {
    case CsvLayout::Wide: return wideLayout(table, options, reference, 1);
    case CsvLayout::WideMultivariate:
        return wideLayout(table, options, reference, options.features);
    case CsvLayout::Long: return longLayout(table, options, reference);
    case CsvLayout::Series: return seriesLayout(table, options, reference);
    }
    throw std::invalid_argument("CsvOptions: unknown layout");
}

SequenceData loadSequences(const std::string &path, const CsvOptions &options)
{
    return toSequences(readCsv(path, options), options);
}

SplitData loadSplit(const std::string &trainPath, const std::string &testPath,
                    const CsvOptions &options)
{
    SplitData split;
    split.train = loadSequences(trainPath, options);
    CsvOptions testOptions = options;
    testOptions.minSequences = 1;
    split.test = toSequences(readCsv(testPath, testOptions), testOptions, &split.train);
    return split;
}

CsvOptions ucrOptions()
{
    CsvOptions o;
    o.layout = CsvLayout::Wide;
    o.target = CsvColumn::first();
    o.header = CsvHeader::No;
    o.delimiter = CsvDelimiter::Auto;
    o.taskType = TaskType::Auto;
    return o;
}

std::string ucrTestPath(const std::string &trainPath)
{
    const std::size_t slash = trainPath.find_last_of('/');
    const std::size_t nameStart = slash == std::string::npos ? 0 : slash + 1;
    const std::size_t at = trainPath.rfind("_TRAIN");
    if (at == std::string::npos || at < nameStart)
        return {};
    return trainPath.substr(0, at) + "_TEST" + trainPath.substr(at + 6);
}

SplitData loadUcr(const std::string &trainPath, int minSequences)
{
    const std::string testPath = ucrTestPath(trainPath);
    if (testPath.empty())
        throw CsvError(trainPath, 0, 0,
                       "not a UCR training file name (expected NAME_TRAIN.txt or NAME_TRAIN.csv "
                       "beside NAME_TEST)");
    CsvOptions o = ucrOptions();
    o.minSequences = minSequences;
    return loadSplit(trainPath, testPath, o);
}

std::string describe(const SequenceData &d)
{
    std::string s = "N = " + std::to_string(d.samples) + ", T = " + std::to_string(d.steps) +
                    ", F = " + std::to_string(d.features) + "; " + toString(d.taskType);
    if (!d.classNames.empty()) {
        std::vector<std::string> items;
        for (std::size_t k = 0; k < d.classNames.size(); ++k)
            items.push_back((d.textClasses ? quoteCell(d.classNames[k]) : d.classNames[k]) + " (" +
                            std::to_string(d.classCounts[k]) + ")");
        s += ": " + joinList(items);
    }
    return s;
}

// ---------------------------------------------------------------------------------------------
// Standardizer

void Standardizer::fit(const ConstMatRef &x, int features)
{
    if (features < 1 || x.rows() == 0 || x.cols() == 0 || x.cols() % features != 0)
        throw ShapeError("Standardizer::fit: expected a non-empty (N, T*F) matrix with F = " +
                         std::to_string(features) + ", got " + std::to_string(x.rows()) + "x" +
                         std::to_string(x.cols()));
    const Eigen::Index F = features, T = x.cols() / features;
    const double count = double(x.rows()) * double(T);
    m_mean.assign(std::size_t(F), 0.0);
    m_scale.assign(std::size_t(F), 0.0);
    for (Eigen::Index f = 0; f < F; ++f) {
        double sum = 0;
        for (Eigen::Index r = 0; r < x.rows(); ++r)
            for (Eigen::Index t = 0; t < T; ++t)
                sum += double(x(r, t * F + f));
        const double mean = sum / count;
        double sq = 0; // two passes: no cancellation between sum of squares and mean^2
        for (Eigen::Index r = 0; r < x.rows(); ++r)
            for (Eigen::Index t = 0; t < T; ++t) {
                const double d = double(x(r, t * F + f)) - mean;
                sq += d * d;
            }
        const double sd = std::sqrt(sq / count);
        m_mean[std::size_t(f)] = mean;
        // A (near) constant feature keeps scale 1: dividing rounding noise by ~0 would blow it up.
        m_scale[std::size_t(f)] = sd <= kStdEpsilon * std::max(1.0, std::abs(mean)) ? 1.0 : sd;
    }
}

void Standardizer::setStatistics(std::vector<double> mean, std::vector<double> scale)
{
    if (mean.empty() || mean.size() != scale.size())
        throw ShapeError("Standardizer::setStatistics: " + std::to_string(mean.size()) +
                         " means and " + std::to_string(scale.size()) +
                         " scales (expected the same number, at least 1)");
    for (std::size_t f = 0; f < mean.size(); ++f)
        if (!std::isfinite(mean[f]) || !std::isfinite(scale[f]) || !(scale[f] > 0.0))
            throw ShapeError("Standardizer::setStatistics: feature " + std::to_string(f + 1) +
                             " has mean " + shortest(mean[f]) + " and scale " +
                             shortest(scale[f]) + " (expected finite numbers, scale > 0)");
    m_mean = std::move(mean);
    m_scale = std::move(scale);
}

void Standardizer::check(const ConstMatRef &x, const char *where) const
{
    if (!isFitted())
        throw ShapeError(std::string(where) + ": not fitted");
    if (x.cols() % features() != 0)
        throw ShapeError(std::string(where) + ": expected a multiple of " +
                         std::to_string(features()) + " columns, got " + std::to_string(x.cols()));
}

void Standardizer::transform(MatRef x) const
{
    check(x, "Standardizer::transform");
    const Eigen::Index F = features();
    for (Eigen::Index r = 0; r < x.rows(); ++r)
        for (Eigen::Index c = 0; c < x.cols(); ++c)
            x(r, c) = Scalar((double(x(r, c)) - m_mean[std::size_t(c % F)]) /
                             m_scale[std::size_t(c % F)]);
}

void Standardizer::inverseTransform(MatRef x) const
{
    check(x, "Standardizer::inverseTransform");
    const Eigen::Index F = features();
    for (Eigen::Index r = 0; r < x.rows(); ++r)
        for (Eigen::Index c = 0; c < x.cols(); ++c)
            x(r, c) = Scalar(double(x(r, c)) * m_scale[std::size_t(c % F)] +
                             m_mean[std::size_t(c % F)]);
}

Scaling fitScaling(const Dataset &train, TaskType type)
{
    Scaling s;
    s.input.fit(train.x, train.features);
    if (type == TaskType::Regression)
        s.target.fit(train.y, int(train.y.cols()));
    return s;
}

void applyScaling(const Scaling &s, Dataset &data)
{
    s.input.transform(data.x);
    if (s.target.isFitted())
        s.target.transform(data.y);
}

} // namespace attn
