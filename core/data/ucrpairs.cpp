// SPDX-License-Identifier: GPL-3.0-or-later
// Published train/test pairs: the test file read against the training file (same task type,
// classes and shape), and the UCR archive's NAME_TRAIN / NAME_TEST files and reading options.
#include "core/data/sequencecsv.h"

#include <cmath>

namespace attn {

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

bool firstColumnHoldsLabels(const std::string &path)
{
    CsvTable t;
    try {
        t = readCsv(path, ucrOptions());
    } catch (const CsvError &) {
        return false; // the real read will say what is wrong
    }
    if (t.rows.empty() || t.columns() < 2)
        return false;
    bool otherFractional = false;
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        CsvNumber v{};
        if (!t.rows.number(r, 0, v) || double(v) != std::floor(double(v)))
            return false;
        for (int c = 1; c < t.columns() && !otherFractional; ++c)
            if (CsvNumber w{}; t.rows.number(r, c, w) && double(w) != std::floor(double(w)))
                otherFractional = true;
    }
    return otherFractional;
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

} // namespace attn
