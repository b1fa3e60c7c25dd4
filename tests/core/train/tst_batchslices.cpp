// SPDX-License-Identifier: GPL-3.0-or-later
// Tests of BatchSlices: the cut of a batch, the summed gradient of the slices against one
// model's forward and backward over the whole batch (double precision), short batches whose
// tail slices are empty, and the same numbers bit for bit on 1, 2 and 3 threads, for a step and
// for a whole Trainer epoch with dropout.
#include "core/train/batchslices.h"
#include "core/train/loss.h"
#include "core/train/trainer.h"

#include <QTest>
#include <numeric>

using namespace attn;

class TestBatchSlices : public QObject {
    Q_OBJECT
private slots:
    void sliceCountFollowsTheBatchOnly();
    void slicesCoverTheBatch();
    void summedGradientIsTheWholeBatchGradient_data();
    void summedGradientIsTheWholeBatchGradient();
    void evaluationMatchesTheMaster();
    void sameNumbersOnAnyThreadCount();
    void trainerEpochSameOnAnyThreadCount();
};

namespace {

std::shared_ptr<TaskData> addTask()
{
    Rng rng(11);
    return std::make_shared<TaskData>(makeAddTask(rng, {200, 100}));
}

ModelConfig smallAddModel(const TaskData &task, double dropout)
{
    ModelConfig m = task.model; // LSTM -> bahdanau -> Dense
    m.hidden = 6;
    m.attentionUnits = 5;
    m.dropout = dropout;
    m.steps = task.train.steps;
    return m;
}

double maxRelativeError(const Mat &a, const Mat &b)
{
    return (a - b).cwiseAbs().maxCoeff() / std::max(Scalar(1e-30), b.cwiseAbs().maxCoeff());
}

} // namespace

void TestBatchSlices::sliceCountFollowsTheBatchOnly()
{
    QCOMPARE(BatchSlices::sliceCount(1), 1);
    QCOMPARE(BatchSlices::sliceCount(31), 1);
    QCOMPARE(BatchSlices::sliceCount(32), 2);
    QCOMPARE(BatchSlices::sliceCount(63), 2);
    QCOMPARE(BatchSlices::sliceCount(64), 2);
    QCOMPARE(BatchSlices::sliceCount(100), 2); // not 3: two threads would share 67 / 33 rows
    QCOMPARE(BatchSlices::sliceCount(127), 2);
    QCOMPARE(BatchSlices::sliceCount(128), 4);
    QCOMPARE(BatchSlices::sliceCount(255), 4);
    QCOMPARE(BatchSlices::sliceCount(256), 8);
    QCOMPARE(BatchSlices::sliceCount(4096), BatchSlices::kMaxSlices);
}

void TestBatchSlices::slicesCoverTheBatch()
{
    auto task = addTask();
    Rng init(1);
    auto master = makeModel(smallAddModel(*task, 0.0), init, 2);
    BatchSlices slices(*master, task->train, task->loss, 130, 2, 3);
    QCOMPARE(slices.slices(), 4);
    QCOMPARE(slices.threads(), 2);
    int next = 0;
    for (int s = 0; s < slices.slices(); ++s) {
        QCOMPARE(slices.sliceBegin(s), next);
        QCOMPARE(slices.sliceRows(s), s < 2 ? 33 : 32); // the larger slices first
        next += slices.sliceRows(s);
    }
    QCOMPARE(next, 130);
    // More threads than slices: only as many as there are slices.
    QCOMPARE(BatchSlices(*master, task->train, task->loss, 40, 8, 3).threads(), 2);
}

void TestBatchSlices::summedGradientIsTheWholeBatchGradient_data()
{
    QTest::addColumn<int>("count");
    QTest::newRow("full batch of 64 (2 slices)") << 64;
    QTest::newRow("short batch, second slice partly filled") << 40;
    QTest::newRow("short batch, second slice empty") << 20;
}

void TestBatchSlices::summedGradientIsTheWholeBatchGradient()
{
    QFETCH(int, count);
    auto task = addTask();
    const ModelConfig config = smallAddModel(*task, 0.0);
    Rng initA(5), initB(5);
    auto master = makeModel(config, initA, 2);
    auto whole = makeModel(config, initB, 2); // the same weights, one model over `count` rows
    std::vector<int> rows(64);
    for (int i = 0; i < 64; ++i)
        rows[std::size_t(i)] = (i * 7) % 200;

    BatchSlices slices(*master, task->train, task->loss, 64, 2, 3);
    QCOMPARE(slices.slices(), 2);
    const double loss = slices.forwardBackward(rows.data(), count);

    const int T = task->train.steps;
    Mat x(Eigen::Index(T) * count, 1), y(count, 1), dPred(count, 1);
    gatherBatch(task->train, rows.data(), count, x, y);
    whole->resize(T, count);
    whole->zeroGrad();
    const Mat &pred = whole->forward(x, true);
    const double wholeLoss = lossWithGradient(task->loss, pred, y, dPred);
    whole->backward(x, dPred);

    QVERIFY2(std::abs(loss - wholeLoss) <= 1e-13 * std::abs(wholeLoss),
             qPrintable(QString("%1 vs %2").arg(loss, 0, 'g', 17).arg(wholeLoss, 0, 'g', 17)));
    const std::vector<ParamRef> a = master->params(), b = whole->params();
    for (std::size_t i = 0; i < a.size(); ++i) {
        const double err = maxRelativeError(*a[i].grad, *b[i].grad);
        QVERIFY2(err < 1e-12, qPrintable(QString("%1: %2").arg(a[i].name.c_str()).arg(err)));
    }
}

