// SPDX-License-Identifier: GPL-3.0-or-later
// A fixed set of threads that runs one job over numbered tasks, round after round, without
// allocating, spinning briefly between close rounds: the training step's batch slices
// (core/train/batchslices.h). Task i always runs on thread i mod threads(), the caller being
// thread 0; every task writes only its own buffers, so no thread changes a result.
#pragma once

#include <atomic>
#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace attn {

class WorkerPool {
public:
    using Job = std::function<void(int task)>;

    /// Starts threads - 1 worker threads (the caller of run() is the first thread). job is
    /// called as job(task) from run(); it must not call run() itself. Throws ConfigError for
    /// threads < 1 or an empty job; std::system_error if a thread cannot be started.
    WorkerPool(int threads, Job job);
    /// Joins every worker thread.
    ~WorkerPool();
    WorkerPool(const WorkerPool &) = delete;
    WorkerPool &operator=(const WorkerPool &) = delete;

    /// Runs job(0), ..., job(tasks - 1): task i on thread i mod threads(), and returns when all
    /// have finished. If tasks throw, rethrows the exception of the lowest-numbered one after
    /// every task has finished. Allocates nothing (unless a task throws). tasks >= 0.
    void run(int tasks);
    int threads() const { return int(m_threads.size()) + 1; }

    /// The threads a run uses when asked for `requested`: requested if >= 1, else the number of
    /// hardware threads (at least 1).
    static int resolveThreads(int requested);

private:
    void stop();
    void work(int thread);
    /// Runs thread's tasks (thread, thread + threads(), ...) of the current round.
    void runTasks(int thread, int tasks);

    Job m_job;
    std::vector<std::thread> m_threads;    // the workers: threads 1 .. threads()-1
    // (threads()) the first error among each thread's tasks of the round, and that task's number
    std::vector<std::exception_ptr> m_errors;
    std::vector<int> m_errorTasks;
    std::mutex m_mutex;
    std::condition_variable m_start;   // a new round (m_round) or the end (m_quit)
    std::condition_variable m_done;    // m_pending reached 0
    std::atomic<long long> m_round{0}; // rounds started; a worker runs each once
    int m_tasks = 0;                   // of the current round, written before m_round moves
    std::atomic<int> m_pending{0};     // workers still running the current round
    std::atomic<bool> m_quit{false};
};

} // namespace attn
