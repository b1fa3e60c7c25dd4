// SPDX-License-Identifier: GPL-3.0-or-later
// One benchmark case in its own process, so that its peak memory is its own: the case runs in
// a forked child, sends its text result back through a pipe, and the parent reads the child's
// peak resident set from wait4's rusage (ru_maxrss). Linux/POSIX only (the benchmarks are).
#pragma once

#include <functional>
#include <string>

namespace attn::bench {

struct ChildResult {
    std::string output;   // what the function returned ("error: ..." if it threw)
    long peakRssKib = 0;  // the child's ru_maxrss (KiB): its peak resident set, which includes
                          // the pages it shared with the parent at fork (parentRssKib)
    long parentRssKib = 0; // the parent's VmRSS at the fork
    bool ok = false;      // the child exited with status 0
};

/// Runs fn in a forked child and returns its result and peak memory. Flushes stdout and
/// stderr first so that nothing buffered is written twice. Throws std::runtime_error if the
/// pipe or the fork fails.
ChildResult runInChild(const std::function<std::string()> &fn);

/// This process's current resident set in KiB (/proc/self/status VmRSS; 0 if unreadable).
long currentRssKib();

} // namespace attn::bench
