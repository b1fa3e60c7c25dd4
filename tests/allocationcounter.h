// SPDX-License-Identifier: GPL-3.0-or-later
// Proof that a piece of code allocates nothing: a count of every global operator new (every form
// replaced here) plus Eigen's runtime malloc guard (EIGEN_RUNTIME_NO_MALLOC, an exception in the
// _f64 libraries). Replaces operator new and delete: include it in exactly one source file of a
// test executable.
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

/// Counts one allocation of n bytes aligned to align (0 = the default alignment) and returns
/// memory from malloc or aligned_alloc, so every replaced operator delete below frees it with free().
inline void *countedAllocation(std::size_t n, std::size_t align)
{
    ++g_allocations;
    n = n ? n : 1;
    if (align > __STDCPP_DEFAULT_NEW_ALIGNMENT__)
        return std::aligned_alloc(align, (n + align - 1) / align * align); // size: a multiple of align
    return std::malloc(n);
}
} // namespace attn::test

// Every form of the global operator new and delete is replaced together (plain, array, nothrow,
// aligned, sized), so no pair mixes this file's allocation with the library's deallocation
// (AddressSanitizer reports such a pair as alloc-dealloc-mismatch).
void *operator new(std::size_t n)
{
    if (void *p = attn::test::countedAllocation(n, 0))
        return p;
    throw std::bad_alloc();
}
void *operator new(std::size_t n, std::align_val_t a)
{
    if (void *p = attn::test::countedAllocation(n, std::size_t(a)))
        return p;
    throw std::bad_alloc();
}
void *operator new[](std::size_t n) { return operator new(n); }
void *operator new[](std::size_t n, std::align_val_t a) { return operator new(n, a); }
void *operator new(std::size_t n, const std::nothrow_t &) noexcept
{
    return attn::test::countedAllocation(n, 0);
}
void *operator new[](std::size_t n, const std::nothrow_t &) noexcept
{
    return attn::test::countedAllocation(n, 0);
}
void *operator new(std::size_t n, std::align_val_t a, const std::nothrow_t &) noexcept
{
    return attn::test::countedAllocation(n, std::size_t(a));
}
void *operator new[](std::size_t n, std::align_val_t a, const std::nothrow_t &) noexcept
{
    return attn::test::countedAllocation(n, std::size_t(a));
}
void operator delete(void *p) noexcept { std::free(p); }
void operator delete[](void *p) noexcept { std::free(p); }
void operator delete(void *p, std::size_t) noexcept { std::free(p); }
void operator delete[](void *p, std::size_t) noexcept { std::free(p); }
void operator delete(void *p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void *p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void *p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void *p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete(void *p, const std::nothrow_t &) noexcept { std::free(p); }
void operator delete[](void *p, const std::nothrow_t &) noexcept { std::free(p); }
void operator delete(void *p, std::align_val_t, const std::nothrow_t &) noexcept { std::free(p); }
void operator delete[](void *p, std::align_val_t, const std::nothrow_t &) noexcept { std::free(p); }

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
