// SPDX-License-Identifier: GPL-3.0-or-later
// The warmup learning-rate schedule (Vaswani et al. 2017, sec. 5.3) of learningrateschedule.h.
#include "core/train/learningrateschedule.h"

#include "core/tensor/errors.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace attn {

LearningRateSchedule::LearningRateSchedule(double learningRate, int warmupSteps)
    : m_learningRate(learningRate), m_warmup(warmupSteps)
{
    if (!(learningRate > 0.0))
        throw ConfigError("LearningRateSchedule: the learning rate must be > 0");
    if (warmupSteps < 0)
        throw ConfigError("LearningRateSchedule: warmup steps must be >= 0, got " +
                          std::to_string(warmupSteps));
}

double LearningRateSchedule::factor(long long step, int warmupSteps)
{
    if (warmupSteps <= 0)
        return 1.0;
    const double t = double(std::max(step, 1LL)), w = double(warmupSteps);
    return std::min(t / w, std::sqrt(w / t));
}

double LearningRateSchedule::at(long long step) const
{
    return m_learningRate * factor(step, m_warmup);
}

int LearningRateSchedule::transformerWarmup(long long totalSteps)
{
    const long long share = (std::max(totalSteps, 1LL) + kTransformerWarmupShare - 1) / kTransformerWarmupShare;
    return int(std::min<long long>(kTransformerWarmup, share));
}

void LearningRateSchedule::setLearningRate(double learningRate)
{
    if (!(learningRate > 0.0))
        throw ConfigError("LearningRateSchedule: the learning rate must be > 0");
    m_learningRate = learningRate;
}

} // namespace attn