void TestBatchSlices::evaluationMatchesTheMaster()
{
    // The slices' evaluation forward passes use the master's current weights (a replica built
    // from another seed is overwritten) and give the master's own predictions and attention.
    auto task = addTask();
    const ModelConfig config = smallAddModel(*task, 0.5); // dropout must be off in evaluation
    Rng init(5);
    auto master = makeModel(config, init, 2);
    BatchSlices slices(*master, task->train, task->loss, 64, 2, 3);
    slices.evaluateBatch(task->validation, 10);
    const int T = task->train.steps;
    std::vector<int> rows(64);
    std::iota(rows.begin(), rows.end(), 10);
    Mat x(Eigen::Index(T) * 64, 1), y(64, 1);
    gatherBatch(task->validation, rows.data(), 64, x, y);
    master->resize(T, 64);
    const Mat &pred = master->forward(x, false);
    for (int s = 0; s < slices.slices(); ++s) {
        const int b = slices.sliceRows(s), first = slices.sliceBegin(s);
        QVERIFY(slices.targets(s) == y.middleRows(first, b));
        QVERIFY(maxRelativeError(slices.predictions(s), pred.middleRows(first, b)) < 1e-12);
        QVERIFY(maxRelativeError(slices.attention(s), master->attentionWeights().middleRows(first, b)) <
                1e-12);
    }
    QVERIFY_THROWS_EXCEPTION(ShapeError, slices.evaluateBatch(task->validation, 50)); // 50 + 64 > 100 rows
}

void TestBatchSlices::sameNumbersOnAnyThreadCount()
{
    auto task = addTask();
    const ModelConfig config = smallAddModel(*task, 0.3); // dropout: each slice its own masks
    std::vector<int> rows(130);
    std::iota(rows.begin(), rows.end(), 50);
    std::vector<std::vector<Mat>> grads;
    std::vector<double> losses;
    for (int threads : {1, 2, 3}) {
        Rng init(5);
        auto master = makeModel(config, init, 2);
        BatchSlices slices(*master, task->train, task->loss, 130, threads, 9); // 4 slices
        double loss = 0.0;
        for (int step = 0; step < 3; ++step) // the dropout streams move on with every step
            loss = slices.forwardBackward(rows.data(), step == 2 ? 70 : 130);
        losses.push_back(loss);
        grads.emplace_back();
        for (const ParamRef &p : master->params())
            grads.back().push_back(*p.grad);
    }
    for (std::size_t k = 1; k < grads.size(); ++k) {
        QCOMPARE(losses[k], losses[0]); // exactly
        for (std::size_t i = 0; i < grads[0].size(); ++i)
            QVERIFY(grads[k][i] == grads[0][i]);
    }
}

void TestBatchSlices::trainerEpochSameOnAnyThreadCount()
{
    auto task = addTask();
    const ModelConfig config = smallAddModel(*task, 0.2);
    std::vector<EpochSnapshot> snapshots;
    std::vector<std::vector<Mat>> weights;
    for (int threads : {1, 2}) {
        TrainConfig c{2, 64, 1e-2, 7, OptimizerKind::Adam};
        c.threads = threads;
        Trainer trainer(task, config, c);
        QCOMPARE(trainer.threads(), threads);
        QCOMPARE(trainer.batchSlices(), 2);
        trainer.trainEpoch();
        snapshots.push_back(*trainer.trainEpoch()); // 200 rows: 3 full batches and one of 8
        weights.emplace_back();
        for (const ParamRef &p : trainer.model().params())
            weights.back().push_back(*p.value);
    }
    QCOMPARE(snapshots[1].trainLoss, snapshots[0].trainLoss);
    QCOMPARE(snapshots[1].valLoss, snapshots[0].valLoss);
    for (std::size_t i = 0; i < weights[0].size(); ++i)
        QVERIFY(weights[1][i] == weights[0][i]);
}

QTEST_APPLESS_MAIN(TestBatchSlices)
#include "tst_batchslices.moc"
