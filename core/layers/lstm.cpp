// SPDX-License-Identifier: GPL-3.0-or-later
// The LSTM cell's step forward and step backward; the time loop, the input GEMM over all steps
// and the weight-gradient GEMMs are RecurrentLayer's.
#include "core/layers/lstm.h"

namespace attn {

Lstm::Lstm(int inputs, int hidden, Rng &rng, double inputDropout, double recurrentDropout)
    : RecurrentLayer("Lstm", inputs, hidden, 4, rng, inputDropout, recurrentDropout, false)
{
    m_params.biasIh.block(0, hidden, 1, hidden).setOnes(); // unit forget bias (Jozefowicz 2015)
}

void Lstm::resizeCell(Eigen::Index rows, Eigen::Index batch)
{
    m_cellCache.cell.resize(rows, m_hidden);
    m_cellCache.tanhCell.resize(rows, m_hidden);
    m_dcNext.resize(batch, m_hidden);
    m_dcStep.resize(batch, m_hidden);
    m_dcCarry.resize(batch, m_hidden);
}

void Lstm::carryCellState(Eigen::Index t, Eigen::Index b)
{
    const Eigen::Index B = m_batch;
    if (t > 0) {
        m_cellCache.cell.row(t * B + b) = m_cellCache.cell.row((t - 1) * B + b);
        m_cellCache.tanhCell.row(t * B + b) = m_cellCache.tanhCell.row((t - 1) * B + b);
    } else {
        m_cellCache.cell.row(b).setZero();
        m_cellCache.tanhCell.row(b).setZero();
    }
}

void Lstm::stepForward(Eigen::Index t, MatRef h)
{
    const Eigen::Index B = m_batch, H = m_hidden;
    MatRef zt = m_cache.gateActivations.middleRows(t * B, B); // (B, 4H) view
    zt.rowwise() += m_params.biasHh.row(0); // eq. (1), b_hh after the input part's b_ih
    if (t > 0) // eq. (1), recurrent part on h_{t-1} * m_h; h_{-1} = 0 contributes nothing
        zt.noalias() += recurrentInput(t, h) * m_params.weightHh.transpose();
    sigmoidInPlace(zt.leftCols(2 * H));                                       // i, f
    zt.middleCols(2 * H, H).array() = zt.middleCols(2 * H, H).array().tanh(); // g
    sigmoidInPlace(zt.rightCols(H));                                          // o
    MatRef ct = m_cellCache.cell.middleRows(t * B, B); // (B, H)
    if (t > 0) // eq. (3)
        ct.array() = zt.middleCols(H, H).array() * m_cellCache.cell.middleRows((t - 1) * B, B).array() +
                     zt.leftCols(H).array() * zt.middleCols(2 * H, H).array();
    else
        ct.array() = zt.leftCols(H).array() * zt.middleCols(2 * H, H).array();
    MatRef tc = m_cellCache.tanhCell.middleRows(t * B, B); // (B, H)
    tc.array() = ct.array().tanh();
    h.middleRows(t * B, B).array() = zt.rightCols(H).array() * tc.array(); // eq. (4)
}

void Lstm::stepBackward(Eigen::Index t, const ConstMatRef & /*h*/, const ConstMatRef &dhStep,
                        Mat &dhPrev)
{
    // Differentiates, at step t:
    //   (1) z_t = x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh
    //   (2) i = sigmoid(z_i), f = sigmoid(z_f), g = tanh(z_g), o = sigmoid(z_o)
    //   (3) c_t = f * c_{t-1} + i * g        (4) h_t = o * tanh(c_t)
    // with dh_t = dhStep:
    //   do = dh_t * tanh(c_t);  dc_t = dcNext + dh_t * o * (1 - tanh^2 c_t)
    //   di = dc_t * g;  df = dc_t * c_{t-1};  dg = dc_t * i;  dcNext = dc_t * f
    //   dz = [di i(1-i), df f(1-f), dg (1-g^2), do o(1-o)];  dhPrev = (dz W_hh) * m_h
    const Eigen::Index B = m_batch, H = m_hidden;
    if (t + 1 == m_steps)
        m_dcNext.setZero(); // nothing arrives from beyond the last step
    const ConstMatRef zt = m_cache.gateActivations.middleRows(t * B, B);  // (B, 4H)
    const ConstMatRef i = zt.leftCols(H);                                  // (B, H)
    const ConstMatRef f = zt.middleCols(H, H);                             // (B, H)
    const ConstMatRef g = zt.middleCols(2 * H, H);                         // (B, H)
    const ConstMatRef o = zt.rightCols(H);                                 // (B, H)
    const ConstMatRef tc = m_cellCache.tanhCell.middleRows(t * B, B);      // (B, H)
    MatRef dz = m_dInput.middleRows(t * B, B);                             // (B, 4H)

    m_dcStep.array() = m_dcNext.array() + dhStep.array() * o.array() * (Scalar(1) - tc.array().square());
    const Mat *mask = stepMask();
    if (mask) { // c_t = m c~_t + (1 - m) c_{t-1}: the cell sees m dc_t, c_{t-1} gets (1 - m) dc_t
        splitAtPadding(*mask, t, m_dcStep, m_dcCarry);
    }
    dz.rightCols(H).array() = dhStep.array() * tc.array() * o.array() * (Scalar(1) - o.array());          // do
    dz.leftCols(H).array() = m_dcStep.array() * g.array() * i.array() * (Scalar(1) - i.array());          // di
    dz.middleCols(2 * H, H).array() = m_dcStep.array() * i.array() * (Scalar(1) - g.array().square()); // dg
    if (t > 0)
        dz.middleCols(H, H).array() = m_dcStep.array() *
                                      m_cellCache.cell.middleRows((t - 1) * B, B).array() * f.array() *
                                      (Scalar(1) - f.array()); // df
    else
        dz.middleCols(H, H).setZero(); // c_{-1} = 0
    m_dcNext.array() = m_dcStep.array() * f.array();
    if (mask)
        m_dcNext += m_dcCarry;
    if (t > 0)
        recurrentBackward(t, dhPrev);
}

} // namespace attn
