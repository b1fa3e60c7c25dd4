// SPDX-License-Identifier: GPL-3.0-or-later
// LSTM forward/backward over a time-major (T*B, F) batch: one GEMM for the input projection of
// all steps, one recurrent GEMM per step, one GEMM per weight gradient in backward.
#include "core/layers/lstm.h"

#include "core/tensor/init.h"

namespace attn {

Lstm::Lstm(int inputs, int hidden, Rng &rng, double inputDropout, double recurrentDropout)
    : m_hidden(hidden), m_inputDropout(inputDropout), m_recurrentDropout(recurrentDropout)
{
    if (inputs < 1 || hidden < 1)
        throw ShapeError("Lstm: inputs and hidden must be >= 1");
    requireDropoutRate(inputDropout, "Lstm", "input dropout");
    requireDropoutRate(recurrentDropout, "Lstm", "recurrent dropout");
    const int h4 = 4 * hidden;
    initRecurrentKernels(m_params.weightIh, m_params.weightHh, inputs, hidden, 4, rng);
    m_params.biasIh = Mat::Zero(1, h4);
    m_params.biasIh.block(0, hidden, 1, hidden).setOnes(); // unit forget bias (Jozefowicz 2015)
    m_params.biasHh = Mat::Zero(1, h4);
    m_grads.weightIh = Mat::Zero(h4, inputs);
    m_grads.weightHh = Mat::Zero(h4, hidden);
    m_grads.biasIh = Mat::Zero(1, h4);
    m_grads.biasHh = Mat::Zero(1, h4);
}

void Lstm::resize(int steps, int batch)
{
    if (steps < 1 || batch < 1)
        throw ShapeError("Lstm::resize: steps and batch must be >= 1");
    m_steps = steps;
    m_batch = batch;
    const Eigen::Index rows = Eigen::Index(steps) * batch;
    m_cache.gates.resize(rows, 4 * m_hidden);
    m_cache.cell.resize(rows, m_hidden);
    m_cache.tanhCell.resize(rows, m_hidden);
    m_dGates.resize(rows, 4 * m_hidden);
    m_dhNext.resize(batch, m_hidden);
    m_dcNext.resize(batch, m_hidden);
    m_dhStep.resize(batch, m_hidden);
    m_dcStep.resize(batch, m_hidden);
    if (m_inputDropout > 0.0) {
        m_cache.maskX.resize(batch, inputs());
        m_cache.xDropped.resize(rows, inputs());
    }
    if (m_recurrentDropout > 0.0) {
        m_cache.maskH.resize(batch, m_hidden);
        m_cache.hDropped.resize(rows, m_hidden);
    }
}

void Lstm::forward(const ConstMatRef &x, MatRef h, Rng *dropoutRng)
{
    const Eigen::Index B = m_batch, H = m_hidden;
    if (B == 0)
        throw ShapeError("Lstm::forward: call resize(T, B) first");
    requireShape(x, Eigen::Index(m_steps) * B, inputs(), "Lstm::forward x");
    requireShape(h, Eigen::Index(m_steps) * B, H, "Lstm::forward h");
    Mat &z = m_cache.gates; // (T*B, 4H)
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

    // Eq. (1), input part for all steps at once: one GEMM of (T*B, F) x (F, 4H).
    if (m_maskedX)
        z.noalias() = m_cache.xDropped * m_params.weightIh.transpose();
    else
        z.noalias() = x * m_params.weightIh.transpose();
    z.rowwise() += m_params.biasIh.row(0); // two adds: a summed row would be a heap temporary
    z.rowwise() += m_params.biasHh.row(0);

    for (Eigen::Index t = 0; t < m_steps; ++t) {
        MatRef zt = z.middleRows(t * B, B); // (B, 4H) view
        if (t > 0 && m_maskedH) { // eq. (1), recurrent part on h_{t-1} * m_h
            MatRef hd = m_cache.hDropped.middleRows((t - 1) * B, B); // (B, H)
            hd.array() = h.middleRows((t - 1) * B, B).array() * m_cache.maskH.array();
            zt.noalias() += hd * m_params.weightHh.transpose();
        } else if (t > 0) { // eq. (1), recurrent part; h_{-1} = 0 contributes nothing
            zt.noalias() += h.middleRows((t - 1) * B, B) * m_params.weightHh.transpose();
        }
        sigmoidInPlace(zt.leftCols(2 * H));                         // i, f
        zt.middleCols(2 * H, H).array() = zt.middleCols(2 * H, H).array().tanh(); // g
        sigmoidInPlace(zt.rightCols(H));                            // o
        MatRef ct = m_cache.cell.middleRows(t * B, B); // (B, H)
        if (t > 0) // eq. (3)
            ct.array() = zt.middleCols(H, H).array() * m_cache.cell.middleRows((t - 1) * B, B).array() +
                         zt.leftCols(H).array() * zt.middleCols(2 * H, H).array();
        else
            ct.array() = zt.leftCols(H).array() * zt.middleCols(2 * H, H).array();
        MatRef tc = m_cache.tanhCell.middleRows(t * B, B); // (B, H)
        tc.array() = ct.array().tanh();
        h.middleRows(t * B, B).array() = zt.rightCols(H).array() * tc.array(); // eq. (4)
    }
}

void Lstm::backward(const ConstMatRef &x, const ConstMatRef &h, const ConstMatRef &dh, Mat *dx)
{
    // Differentiates eqs. (1)-(4), from t = T-1 down to 0:
    //   dh_t = dL/dh_t(out) + dhNext;  do = dh_t * tanh(c_t);  dc_t = dcNext + dh_t * o * (1 - tanh^2 c_t)
    //   di = dc_t * g;  df = dc_t * c_{t-1};  dg = dc_t * i;  dcNext = dc_t * f
    //   dz = [di i(1-i), df f(1-f), dg (1-g^2), do o(1-o)];  dhNext = (dz W_hh) * m_h
    // then dW_ih += dz^T (x * m_x), dW_hh += dz[1:]^T (h * m_h)[:-1], db_ih = db_hh += sum dz,
    // dx = (dz W_ih) * m_x   (m_x, m_h = 1 without dropout).
    const Eigen::Index B = m_batch, H = m_hidden, TB = Eigen::Index(m_steps) * B;
    requireShape(x, TB, inputs(), "Lstm::backward x");
    requireShape(h, TB, H, "Lstm::backward h");
    requireShape(dh, TB, H, "Lstm::backward dh");
    const Mat &z = m_cache.gates;
    m_dhNext.setZero();
    m_dcNext.setZero();

    for (Eigen::Index t = m_steps - 1; t >= 0; --t) {
        const ConstMatRef zt = z.middleRows(t * B, B);                      // (B, 4H)
        const ConstMatRef i = zt.leftCols(H);                                // (B, H)
        const ConstMatRef f = zt.middleCols(H, H);                           // (B, H)
        const ConstMatRef g = zt.middleCols(2 * H, H);                       // (B, H)
        const ConstMatRef o = zt.rightCols(H);                               // (B, H)
        const ConstMatRef tc = m_cache.tanhCell.middleRows(t * B, B);        // (B, H)
        MatRef dz = m_dGates.middleRows(t * B, B);                           // (B, 4H)

        m_dhStep.array() = dh.middleRows(t * B, B).array() + m_dhNext.array();
        m_dcStep.array() = m_dcNext.array() + m_dhStep.array() * o.array() * (Scalar(1) - tc.array().square());
        dz.rightCols(H).array() = m_dhStep.array() * tc.array() * o.array() * (Scalar(1) - o.array());          // do
        dz.leftCols(H).array() = m_dcStep.array() * g.array() * i.array() * (Scalar(1) - i.array());            // di
        dz.middleCols(2 * H, H).array() = m_dcStep.array() * i.array() * (Scalar(1) - g.array().square()); // dg
        if (t > 0)
            dz.middleCols(H, H).array() = m_dcStep.array() *
                                          m_cache.cell.middleRows((t - 1) * B, B).array() * f.array() *
                                          (Scalar(1) - f.array()); // df
        else
            dz.middleCols(H, H).setZero(); // c_{-1} = 0
        m_dcNext.array() = m_dcStep.array() * f.array();
        if (t > 0) {
            m_dhNext.noalias() = dz * m_params.weightHh;
            if (m_maskedH)
                m_dhNext.array() *= m_cache.maskH.array();
        }
    }

    // Weight gradients: one GEMM each over all steps.
    if (m_maskedX)
        m_grads.weightIh.noalias() += m_dGates.transpose() * m_cache.xDropped;
    else
        m_grads.weightIh.noalias() += m_dGates.transpose() * x;
    if (m_steps > 1 && m_maskedH)
        m_grads.weightHh.noalias() +=
            m_dGates.bottomRows(TB - B).transpose() * m_cache.hDropped.topRows(TB - B);
    else if (m_steps > 1)
        m_grads.weightHh.noalias() +=
            m_dGates.bottomRows(TB - B).transpose() * h.topRows(TB - B);
    m_grads.biasIh.row(0) += m_dGates.colwise().sum();
    m_grads.biasHh.row(0) += m_dGates.colwise().sum();
    if (dx) {
        requireShape(*dx, TB, inputs(), "Lstm::backward dx");
        dx->noalias() = m_dGates * m_params.weightIh;
        if (m_maskedX)
            for (Eigen::Index t = 0; t < m_steps; ++t)
                dx->middleRows(t * B, B).array() *= m_cache.maskX.array();
    }
}

void Lstm::zeroGrad()
{
    m_grads.weightIh.setZero();
    m_grads.weightHh.setZero();
    m_grads.biasIh.setZero();
    m_grads.biasHh.setZero();
}

void Lstm::appendParams(const std::string &prefix, std::vector<ParamRef> &out)
{
    out.push_back({prefix + ".weight_ih_l0", &m_params.weightIh, &m_grads.weightIh});
    out.push_back({prefix + ".weight_hh_l0", &m_params.weightHh, &m_grads.weightHh});
    out.push_back({prefix + ".bias_ih_l0", &m_params.biasIh, &m_grads.biasIh});
    out.push_back({prefix + ".bias_hh_l0", &m_params.biasHh, &m_grads.biasHh});
}

} // namespace attn
