// SPDX-License-Identifier: GPL-3.0-or-later
// Tests of the Embedding layer: lookup by hand, Keras init range, double-precision
// finite-difference gradient check of the table (repeated ids accumulate), and rejection of bad
// shapes and ids with their exact messages.
#include "core/layers/embedding.h"
#include "tests/gradcheck.h"

#include <QTest>

using namespace attn;
using namespace attn::test;

class TestEmbedding : public QObject {
    Q_OBJECT
private slots:
    void lookupByHand();
    void kerasInit();
    void gradients_data();
    void gradients();
    void rejectsBadInput();
};

void TestEmbedding::lookupByHand()
{
    Rng rng(1);
    Embedding e(3, 2, rng); // V = 3: rows 0 (padding) .. 3
    e.params().weight << 0, 0.5, 1, 2, 3, 4, 5, 6;
    Mat ids(4, 1), out(4, 2);
    ids << 2, 0, 3, 2;
    e.forward(ids, out);
    Mat expected(4, 2);
    expected << 3, 4, 0, 0.5, 5, 6, 3, 4;
    QVERIFY(out == expected);
    QCOMPARE(e.vocabulary(), 3);
    QCOMPARE(e.dim(), 2);
}

void TestEmbedding::kerasInit()
{
    Rng rng(4);
    Embedding e(500, 32, rng);
    QCOMPARE(e.params().weight.rows(), Eigen::Index(501));
    QVERIFY(e.params().weight.cwiseAbs().maxCoeff() <= 0.05);
    QVERIFY(e.params().weight.cwiseAbs().maxCoeff() > 0.049); // really spans U(-0.05, 0.05)
    QVERIFY(std::abs(e.params().weight.mean()) < 0.002);
}

void TestEmbedding::gradients_data()
{
    QTest::addColumn<int>("vocabulary");
    QTest::addColumn<int>("dim");
    QTest::addColumn<int>("rows");
    QTest::newRow("V1 E1 N1") << 1 << 1 << 1;
    QTest::newRow("V4 E3 N12 (ids repeat)") << 4 << 3 << 12;
    QTest::newRow("V9 E5 N6") << 9 << 5 << 6;
}

void TestEmbedding::gradients()
{
    QFETCH(int, vocabulary);
    QFETCH(int, dim);
    QFETCH(int, rows);
    Rng rng(7);
    Embedding e(vocabulary, dim, rng);
    Mat ids(rows, 1);
    for (int n = 0; n < rows; ++n)
        ids(n, 0) = Scalar(rng.below(std::uint64_t(vocabulary) + 1));
    Mat w = randomMat(rows, dim, rng), out(rows, dim);
    auto loss = [&] {
        e.forward(ids, out);
        return weightedSum(out, w);
    };
    loss();
    e.zeroGrad();
    e.backward(ids, w);
    e.backward(ids, w); // accumulates: twice the gradient
    std::vector<ParamRef> ps;
    e.appendParams("embedding", ps);
    QCOMPARE(ps.size(), std::size_t(1));
    QCOMPARE(ps[0].name, std::string("embedding.weight"));
    const Mat numeric = numericGradient(*ps[0].value, loss);
    const double err = relativeError(*ps[0].grad, Mat(2 * numeric));
    QVERIFY2(err < 1e-6, ("relative error " + std::to_string(err)).c_str());
    // Rows no id selects get exactly zero gradient.
    for (int v = 0; v <= vocabulary; ++v)
        if (!(ids.array() == Scalar(v)).any())
            QCOMPARE(ps[0].grad->row(v).cwiseAbs().sum(), 0.0);
}

void TestEmbedding::rejectsBadInput()
{
    Rng rng(1);
    Embedding e(3, 2, rng);
    Mat ids(2, 1), out(2, 2);
    ids << 1, 4;
    try {
        e.forward(ids, out);
        QFAIL("id 4 > V = 3 must be rejected");
    } catch (const DataError &err) {
        QCOMPARE(std::string(err.what()),
                 std::string("Embedding::forward: row 1 holds token id 4.000000, expected a whole "
                             "number in 0..3"));
    }
    ids << 1, 1.5;
    QVERIFY_THROWS_EXCEPTION(DataError, e.forward(ids, out));
    ids << -1, 1;
    QVERIFY_THROWS_EXCEPTION(DataError, e.forward(ids, out));
    Mat twoCols(2, 2), outBad(3, 2);
    QVERIFY_THROWS_EXCEPTION(ShapeError, e.forward(twoCols, out));
    ids << 1, 2;
    QVERIFY_THROWS_EXCEPTION(ShapeError, e.forward(ids, outBad));
    QVERIFY_THROWS_EXCEPTION(ConfigError, Embedding(0, 2, rng));
    QVERIFY_THROWS_EXCEPTION(ConfigError, Embedding(3, 0, rng));
}

QTEST_APPLESS_MAIN(TestEmbedding)
#include "tst_embedding.moc"
