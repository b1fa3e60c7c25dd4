// SPDX-License-Identifier: GPL-3.0-or-later
// Proof that a piece of code allocates nothing: a count of every global operator new (replaced
// here) plus Eigen's runtime malloc guard (EIGEN_RUNTIME_NO_MALLOC, an exception in the _f64
// libraries). Replaces operator new: include it in exactly one source file of a test executable.
#pragma once

#include <QTest>
#include <Eigen/Core>
#include <atomic>
#include <cstdlib>
#include <exception>
#include <functional>
#include <new>

namespace attn::test {
inline std::atomic<long> g_allocations{0};
} // namespace attn::test

void *operator new(std::size_t n)
{
    ++attn::test::g_allocations;
    if (void *p = std::malloc(n ? n : 1))
        return p;
    throw std::bad_alloc();
}
void operator delete(void *p) noexcept { std::free(p); }
void operator delete(void *p, std::size_t) noexcept { std::free(p); }

namespace attn::test {

/// Runs step() twice (after a warm-up the caller has done) with Eigen's malloc guard on and
/// verifies that no operator new ran.
inline void verifyNoAllocation(const std::function<void()> &step)
{
    const long before = g_allocations.load();
    Eigen::internal::set_is_malloc_allowed(false);
    try {
        step();
        step();
    } catch (const std::exception &e) {
        Eigen::internal::set_is_malloc_allowed(true);
        QFAIL(e.what());
    }
    Eigen::internal::set_is_malloc_allowed(true);
    QCOMPARE(g_allocations.load() - before, 0L);
}

} // namespace attn::test
