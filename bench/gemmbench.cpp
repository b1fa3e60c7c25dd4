// SPDX-License-Identifier: GPL-3.0-or-later
// Eigen's GEMM throughput at a recurrent layer's shapes (gemmbench.h).
#include "bench/gemmbench.h"

#include "core/tensor/tensor.h"

#include <chrono>
#include <cstdio>
#include <utility>

namespace attn::bench {

namespace {

using Clock = std::chrono::steady_clock;
using Eigen::Index;

// The recurrent products of one batch: u_t += h_{t-1} W_hh^T for t = 1..T-1.
[[gnu::noinline]] void gemmRecurrentForward(MatRef z, MatRef h, const Mat &weightHh, Index steps,
                                            Index batch)
{
    for (Index t = 1; t < steps; ++t) {
        MatRef zt = z.middleRows(t * batch, batch); // (B, GH)
        zt.noalias() += h.middleRows((t - 1) * batch, batch) * weightHh.transpose();
    }
}

// The backward's dh_prev products of one batch: dhPrev = du_t W_hh for t = T-1..1.
[[gnu::noinline]] void gemmRecurrentBackward(Mat &dGates, Mat &dhPrev, const Mat &weightHh,
                                             Index steps, Index batch)
{
    for (Index t = steps - 1; t > 0; --t) {
        MatRef du = dGates.middleRows(t * batch, batch); // (B, GH)
        dhPrev.noalias() = du * weightHh;
    }
}

// The recurrent weight gradient of one batch: dW_hh += du[B:]^T h[:-B].
[[gnu::noinline]] void gemmWeightGradient(Mat &gradHh, const Mat &dGates, const ConstMatRef &h,
                                          Index steps, Index batch)
{
    const Index TB = steps * batch;
    gradHh.noalias() += dGates.bottomRows(TB - batch).transpose() * h.topRows(TB - batch);
}

// Runs op (one training batch's worth of one shape) a few times to warm up, then until
// targetSeconds have passed.
template <typename Op>
GemmResult timeGemm(std::string name, std::string shape, double flopsPerBatch, double targetSeconds,
                    Op &&op)
{
    for (int k = 0; k < 3; ++k)
        op();
    GemmResult r{std::move(name), std::move(shape), flopsPerBatch, 0, 0.0};
    const auto t0 = Clock::now();
    do {
        op();
        ++r.reps;
        r.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    } while (r.seconds < targetSeconds);
    return r;
}

} // namespace

std::vector<GemmResult> benchGemm(int steps, int batch, int hidden, int gates, double targetSeconds)
{
    const Index T = steps, B = batch, H = hidden, G = gates, TB = T * B;
    Mat z = Mat::Random(TB, G * H) * Scalar(0.1);
    Mat hs = Mat::Random(TB, H);
    Mat weightHh = Mat::Random(G * H, H) * Scalar(0.1);
    Mat dGates = Mat::Random(TB, G * H);
    Mat dhPrev = Mat::Zero(B, H);
    Mat gradHh = Mat::Zero(G * H, H);
    const double t1 = double(T - 1), b = double(B), h = double(H), g = double(G);
    // The shapes as text, e.g. "(64x100)(100x400) x19".
    char fwd[96], bwd[96], wgrad[96];
    std::snprintf(fwd, sizeof fwd, "(%ldx%ld)(%ldx%ld) x%ld", long(B), long(H), long(H),
                  long(G * H), long(T - 1));
    std::snprintf(bwd, sizeof bwd, "(%ldx%ld)(%ldx%ld) x%ld", long(B), long(G * H), long(G * H),
                  long(H), long(T - 1));
    std::snprintf(wgrad, sizeof wgrad, "(%ldx%ld)(%ldx%ld)", long(G * H), long((T - 1) * B),
                  long((T - 1) * B), long(H));

    std::vector<GemmResult> out;
    out.push_back(timeGemm("recurrent fwd  h W_hh^T", fwd, 2 * t1 * b * h * g * h, targetSeconds,
                           [&] { gemmRecurrentForward(z, hs, weightHh, T, B); }));
    out.push_back(timeGemm("recurrent bwd  du W_hh", bwd, 2 * t1 * b * g * h * h, targetSeconds,
                           [&] { gemmRecurrentBackward(dGates, dhPrev, weightHh, T, B); }));
    out.push_back(timeGemm("weight grad    du^T h", wgrad, 2 * g * h * t1 * b * h, targetSeconds,
                           [&] { gemmWeightGradient(gradHh, dGates, hs, T, B); }));
    // Keep the results observable.
    volatile Scalar sink = z(TB - 1, 0) + dhPrev(0, 0) + gradHh(0, 0);
    (void)sink;
    return out;
}

double combinedGflops(const std::vector<GemmResult> &results)
{
    double flops = 0, seconds = 0;
    for (const GemmResult &g : results) {
        flops += g.flopsPerBatch;
        seconds += g.flopsPerBatch / (g.gflops() * 1e9);
    }
    return flops / seconds * 1e-9;
}

double gemmFlopsPerBatch(const std::vector<GemmResult> &results)
{
    double flops = 0;
    for (const GemmResult &g : results)
        flops += g.flopsPerBatch;
    return flops;
}

} // namespace attn::bench
