// SPDX-License-Identifier: GPL-3.0-or-later
// GRU forward/backward over a time-major (T*B, F) batch: one GEMM for the input projection of
// all steps, one recurrent GEMM per step, one GEMM per weight gradient in backward.
#include "core/layers/gru.h"

#include "core/tensor/init.h"

namespace attn {

Gru::Gru(int inputs, int hidden, Rng &rng, double inputDropout, double recurrentDropout)
    : m_hidden(hidden), m_inputDropout(inputDropout), m_recurrentDropout(recurrentDropout)
{
    if (inputs < 1 || hidden < 1)
        throw ShapeError("Gru: inputs and hidden must be >= 1");
    requireDropoutRate(inputDropout, "Gru", "input dropout");
    requireDropoutRate(recurrentDropout, "Gru", "recurrent dropout");
    const int h3 = 3 * hidden;
    initRecurrentKernels(m_params.weightIh, m_params.weightHh, inputs, hidden, 3, rng);
    m_params.biasIh = Mat::Zero(1, h3);
    m_params.biasHh = Mat::Zero(1, h3);
    m_grads.weightIh = Mat::Zero(h3, inputs);
    m_grads.weightHh = Mat::Zero(h3, hidden);
    m_grads.biasIh = Mat::Zero(1, h3);
    m_grads.biasHh = Mat::Zero(1, h3);
}

void Gru::resize(int steps, int batch)
{
    if (steps < 1 || batch < 1)
        throw ShapeError("Gru::resize: steps and batch must be >= 1");
    m_steps = steps;
    m_batch = batch;
    const Eigen::Index rows = Eigen::Index(steps) * batch;
    m_cache.gates.resize(rows, 3 * m_hidden);
    m_cache.recurrentN.resize(rows, m_hidden);
    m_recurrentStep.resize(batch, 3 * m_hidden);
    m_dInput.resize(rows, 3 * m_hidden);
    m_dRecurrent.resize(rows, 3 * m_hidden);
    m_dhNext.resize(batch, m_hidden);
    m_dhStep.resize(batch, m_hidden);
    m_dnPre.resize(batch, m_hidden);
    if (m_inputDropout > 0.0) {
        m_cache.maskX.resize(batch, inputs());
        m_cache.xDropped.resize(rows, inputs());
    }
    if (m_recurrentDropout > 0.0) {
        m_cache.maskH.resize(batch, m_hidden);
        m_cache.hDropped.resize(rows, m_hidden);
    }
}

void Gru::forward(const ConstMatRef &x, MatRef h, Rng *dropoutRng)
{
    const Eigen::Index B = m_batch, H = m_hidden;
    if (B == 0)
        throw ShapeError("Gru::forward: call resize(T, B) first");
    requireShape(x, Eigen::Index(m_steps) * B, inputs(), "Gru::forward x");
    requireShape(h, Eigen::Index(m_steps) * B, H, "Gru::forward h");
    Mat &g = m_cache.gates; // (T*B, 3H): a_t first, then r, z, n in place
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

    // Eq. (1) for all steps at once: one GEMM of (T*B, F) x (F, 3H).
    if (m_maskedX)
        g.noalias() = m_cache.xDropped * m_params.weightIh.transpose();
    else
        g.noalias() = x * m_params.weightIh.transpose();
    g.rowwise() += m_params.biasIh.row(0);

    for (Eigen::Index t = 0; t < m_steps; ++t) {
        MatRef gt = g.middleRows(t * B, B); // (B, 3H)
        // Eq. (2); h_{-1} = 0 leaves only the bias.
        m_recurrentStep.rowwise() = m_params.biasHh.row(0);
        if (t > 0 && m_maskedH) {
            MatRef hd = m_cache.hDropped.middleRows((t - 1) * B, B); // (B, H)
            hd.array() = h.middleRows((t - 1) * B, B).array() * m_cache.maskH.array();
            m_recurrentStep.noalias() += hd * m_params.weightHh.transpose();
        } else if (t > 0) {
            m_recurrentStep.noalias() += h.middleRows((t - 1) * B, B) * m_params.weightHh.transpose();
        }
        gt.leftCols(2 * H) += m_recurrentStep.leftCols(2 * H); // eq. (3)
        sigmoidInPlace(gt.leftCols(2 * H));
        MatRef un = m_cache.recurrentN.middleRows(t * B, B); // (B, H)
        un = m_recurrentStep.rightCols(H);
        gt.rightCols(H).array() = (gt.rightCols(H).array() + gt.leftCols(H).array() * un.array()).tanh(); // eq. (4)
        const ConstMatRef z = gt.middleCols(H, H);
        const ConstMatRef n = gt.rightCols(H);
        if (t > 0) // eq. (5)
            h.middleRows(t * B, B).array() = (Scalar(1) - z.array()) * n.array() +
                                             z.array() * h.middleRows((t - 1) * B, B).array();
        else
            h.middleRows(t * B, B).array() = (Scalar(1) - z.array()) * n.array();
    }
}

void Gru::backward(const ConstMatRef &x, const ConstMatRef &h, const ConstMatRef &dh, Mat *dx)
{
    // Differentiates eqs. (1)-(5), from t = T-1 down to 0:
    //   dh_t = dL/dh_t(out) + dhNext
    //   dn = dh_t (1 - z);  dz = dh_t (h_{t-1} - n);  dnPre = dn (1 - n^2)
    //   dr = dnPre * u_n;   da = [dr r(1-r), dz z(1-z), dnPre];  du = [da_r, da_z, dnPre * r]
    //   dhNext = dh_t z + (du W_hh) * m_h
    // then dW_ih += da^T (x * m_x), dW_hh += du[1:]^T (h * m_h)[:-1], db_ih += sum da,
    // db_hh += sum du, dx = (da W_ih) * m_x   (m_x, m_h = 1 without dropout).
    const Eigen::Index B = m_batch, H = m_hidden, TB = Eigen::Index(m_steps) * B;
    requireShape(x, TB, inputs(), "Gru::backward x");
    requireShape(h, TB, H, "Gru::backward h");
    requireShape(dh, TB, H, "Gru::backward dh");
    const Mat &g = m_cache.gates;
    m_dhNext.setZero();

    for (Eigen::Index t = m_steps - 1; t >= 0; --t) {
        const ConstMatRef gt = g.middleRows(t * B, B);                   // (B, 3H)
        const ConstMatRef r = gt.leftCols(H);                            // (B, H)
        const ConstMatRef z = gt.middleCols(H, H);                       // (B, H)
        const ConstMatRef n = gt.rightCols(H);                           // (B, H)
        const ConstMatRef un = m_cache.recurrentN.middleRows(t * B, B);  // (B, H)
        MatRef da = m_dInput.middleRows(t * B, B);                       // (B, 3H)
        MatRef du = m_dRecurrent.middleRows(t * B, B);                   // (B, 3H)

        m_dhStep.array() = dh.middleRows(t * B, B).array() + m_dhNext.array();
        m_dnPre.array() = m_dhStep.array() * (Scalar(1) - z.array()) * (Scalar(1) - n.array().square());
        if (t > 0)
            da.middleCols(H, H).array() = m_dhStep.array() *
                                          (h.middleRows((t - 1) * B, B).array() - n.array()) *
                                          z.array() * (Scalar(1) - z.array());
        else // h_{-1} = 0
            da.middleCols(H, H).array() =
                -m_dhStep.array() * n.array() * z.array() * (Scalar(1) - z.array());
        da.leftCols(H).array() = m_dnPre.array() * un.array() * r.array() * (Scalar(1) - r.array());
        da.rightCols(H) = m_dnPre;
        du.leftCols(2 * H) = da.leftCols(2 * H);
        du.rightCols(H).array() = m_dnPre.array() * r.array();
        if (t > 0) {
            m_dhNext.noalias() = du * m_params.weightHh;
            if (m_maskedH)
                m_dhNext.array() *= m_cache.maskH.array();
            m_dhNext.array() += m_dhStep.array() * z.array();
        }
    }

    // Weight gradients: one GEMM each over all steps.
    if (m_maskedX)
        m_grads.weightIh.noalias() += m_dInput.transpose() * m_cache.xDropped;
    else
        m_grads.weightIh.noalias() += m_dInput.transpose() * x;
    if (m_steps > 1 && m_maskedH)
        m_grads.weightHh.noalias() +=
            m_dRecurrent.bottomRows(TB - B).transpose() * m_cache.hDropped.topRows(TB - B);
    else if (m_steps > 1)
        m_grads.weightHh.noalias() += m_dRecurrent.bottomRows(TB - B).transpose() * h.topRows(TB - B);
    m_grads.biasIh.row(0) += m_dInput.colwise().sum();
    m_grads.biasHh.row(0) += m_dRecurrent.colwise().sum();
    if (dx) {
        requireShape(*dx, TB, inputs(), "Gru::backward dx");
        dx->noalias() = m_dInput * m_params.weightIh;
        if (m_maskedX)
            for (Eigen::Index t = 0; t < m_steps; ++t)
                dx->middleRows(t * B, B).array() *= m_cache.maskX.array();
    }
}

void Gru::zeroGrad()
{
    m_grads.weightIh.setZero();
    m_grads.weightHh.setZero();
    m_grads.biasIh.setZero();
    m_grads.biasHh.setZero();
}

void Gru::appendParams(const std::string &prefix, std::vector<ParamRef> &out)
{
    out.push_back({prefix + ".weight_ih_l0", &m_params.weightIh, &m_grads.weightIh});
    out.push_back({prefix + ".weight_hh_l0", &m_params.weightHh, &m_grads.weightHh});
    out.push_back({prefix + ".bias_ih_l0", &m_params.biasIh, &m_grads.biasIh});
    out.push_back({prefix + ".bias_hh_l0", &m_params.biasHh, &m_grads.biasHh});
}

} // namespace attn
