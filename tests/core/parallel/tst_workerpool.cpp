// SPDX-License-Identifier: GPL-3.0-or-later
// Tests of WorkerPool: every task runs exactly once per round, on thread task mod threads (the
// caller being thread 0), rounds repeat, an error of the lowest-numbered failing task reaches
// the caller after every task has finished, and bad arguments are refused.
#include "core/parallel/workerpool.h"
#include "core/tensor/errors.h"

#include <QTest>
#include <atomic>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using namespace attn;

class TestWorkerPool : public QObject {
    Q_OBJECT
private slots:
    void everyTaskRunsOnceOnItsThread_data();
    void everyTaskRunsOnceOnItsThread();
    void tasksRunAtTheSameTime();
    void lowestFailingTaskIsRethrown();
    void rejectsBadArguments();
};

void TestWorkerPool::everyTaskRunsOnceOnItsThread_data()
{
    QTest::addColumn<int>("threads");
    QTest::addColumn<int>("tasks");
    QTest::newRow("1 thread, 5 tasks") << 1 << 5;
    QTest::newRow("2 threads, 5 tasks") << 2 << 5;
    QTest::newRow("3 threads, 2 tasks") << 3 << 2;
    QTest::newRow("4 threads, 0 tasks") << 4 << 0;
}

void TestWorkerPool::everyTaskRunsOnceOnItsThread()
{
    QFETCH(int, threads);
    QFETCH(int, tasks);
    std::vector<std::atomic<int>> runs(8);
    std::vector<std::thread::id> ranOn(8);
    WorkerPool pool(threads, [&](int task) {
        ++runs[std::size_t(task)];
        ranOn[std::size_t(task)] = std::this_thread::get_id();
    });
    QCOMPARE(pool.threads(), threads);
    for (int round = 1; round <= 50; ++round) {
        pool.run(tasks);
        for (int i = 0; i < 8; ++i)
            QCOMPARE(runs[std::size_t(i)].load(), i < tasks ? round : 0);
    }
    // Tasks with the same number mod threads share a thread; the caller runs task 0.
    for (int i = 0; i < tasks; ++i) {
        QVERIFY((ranOn[std::size_t(i)] == std::this_thread::get_id()) == (i % threads == 0));
        for (int j = 0; j < tasks; ++j)
            QCOMPARE(ranOn[std::size_t(i)] == ranOn[std::size_t(j)], i % threads == j % threads);
    }
}

void TestWorkerPool::tasksRunAtTheSameTime()
{
    // Each of the two tasks waits for the other to start: this only finishes if both run at
    // once, on two threads.
    std::atomic<int> started{0};
    WorkerPool pool(2, [&](int) {
        ++started;
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        while (started.load() < 2 && std::chrono::steady_clock::now() < deadline)
            std::this_thread::yield();
        if (started.load() < 2)
            throw std::runtime_error("the other task never started");
    });
    pool.run(2);
    QCOMPARE(started.load(), 2);
}

void TestWorkerPool::lowestFailingTaskIsRethrown()
{
    std::atomic<int> finished{0};
    WorkerPool pool(2, [&](int task) {
        if (task == 3 || task == 4)
            throw std::runtime_error("task " + std::to_string(task));
        ++finished;
    });
    try {
        pool.run(6);
        QFAIL("no exception");
    } catch (const std::runtime_error &e) {
        QCOMPARE(std::string(e.what()), std::string("task 3"));
    }
    // Thread 0 ran 0 and 2 and stopped at 4; thread 1 ran 1 and stopped at 3.
    QCOMPARE(finished.load(), 3);
    finished = 0;
    pool.run(3); // the pool is usable again, without the old error
    QCOMPARE(finished.load(), 3);
}

void TestWorkerPool::rejectsBadArguments()
{
    QVERIFY_THROWS_EXCEPTION(ConfigError, WorkerPool(0, [](int) {}));
    QVERIFY_THROWS_EXCEPTION(ConfigError, WorkerPool(2, WorkerPool::Job{}));
    QCOMPARE(WorkerPool::resolveThreads(3), 3);
    QVERIFY(WorkerPool::resolveThreads(0) >= 1);
}

QTEST_APPLESS_MAIN(TestWorkerPool)
#include "tst_workerpool.moc"
