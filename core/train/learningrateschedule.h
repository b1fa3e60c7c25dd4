// SPDX-License-Identifier: GPL-3.0-or-later
// The learning rate of each optimizer step: the warmup schedule of Vaswani et al. 2017, sec. 5.3
// (eq. 3), with its peak set to the configured learning rate lr instead of d_model^-0.5 w^-0.5:
//   lr_t = lr * min(t / w, sqrt(w / t))        t = 1, 2, ... the step; w the warmup steps
// i.e. a linear rise over the first w steps to lr, then a decay proportional to t^-0.5, as the
// paper's lrate = d^-0.5 min(t^-0.5, t w^-1.5) = (d w)^-0.5 min(t / w, sqrt(w / t)).
// w = 0: the constant lr (no schedule). Plain arithmetic: nothing is allocated.
#pragma once

namespace attn {

/// The paper's warmup for the transformer mechanism when TrainConfig::warmupSteps is left at
/// its default (-1): w = min(kTransformerWarmup, ceil(total steps / kTransformerWarmupShare)),
/// the paper's 4,000 warmup steps of its 100,000 (sec. 5.2-5.3), so that a short run (sentiment:
/// 160 steps in 10 epochs) is not still warming up when it ends.
inline constexpr int kTransformerWarmup = 4000;
inline constexpr int kTransformerWarmupShare = 25; // 100,000 / 4,000

class LearningRateSchedule {
public:
    /// base lr > 0, warmup w >= 0 steps. Throws ConfigError if lr <= 0 or w < 0.
    LearningRateSchedule(double learningRate, int warmupSteps);
    /// lr_t for the 1-based step t (t < 1 is read as 1).
    double at(long long step) const;
    /// min(t / w, sqrt(w / t)), or 1 when w = 0.
    static double factor(long long step, int warmupSteps);
    /// The default warmup of a run of `totalSteps` optimizer steps (see kTransformerWarmup).
    static int transformerWarmup(long long totalSteps);
    void setLearningRate(double learningRate);
    double learningRate() const { return m_learningRate; }
    int warmupSteps() const { return m_warmup; }

private:
    double m_learningRate;
    int m_warmup;
};

} // namespace attn
