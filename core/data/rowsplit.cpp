// SPDX-License-Identifier: GPL-3.0-or-later
// splitRows: seeded, stratified or chronological training / validation splits.
#include "core/data/rowsplit.h"

#include "core/tensor/errors.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace attn {

namespace {

void shuffleRows(std::vector<int> &order, Rng &rng)
{
    for (std::size_t i = order.size(); i-- > 1;) // Fisher-Yates with the caller's seeded stream
        std::swap(order[i], order[std::size_t(rng.below(std::uint64_t(i) + 1))]);
}

std::string classNote(const std::string &file, const std::string &name, int train, int validation)
{
    return file + ":0:0: class '" + name + "' has " + std::to_string(train) +
           " training and " + std::to_string(validation) + " validation sequences";
}

} // namespace

std::vector<std::string> missingClassWarnings(const std::vector<int> &labels, int rows,
                                              const std::vector<std::string> &classNames,
                                              const std::string &part, const std::string &file)
{
    std::vector<int> counts(classNames.size(), 0);
    for (int r = 0; r < rows && r < int(labels.size()); ++r)
        if (labels[std::size_t(r)] >= 0 && labels[std::size_t(r)] < int(counts.size()))
            ++counts[std::size_t(labels[std::size_t(r)])];
    std::vector<std::string> out;
    for (std::size_t c = 0; c < counts.size(); ++c)
        if (counts[c] == 0)
            out.push_back(file + ":0:0: class '" + classNames[c] + "' has no " + part +
                          " sequence: the " + part + " accuracy says nothing about it");
    return out;
}

RowSplit splitRows(int n, const std::vector<int> &labels, const std::vector<std::string> &classNames,
                   double fraction, bool shuffle, Rng &rng, const std::string &file)
{
    if (n < 2)
        throw ConfigError("splitRows: " + std::to_string(n) + " rows cannot give a training and a validation part");
    if (!(fraction > 0.0 && fraction < 1.0))
        throw ConfigError("splitRows: the validation fraction must be in (0, 1), got " + std::to_string(fraction));
    if (!labels.empty() && int(labels.size()) != n)
        throw ConfigError("splitRows: " + std::to_string(labels.size()) + " labels for " + std::to_string(n) + " rows");
    const int classes = int(classNames.size());
    for (int c : labels)
        if (c < 0 || c >= classes)
            throw ConfigError("splitRows: class index " + std::to_string(c) + " outside 0.." +
                              std::to_string(classes - 1));

    std::vector<int> order(static_cast<std::size_t>(n));
    std::iota(order.begin(), order.end(), 0);
    RowSplit split;
    if (!labels.empty()) {
        shuffleRows(order, rng);
        std::vector<int> size(std::size_t(classes), 0), taken(std::size_t(classes), 0);
        for (int c : labels)
            ++size[std::size_t(c)];
        std::vector<int> quota(std::size_t(classes), 0);
        int total = 0;
        for (int c = 0; c < classes; ++c) {
            const int nc = size[std::size_t(c)];
            quota[std::size_t(c)] = nc >= 2 ? std::clamp(int(std::lround(fraction * nc)), 1, nc - 1) : 0;
            total += quota[std::size_t(c)];
        }
        if (total > 0) {
            for (int r : order) { // shuffled order kept within each part
                const std::size_t c = std::size_t(labels[std::size_t(r)]);
                if (taken[c] < quota[c]) {
                    ++taken[c];
                    split.validation.push_back(r);
                } else {
                    split.train.push_back(r);
                }
            }
            int present = 0;
            for (int c = 0; c < classes; ++c) {
                const int v = quota[std::size_t(c)], t = size[std::size_t(c)] - v;
                present += v > 0 ? 1 : 0;
                if (size[std::size_t(c)] > 0 && (v == 0 || t == 0))
                    split.warnings.push_back(classNote(file, classNames[std::size_t(c)], t, v) +
                                             ": too few to appear in both parts");
            }
            if (present == 1 && classes > 1)
                split.warnings.push_back(file + ":0:0: the validation part holds a single class: "
                                                "its accuracy says nothing about the others");
            return split;
        }
        // Every class has one row: no stratification is possible; fall through, unshuffled order
        // replaced by the shuffled one.
    } else if (shuffle) {
        shuffleRows(order, rng);
    }
    const int nVal = std::clamp(int(std::lround(fraction * n)), 1, n - 1);
    if (shuffle || !labels.empty()) {
        split.validation.assign(order.begin(), order.begin() + nVal);
        split.train.assign(order.begin() + nVal, order.end());
    } else {
        split.train.assign(order.begin(), order.end() - nVal);
        split.validation.assign(order.end() - nVal, order.end());
    }
    return split;
}

} // namespace attn
