// SPDX-License-Identifier: GPL-3.0-or-later
// Proves a training step allocates nothing once the model is built: Eigen's runtime malloc
// guard (EIGEN_RUNTIME_NO_MALLOC, turned into an exception in attn_core_f64) plus a count of
// every global operator new during the step.
#include "core/trainer.h"

#include <QTest>
#include <atomic>
#include <cstdlib>
#include <new>

namespace {
std::atomic<long> g_allocations{0};
}

void *operator new(std::size_t n)
{
    ++g_allocations;
    if (void *p = std::malloc(n ? n : 1))
        return p;
    throw std::bad_alloc();
}
void operator delete(void *p) noexcept { std::free(p); }
void operator delete(void *p, std::size_t) noexcept { std::free(p); }

using namespace attn;

class TestNoAlloc : public QObject {
    Q_OBJECT
private slots:
    void trainingStepDoesNotAllocate_data();
    void trainingStepDoesNotAllocate();
};

void TestNoAlloc::trainingStepDoesNotAllocate_data()
{
    QTest::addColumn<QString>("attention");
    QTest::addColumn<double>("dropout");
    QTest::newRow("luong + dropout") << "luong" << 0.2;
    QTest::newRow("luong-dot") << "luong-dot" << 0.0;
    QTest::newRow("bahdanau") << "bahdanau" << 0.2;
}

void TestNoAlloc::trainingStepDoesNotAllocate()
{
    QFETCH(QString, attention);
    QFETCH(double, dropout);
    Rng rng(1);
    // The published add model at its real size (large GEMMs included).
    auto task = std::make_shared<TaskData>(makeAddTask(rng, {256, 64}));
    ModelConfig m = task->model;
    m.attention = *attentionKindFromString(attention.toStdString());
    m.dropout = dropout;
    Trainer trainer(task, m, TrainConfig{1, 64, 1e-3, 7, OptimizerKind::Adam});
    std::vector<int> rows(64);
    for (int i = 0; i < 64; ++i)
        rows[std::size_t(i)] = (i * 3) % 256;
    trainer.trainStep(rows.data()); // warm-up: workspaces sized here

    const long before = g_allocations.load();
    Eigen::internal::set_is_malloc_allowed(false);
    try {
        trainer.trainStep(rows.data());
        trainer.trainStep(rows.data());
    } catch (const std::exception &e) {
        Eigen::internal::set_is_malloc_allowed(true);
        QFAIL(e.what());
    }
    Eigen::internal::set_is_malloc_allowed(true);
    QCOMPARE(g_allocations.load() - before, 0L);
}

QTEST_APPLESS_MAIN(TestNoAlloc)
#include "tst_noalloc.moc"
