// SPDX-License-Identifier: GPL-3.0-or-later
// The time loop shared by the recurrent layers over a time-major (T*B, F) batch: one GEMM for
// the input projection of all steps, the cell's steps in between, one GEMM per weight gradient
// in backward; plus the dropout masks and the Keras-style initialisation.
#include "core/layers/recurrentlayer.h"

#include "core/tensor/init.h"

namespace attn {

void initRecurrentKernels(Mat &weightIh, Mat &weightHh, int inputs, int hidden, int gates, Rng &rng)
{
    const int rows = gates * hidden;
    weightIh.resize(rows, inputs);
    glorotUniform(weightIh, inputs, rows, rng);
    Mat recurrent(hidden, rows); // Keras' (H, G*H) kernel has orthonormal rows
    orthogonal(recurrent, rng);
    weightHh = recurrent.transpose();
}

RecurrentLayer::RecurrentLayer(const char *name, int inputs, int hidden, int gates, Rng &rng,
                               double inputDropout, double recurrentDropout,
                               bool separateRecurrentGrad)
    : m_hidden(hidden), m_name(name), m_gates(gates), m_inputDropout(inputDropout),
      m_recurrentDropout(recurrentDropout), m_separateRecurrentGrad(separateRecurrentGrad)
{
    if (inputs < 1 || hidden < 1)
        throw ConfigError(m_name + ": inputs and hidden must be >= 1");
    requireDropoutRate(inputDropout, name, "input dropout");
    requireDropoutRate(recurrentDropout, name, "recurrent dropout");
    const int rows = gates * hidden;
    initRecurrentKernels(m_params.weightIh, m_params.weightHh, inputs, hidden, gates, rng);
    m_params.biasIh = Mat::Zero(1, rows);
    m_params.biasHh = Mat::Zero(1, rows);
    m_grads.weightIh = Mat::Zero(rows, inputs);
    m_grads.weightHh = Mat::Zero(rows, hidden);
    m_grads.biasIh = Mat::Zero(1, rows);
    m_grads.biasHh = Mat::Zero(1, rows);
}

void RecurrentLayer::resize(int steps, int batch)
{
    if (steps < 1 || batch < 1)
        throw ShapeError(m_name + "::resize: steps and batch must be >= 1");
    m_steps = steps;
    m_batch = batch;
    const Eigen::Index rows = Eigen::Index(steps) * batch;
    m_cache.gateActivations.resize(rows, m_gates * m_hidden);
    m_dInput.resize(rows, m_gates * m_hidden);
    if (m_separateRecurrentGrad)
        m_dRecurrent.resize(rows, m_gates * m_hidden);
    m_dhNext.resize(batch, m_hidden);
    m_dhStep.resize(batch, m_hidden);
    m_dhCarry.resize(batch, m_hidden);
    if (m_inputDropout > 0.0) {
        m_cache.maskX.resize(batch, inputs());
        m_cache.xDropped.resize(rows, inputs());
    }
    if (m_recurrentDropout > 0.0) {
        m_cache.maskH.resize(batch, m_hidden);
        m_cache.hDropped.resize(rows, m_hidden);
    }
    resizeCell(rows, batch);
}

void RecurrentLayer::requireLayerShape(const ConstMatRef &m, Eigen::Index rows, Eigen::Index cols,
                                       const char *what) const
{
    if (m.rows() != rows || m.cols() != cols)
        requireShape(m, rows, cols, (m_name + what).c_str());
}

void RecurrentLayer::forward(const ConstMatRef &x, MatRef h, Rng *dropoutRng)
{
    const Eigen::Index B = m_batch;
    if (B == 0)
        throw ShapeError(m_name + "::forward: call resize(T, B) first");
    requireLayerShape(x, Eigen::Index(m_steps) * B, inputs(), "::forward x");
    requireLayerShape(h, Eigen::Index(m_steps) * B, m_hidden, "::forward h");
    Mat &a = m_cache.gateActivations; // (T*B, G*H)
    m_maskedX = dropoutRng && m_inputDropout > 0.0;
    m_maskedH = dropoutRng && m_recurrentDropout > 0.0;
    if (m_maskedX) {
        drawDropoutMask(m_cache.maskX, m_inputDropout, *dropoutRng);
        for (Eigen::Index t = 0; t < m_steps; ++t)
            m_cache.xDropped.middleRows(t * B, B).array() =
                x.middleRows(t * B, B).array() * m_cache.maskX.array();
    }
    if (m_maskedH)
        drawDropoutMask(m_cache.maskH, m_recurrentDropout, *dropoutRng);

    // The input projection x_t W_ih^T + b_ih for all steps at once: one GEMM of (T*B, F) x (F, G*H).
    if (m_maskedX)
        a.noalias() = m_cache.xDropped * m_params.weightIh.transpose();
    else
        a.noalias() = x * m_params.weightIh.transpose();
    a.rowwise() += m_params.biasIh.row(0);

    if (m_hasMask)
        requireLayerShape(m_stepMask, B, m_steps, "::forward mask");
    for (Eigen::Index t = 0; t < m_steps; ++t) {
        stepForward(t, h);
        if (!m_hasMask)
            continue;
        for (Eigen::Index b = 0; b < B; ++b) { // padding: carry the state through (Keras)
            if (m_stepMask(b, t) > Scalar(0))
                continue;
            if (t > 0)
                h.row(t * B + b) = h.row((t - 1) * B + b);
            else
                h.row(b).setZero();
            carryCellState(t, b);
        }
    }
}

void RecurrentLayer::setMask(const ConstMatRef &mask)
{
    m_hasMask = mask.size() > 0;
    if (m_hasMask)
        m_stepMask = mask;
}

void RecurrentLayer::splitAtPadding(const Mat &mask, Eigen::Index t, MatRef step, MatRef carry)
{
    // Row by row (m is 0 or 1, as forward reads it): a column of the row-major mask in a
    // colwise product would be copied into a temporary at every step.
    for (Eigen::Index b = 0; b < step.rows(); ++b) {
        if (mask(b, t) > Scalar(0)) {
            carry.row(b).setZero();
        } else {
            carry.row(b) = step.row(b);
            step.row(b).setZero();
        }
    }
}

ConstMatRef RecurrentLayer::recurrentInput(Eigen::Index t, MatRef h)
{
    const Eigen::Index B = m_batch;
    if (!m_maskedH)
        return h.middleRows((t - 1) * B, B);
    MatRef hd = m_cache.hDropped.middleRows((t - 1) * B, B); // (B, H)
    hd.array() = h.middleRows((t - 1) * B, B).array() * m_cache.maskH.array();
    return hd;
}

void RecurrentLayer::recurrentBackward(Eigen::Index t, Mat &dhPrev) const
{
    // Differentiates u_t = (h_{t-1} * m_h) W_hh^T + b_hh with respect to h_{t-1}.
    dhPrev.noalias() = recurrentGrad().middleRows(t * m_batch, m_batch) * m_params.weightHh;
    if (m_maskedH)
        dhPrev.array() *= m_cache.maskH.array();
}

void RecurrentLayer::backward(const ConstMatRef &x, const ConstMatRef &h, const ConstMatRef &dh,
                              Mat *dx)
{
    // Differentiates h_t = cell(a_t + ..., u_t, ...) with a_t = (x_t * m_x) W_ih^T + b_ih and
    // u_t = (h_{t-1} * m_h) W_hh^T + b_hh, from t = T-1 down to 0:
    //   dh_t = dL/dh_t(out) + dhNext;  the cell's step gives da_t, du_t and dhNext = dL/dh_{t-1}
    // then dW_ih += da^T (x * m_x), dW_hh += du[1:]^T (h * m_h)[:-1], db_ih += sum da,
    // db_hh += sum du, dx = (da W_ih) * m_x   (m_x, m_h = 1 without dropout).
    // Padding mask m_t (setMask): h_t = m_t h~_t + (1 - m_t) h_{t-1}, so the cell's step gets
    // m_t dh_t and dhNext gains (1 - m_t) dh_t.
    const Eigen::Index B = m_batch, TB = Eigen::Index(m_steps) * B;
    requireLayerShape(x, TB, inputs(), "::backward x");
    requireLayerShape(h, TB, m_hidden, "::backward h");
    requireLayerShape(dh, TB, m_hidden, "::backward dh");
    m_dhNext.setZero();
    for (Eigen::Index t = m_steps - 1; t >= 0; --t) {
        m_dhStep.array() = dh.middleRows(t * B, B).array() + m_dhNext.array();
        if (m_hasMask) {
            // h_t = m h~_t + (1 - m) h_{t-1}: the cell sees m dh_t, h_{t-1} gets (1 - m) dh_t.
            splitAtPadding(m_stepMask, t, m_dhStep, m_dhCarry);
        }
        stepBackward(t, h, m_dhStep, m_dhNext);
        if (m_hasMask && t > 0)
            m_dhNext += m_dhCarry;
    }

    // Weight gradients: one GEMM each over all steps.
    const Mat &du = recurrentGrad(); // (T*B, G*H)
    if (m_maskedX)
        m_grads.weightIh.noalias() += m_dInput.transpose() * m_cache.xDropped;
    else
        m_grads.weightIh.noalias() += m_dInput.transpose() * x;
    if (m_steps > 1 && m_maskedH)
        m_grads.weightHh.noalias() +=
            du.bottomRows(TB - B).transpose() * m_cache.hDropped.topRows(TB - B);
    else if (m_steps > 1)
        m_grads.weightHh.noalias() += du.bottomRows(TB - B).transpose() * h.topRows(TB - B);
    m_grads.biasIh.row(0) += m_dInput.colwise().sum();
    m_grads.biasHh.row(0) += du.colwise().sum();
    if (dx) {
        requireLayerShape(*dx, TB, inputs(), "::backward dx");
        dx->noalias() = m_dInput * m_params.weightIh;
        if (m_maskedX)
            for (Eigen::Index t = 0; t < m_steps; ++t)
                dx->middleRows(t * B, B).array() *= m_cache.maskX.array();
    }
}

void RecurrentLayer::zeroGrad()
{
    m_grads.weightIh.setZero();
    m_grads.weightHh.setZero();
    m_grads.biasIh.setZero();
    m_grads.biasHh.setZero();
}

void RecurrentLayer::appendParams(const std::string &prefix, std::vector<ParamRef> &out)
{
    out.push_back({prefix + ".weight_ih_l0", &m_params.weightIh, &m_grads.weightIh});
    out.push_back({prefix + ".weight_hh_l0", &m_params.weightHh, &m_grads.weightHh});
    out.push_back({prefix + ".bias_ih_l0", &m_params.biasIh, &m_grads.biasIh});
    out.push_back({prefix + ".bias_hh_l0", &m_params.biasHh, &m_grads.biasHh});
}

} // namespace attn
