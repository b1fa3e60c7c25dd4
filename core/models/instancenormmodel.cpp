// SPDX-License-Identifier: GPL-3.0-or-later
// InstanceNormModel: per-window standardisation in, the window's level and spread back out
// (RevIN, Kim et al. 2022), with the exact backward through the window statistics.
#include "core/models/instancenormmodel.h"

#include "core/tensor/errors.h"

#include <cmath>

namespace attn {

InstanceNormModel::InstanceNormModel(const ModelConfig &config, std::unique_ptr<Model> inner)
    : Model(config), m_inner(std::move(inner))
{
    if (!m_inner)
        throw ConfigError("InstanceNormModel: no inner model");
    if (config.architecture != ModelArchitecture::Sequence || config.vocabulary > 0)
        throw ConfigError("instance normalisation needs a sequence model of number inputs");
    if (config.outputs != 1)
        throw ConfigError("instance normalisation needs one output (a forecast), got " +
                          std::to_string(config.outputs));
    if (config.instanceNormFeature < 0 || config.instanceNormFeature >= config.inputs)
        throw ConfigError("instance normalisation: feature " +
                          std::to_string(config.instanceNormFeature) + " is not one of the " +
                          std::to_string(config.inputs) + " input features");
}

void InstanceNormModel::resize(int steps, int batch)
{
    m_inner->resize(steps, batch);
    if (steps == m_steps && batch == m_batch)
        return;
    const Eigen::Index F = m_config.inputs, tb = Eigen::Index(steps) * batch;
    m_mean.resize(batch, F);
    m_sigma.resize(batch, F);
    m_xn.resize(tb, F);
    m_innerOut.resize(batch, 1);
    m_out.resize(batch, 1);
    m_dInner.resize(batch, 1);
    m_dInput.resize(tb, F);
    m_steps = steps;
    m_batch = batch;
}

const Mat &InstanceNormModel::forward(const ConstMatRef &x, bool training)
{
    const Eigen::Index T = m_steps, B = m_batch, F = m_config.inputs;
    requireShape(x, T * B, F, "InstanceNormModel::forward x");
    m_mean.setZero();
    for (Eigen::Index t = 0; t < T; ++t)
        m_mean += x.middleRows(t * B, B);
    m_mean /= Scalar(T);
    m_sigma.setZero();
    for (Eigen::Index t = 0; t < T; ++t)
        m_sigma += (x.middleRows(t * B, B) - m_mean).array().square().matrix();
    m_sigma = (m_sigma.array() / Scalar(T) + Scalar(kEpsilon)).sqrt().matrix();
    for (Eigen::Index t = 0; t < T; ++t)
        m_xn.middleRows(t * B, B) = ((x.middleRows(t * B, B) - m_mean).array() / m_sigma.array()).matrix();
    m_innerOut = m_inner->forward(m_xn, training);
    const Eigen::Index k = m_config.instanceNormFeature;
    m_out = (m_innerOut.array() * m_sigma.col(k).array() + m_mean.col(k).array()).matrix();
    return m_out;
}

void InstanceNormModel::setPaddingMask(const ConstMatRef &mask)
{
    if (mask.size() > 0 && mask.minCoeff() == 0)
        throw ConfigError("instance normalisation needs sequences without padding (a window of "
                          "a single series has none)");
    m_inner->setPaddingMask(mask);
}

void InstanceNormModel::backward(const ConstMatRef &x, const ConstMatRef &dOut)
{
    // Differentiates y_b = z_b sigma_bk + mu_bk with z = inner(xn), xn = (x - mu) / sigma:
    //   dL/dz_b = dL/dy_b sigma_bk (the parameters' gradients come from the inner backward);
    //   through xn (LayerNorm's backward over the T steps, g = dL/dxn):
    //     dL/dx_tbf = (g_tbf - mean_t g_bf - xn_tbf mean_t (g xn)_bf) / sigma_bf;
    //   through the output's level and spread (d mu/dx_t = 1/T, d sigma/dx_t = xn_t / T):
    //     dL/dx_tbk += dL/dy_b (1 + z_b xn_tbk) / T.
    const Eigen::Index T = m_steps, B = m_batch, F = m_config.inputs;
    requireShape(x, T * B, F, "InstanceNormModel::backward x");
    requireShape(dOut, B, 1, "InstanceNormModel::backward dOut");
    const Eigen::Index k = m_config.instanceNormFeature;
    m_dInner = (dOut.array() * m_sigma.col(k).array()).matrix();
    m_inner->backward(m_xn, m_dInner);
    const Mat &g = m_inner->inputGradient(); // (T*B, F)
    for (Eigen::Index b = 0; b < B; ++b)
        for (Eigen::Index f = 0; f < F; ++f) {
            double sg = 0.0, sgx = 0.0;
            for (Eigen::Index t = 0; t < T; ++t) {
                sg += double(g(t * B + b, f));
                sgx += double(g(t * B + b, f)) * double(m_xn(t * B + b, f));
            }
            const double mg = sg / double(T), mgx = sgx / double(T);
            const double inv = 1.0 / double(m_sigma(b, f));
            const double dy = f == k ? double(dOut(b, 0)) : 0.0;
            const double z = double(m_innerOut(b, 0));
            for (Eigen::Index t = 0; t < T; ++t) {
                const double xn = double(m_xn(t * B + b, f));
                m_dInput(t * B + b, f) = Scalar((double(g(t * B + b, f)) - mg - xn * mgx) * inv +
                                                dy * (1.0 + z * xn) / double(T));
            }
        }
}

void InstanceNormModel::setAttentionOverride(const ConstMatRef &weights)
{
    m_inner->setAttentionOverride(weights);
}

void InstanceNormModel::attentionHeadMap(int sequence, int head, MatRef out) const
{
    m_inner->attentionHeadMap(sequence, head, out);
}

} // namespace attn
