// SPDX-License-Identifier: GPL-3.0-or-later
// WorkerPool: one round of tasks per run(), handed out by a round counter under a mutex; the
// workers sleep on a condition variable between rounds.
#include "core/parallel/workerpool.h"

#include "core/tensor/errors.h"

#include <Eigen/Core>

#include <algorithm>

namespace attn {

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
        {
            std::lock_guard lock(m_mutex);
            m_tasks = tasks;
            m_pending = int(m_threads.size());
            ++m_round;
        }
        m_start.notify_all();
    }
    runTasks(0, tasks);
    if (!m_threads.empty()) {
        std::unique_lock lock(m_mutex);
        m_done.wait(lock, [this] { return m_pending == 0; });
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
        int tasks = 0;
        {
            std::unique_lock lock(m_mutex);
            m_start.wait(lock, [&] { return m_quit || m_round != seen; });
            if (m_quit)
                return;
            seen = m_round;
            tasks = m_tasks;
        }
        runTasks(thread, tasks);
        bool last = false;
        {
            std::lock_guard lock(m_mutex);
            last = --m_pending == 0;
        }
        if (last)
            m_done.notify_one();
    }
}

} // namespace attn
