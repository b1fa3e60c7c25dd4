// SPDX-License-Identifier: GPL-3.0-or-later
// The CSV import's entry points: task type and layout names, CsvColumn::parse, toSequences
// (dispatching to the layouts in core/data/csvlayouts.cpp), loadSequences and describe. The parts:
// csvcolumns, csvtarget, csvlayouts, ucrpairs.cpp, standardizer.cpp.
#include "core/data/sequencecsv.h"

#include "core/data/csvcolumns.h"
#include "core/data/csvlayouts.h"

#include <algorithm>
#include <charconv>

namespace attn {

using csvdetail::joinList;
using csvdetail::lower;

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
        std::size_t(table.rows.columns()) != width)
        throw std::invalid_argument("toSequences: the table is not rectangular");
    switch (options.layout) {
    case CsvLayout::Wide: return csvdetail::wideLayout(table, options, reference, 1);
    case CsvLayout::WideMultivariate:
        return csvdetail::wideLayout(table, options, reference, options.features);
    case CsvLayout::Long: return csvdetail::longLayout(table, options, reference);
    case CsvLayout::Series: return csvdetail::seriesLayout(table, options, reference);
    }
    throw ConfigError("CsvOptions: unknown layout");
}

SequenceData loadSequences(const std::string &path, const CsvOptions &options)
{
    return toSequences(readCsv(path, options), options);
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

} // namespace attn
