// SPDX-License-Identifier: GPL-3.0-or-later
// WorkerPool: one round of tasks per run(), announced by a round counter. Rounds come every
// millisecond or so within a training step, and waking a sleeping thread costs tens of
// microseconds on a VM, so a thread waiting for the next round or for the others first spins
// for up to kSpin, then sleeps on a condition variable.
#include "core/parallel/workerpool.h"

#include "core/tensor/errors.h"

#include <Eigen/Core>

#include <algorithm>
#include <chrono>
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace attn {

namespace {

constexpr auto kSpin = std::chrono::microseconds(200);

void cpuRelax()
{
#if defined(__x86_64__) || defined(__i386__)
    _mm_pause(); // tells the core this is a spin loop (less power, no memory-order stall)
#else
    std::this_thread::yield();
#endif
}

/// Spins until done() or kSpin has passed; returns done().
template <class Done>
bool spinUntil(const Done &done)
{
    const auto end = std::chrono::steady_clock::now() + kSpin;
    for (int i = 0;; ++i) {
        if (done())
            return true;
        cpuRelax();
        if ((i & 63) == 63 && std::chrono::steady_clock::now() >= end)
            return done();
    }
}

} // namespace

WorkerPool::WorkerPool(int threads, Job job) : m_job(std::move(job))
{
    if (threads < 1)
        throw ConfigError("WorkerPool: threads must be >= 1, got " + std::to_string(threads));
    if (!m_job)
        throw ConfigError("WorkerPool: no job");
    Eigen::initParallel(); // Eigen's static state is set up before a second thread calls it
    m_errors.resize(std::size_t(threads));
    m_errorTasks.resize(std::size_t(threads), 0);
    m_threads.reserve(std::size_t(threads - 1));
    try {
        for (int t = 1; t < threads; ++t)
            m_threads.emplace_back([this, t] { work(t); });
    } catch (...) {
        stop(); // joins the threads already started
        throw;
    }
}

WorkerPool::~WorkerPool() { stop(); }

void WorkerPool::stop()
{
    {
        std::lock_guard lock(m_mutex);
        m_quit = true;
    }
    m_start.notify_all();
    for (std::thread &t : m_threads)
        if (t.joinable())
            t.join();
}

int WorkerPool::resolveThreads(int requested)
{
    if (requested >= 1)
        return requested;
    return std::max(1, int(std::thread::hardware_concurrency()));
}

void WorkerPool::runTasks(int thread, int tasks)
{
    m_errors[std::size_t(thread)] = nullptr;
    for (int task = thread; task < tasks; task += threads()) {
        try {
            m_job(task);
        } catch (...) {
            m_errors[std::size_t(thread)] = std::current_exception();
            m_errorTasks[std::size_t(thread)] = task;
            return; // this thread's later tasks have higher numbers: the lowest is kept
        }
    }
}

void WorkerPool::run(int tasks)
{
    if (tasks <= 0)
        return;
    if (!m_threads.empty()) {
        m_tasks = tasks;
        m_pending.store(int(m_threads.size()), std::memory_order_relaxed);
        {
            // Under the mutex, so a worker that has just found no new round cannot miss it
            // between that check and its wait.
            std::lock_guard lock(m_mutex);
            m_round.fetch_add(1, std::memory_order_release);
        }
        m_start.notify_all();
    }
    runTasks(0, tasks);
    if (!m_threads.empty()) {
        const auto allDone = [this] { return m_pending.load(std::memory_order_acquire) == 0; };
        if (!spinUntil(allDone)) {
            std::unique_lock lock(m_mutex);
            m_done.wait(lock, allDone);
        }
    }
    int first = -1;
    for (std::size_t t = 0; t < m_errors.size(); ++t)
        if (m_errors[t] && (first < 0 || m_errorTasks[t] < m_errorTasks[std::size_t(first)]))
            first = int(t);
    if (first >= 0) {
        std::exception_ptr e = m_errors[std::size_t(first)];
        for (std::exception_ptr &p : m_errors)
            p = nullptr;
        std::rethrow_exception(e);
    }
}

void WorkerPool::work(int thread)
{
    long long seen = 0;
    for (;;) {
        const auto newRound = [&] {
            return m_round.load(std::memory_order_acquire) != seen ||
                   m_quit.load(std::memory_order_relaxed);
        };
        if (!spinUntil(newRound)) {
            std::unique_lock lock(m_mutex);
            m_start.wait(lock, [&] { return m_quit || m_round.load() != seen; });
        }
        if (m_quit.load())
            return;
        seen = m_round.load(std::memory_order_acquire);
        runTasks(thread, m_tasks);
        if (m_pending.fetch_sub(1, std::memory_order_acq_rel) == 1) {
            // The last worker: the mutex orders this with the caller's check before its wait.
            { std::lock_guard lock(m_mutex); }
            m_done.notify_one();
        }
    }
}

} // namespace attn
