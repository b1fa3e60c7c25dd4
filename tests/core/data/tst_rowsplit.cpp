// SPDX-License-Identifier: GPL-3.0-or-later
// splitRows (core/data/rowsplit.h): stratified splits keep every class's share in both parts,
// a class too small for both parts is named, regression and chronological splits, bad input.
#include "core/data/rowsplit.h"

#include "core/tensor/errors.h"

#include <QTest>

#include <algorithm>
#include <set>

using namespace attn;

class TestRowSplit : public QObject {
    Q_OBJECT
private slots:
    void stratifiedKeepsClassShares();
    void smallClassIsNamed();
    void regressionShuffledAndChronological();
    void badInput();
};

namespace {

std::vector<int> countsOf(const std::vector<int> &rows, const std::vector<int> &labels, int classes)
{
    std::vector<int> c(std::size_t(classes), 0);
    for (int r : rows)
        ++c[std::size_t(labels[std::size_t(r)])];
    return c;
}

} // namespace

void TestRowSplit::stratifiedKeepsClassShares()
{
    // 24 of class 0, 26 of class 1 (GunPoint's training file), and a rare class of 5.
    std::vector<int> labels;
    for (int i = 0; i < 55; ++i)
        labels.push_back(i < 24 ? 0 : i < 50 ? 1 : 2);
    for (std::uint64_t seed : {1u, 7u, 99u}) {
        Rng rng(seed);
        const RowSplit s = splitRows(55, labels, {"a", "b", "c"}, 0.2, true, rng, "f.csv");
        // round(0.2 * n_c) of each class: 5, 5, 1; every row in exactly one part.
        QCOMPARE(countsOf(s.validation, labels, 3), (std::vector<int>{5, 5, 1}));
        QCOMPARE(countsOf(s.train, labels, 3), (std::vector<int>{19, 21, 4}));
        std::set<int> all(s.train.begin(), s.train.end());
        all.insert(s.validation.begin(), s.validation.end());
        QCOMPARE(all.size(), std::size_t(55));
        QVERIFY(s.warnings.empty());
    }
    Rng a(1), b(2);
    QVERIFY(splitRows(55, labels, {"a", "b", "c"}, 0.2, true, a, "f").validation !=
            splitRows(55, labels, {"a", "b", "c"}, 0.2, true, b, "f").validation);
}

void TestRowSplit::smallClassIsNamed()
{
    // Class "rare" has one row: it trains only, and the note names it with its counts.
    const std::vector<int> labels{0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    Rng rng(7);
    const RowSplit s = splitRows(10, labels, {"common", "rare"}, 0.2, true, rng, "d.csv");
    QCOMPARE(countsOf(s.validation, labels, 2), (std::vector<int>{2, 0}));
    QCOMPARE(s.warnings.size(), std::size_t(2));
    QCOMPARE(s.warnings[0], std::string("d.csv:0:0: class 'rare' has 1 training and 0 validation "
                                        "sequences: too few to appear in both parts"));
    QVERIFY(s.warnings[1].find("the validation part holds a single class") != std::string::npos);
    // A test file without a class says so.
    const auto missing = missingClassWarnings({0, 0, 0}, 3, {"common", "rare"}, "test", "t.csv");
    QCOMPARE(missing.size(), std::size_t(1));
    QCOMPARE(missing[0], std::string("t.csv:0:0: class 'rare' has no test sequence: the test "
                                     "accuracy says nothing about it"));
}

void TestRowSplit::regressionShuffledAndChronological()
{
    Rng rng(3);
    const RowSplit s = splitRows(10, {}, {}, 0.25, true, rng, "r.csv"); // round(2.5) = 3
    QCOMPARE(s.validation.size(), std::size_t(3));
    QCOMPARE(s.train.size(), std::size_t(7));
    Rng unused(3);
    const RowSplit c = splitRows(10, {}, {}, 0.25, false, unused, "r.csv");
    QCOMPARE(c.train, (std::vector<int>{0, 1, 2, 3, 4, 5, 6}));
    QCOMPARE(c.validation, (std::vector<int>{7, 8, 9}));
    // Two rows: one each, whatever the fraction.
    Rng r2(1);
    const RowSplit two = splitRows(2, {}, {}, 0.9, false, r2, "r.csv");
    QCOMPARE(two.train.size(), std::size_t(1));
    QCOMPARE(two.validation.size(), std::size_t(1));
}

void TestRowSplit::badInput()
{
    Rng rng(1);
    QVERIFY_THROWS_EXCEPTION(ConfigError, splitRows(1, {}, {}, 0.2, true, rng, "f"));
    QVERIFY_THROWS_EXCEPTION(ConfigError, splitRows(5, {}, {}, 1.0, true, rng, "f"));
    QVERIFY_THROWS_EXCEPTION(ConfigError, splitRows(3, {0, 1}, {"a", "b"}, 0.2, true, rng, "f"));
    QVERIFY_THROWS_EXCEPTION(ConfigError, splitRows(2, {0, 2}, {"a", "b"}, 0.2, true, rng, "f"));
}

QTEST_APPLESS_MAIN(TestRowSplit)
#include "tst_rowsplit.moc"
