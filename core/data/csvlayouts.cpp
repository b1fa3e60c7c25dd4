// SPDX-License-Identifier: GPL-3.0-or-later
// The CSV layouts: wide, wide multivariate, long (sequence-id column) and series (sliding windows
// with date-gap warnings), each from a CsvTable to SequenceData with the target from csvtarget.h.
#include "core/data/csvlayouts.h"

#include "core/data/csvcolumns.h"
#include "core/data/csvtarget.h"
#include "core/io/text.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <map>
#include <string>
#include <unordered_map>

namespace attn::csvdetail {

namespace {

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

void finish(SequenceData &out, int steps, int features)
{
    out.data.steps = steps;
    out.data.features = features;
    out.samples = int(out.data.x.rows());
    out.steps = steps;
    out.features = features;
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
        const DateOrdinal d = parseDate(trimmed(t.rows.text(r, dc)));
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
        const std::string a = trimmed(t.rows.text(r - 1, dc));
        const std::string b = trimmed(t.rows.text(r, dc));
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

} // namespace

SequenceData wideLayout(const CsvTable &t, const CsvOptions &o, const SequenceData *ref, int F)
{
    if (F < 1)
        throw ConfigError("CsvOptions: features must be >= 1, got " + std::to_string(F));
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
        throw ConfigError("CsvOptions: the long layout needs a sequence-id column");
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
        const std::string id = trimmed(t.rows.text(r, idc));
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
    // Sequences of unequal length are padded after their last row to the longest one (or to the
    // training file's T), with a padding mask (Dataset::mask), as Keras' pad_sequences + Masking.
    std::size_t longest = 0;
    for (std::size_t s = 0; s < N; ++s)
        if (seqRows[s].size() > seqRows[longest].size())
            longest = s;
    int T = int(seqRows[longest].size());
    if (ref && ref->steps > T && ref->features == F)
        T = ref->steps;
    else if (ref && ref->steps < T)
        throw CsvError(t.file, t.lines[seqRows[longest].front()], idc + 1,
                       "sequence " + quoteCell(out.sequenceIds[longest]) + " has " +
                           std::to_string(T) + " rows, more than the T = " +
                           std::to_string(ref->steps) + " steps of the training file " + ref->file);
    checkReferenceShape(t, ref, T, F);

    out.data.x = Mat::Zero(Eigen::Index(N), Eigen::Index(T) * F);
    if (gtc >= 0)
        out.data.groundTruth = Mat::Zero(Eigen::Index(N), T);
    bool padded = false;
    for (std::size_t s = 0; s < N; ++s)
        padded = padded || int(seqRows[s].size()) < T;
    if (padded) {
        out.data.mask = Mat::Zero(Eigen::Index(N), T);
        for (std::size_t s = 0; s < N; ++s)
            out.data.mask.row(Eigen::Index(s)).head(Eigen::Index(seqRows[s].size())).setOnes();
    }
    std::vector<std::size_t> targetRows(N);
    for (std::size_t s = 0; s < N; ++s) {
        for (int step = 0; step < int(seqRows[s].size()); ++step) {
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
            const std::string cell = trimmed(t.rows.text(r, tc));
            if (cell.empty())
                continue;
            if (chosen == t.rows.size()) {
                chosen = r;
                continue;
            }
            const std::string first = trimmed(t.rows.text(chosen, tc));
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

SequenceData seriesLayout(const CsvTable &t, const CsvOptions &o, const SequenceData *ref)
{
    const int T = o.window;
    if (T < 1)
        throw ConfigError("CsvOptions: the series layout needs a window T >= 1, got " +
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
                t.rows.kind(0, c) == CellKind::Text)
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
    out.lines.reserve(targetRows.size());
    for (std::size_t r : targetRows) {
        out.lines.push_back(t.lines[r]);
        if (dc >= 0)
            out.dates.push_back(trimmed(t.rows.text(r, dc)));
    }
    if (dc >= 0)
        checkDates(t, dc, out);
    for (int c : valueCols)
        out.featureNames.push_back(columnName(t, c));
    out.seriesFeature = int(std::find(valueCols.begin(), valueCols.end(), tc) - valueCols.begin());
    finish(out, T, F);
    return out;
}

} // namespace attn::csvdetail
