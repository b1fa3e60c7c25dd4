// SPDX-License-Identifier: GPL-3.0-or-later
// The GRU cell's step forward and step backward; the time loop, the input GEMM over all steps
// and the weight-gradient GEMMs are RecurrentLayer's.
#include "core/layers/gru.h"

namespace attn {

Gru::Gru(int inputs, int hidden, Rng &rng, double inputDropout, double recurrentDropout)
    : RecurrentLayer("Gru", inputs, hidden, 3, rng, inputDropout, recurrentDropout, true)
{
}

void Gru::resizeCell(Eigen::Index rows, Eigen::Index batch)
{
    m_cellCache.recurrentN.resize(rows, m_hidden);
    m_recurrentStep.resize(batch, 3 * m_hidden);
    m_dnPre.resize(batch, m_hidden);
}

void Gru::stepForward(Eigen::Index t, MatRef h)
{
    const Eigen::Index B = m_batch, H = m_hidden;
    MatRef gt = m_cache.gateActivations.middleRows(t * B, B); // (B, 3H): a_t, then r, z, n in place
    // Eq. (2); h_{-1} = 0 leaves only the bias.
    m_recurrentStep.rowwise() = m_params.biasHh.row(0);
    if (t > 0) // on h_{t-1} * m_h
        m_recurrentStep.noalias() += recurrentInput(t, h) * m_params.weightHh.transpose();
    gt.leftCols(2 * H) += m_recurrentStep.leftCols(2 * H); // eq. (3)
    sigmoidInPlace(gt.leftCols(2 * H));
    MatRef un = m_cellCache.recurrentN.middleRows(t * B, B); // (B, H)
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

void Gru::stepBackward(Eigen::Index t, const ConstMatRef &h, const ConstMatRef &dhStep, Mat &dhPrev)
{
    // Differentiates, at step t:
    //   (1) a_t = x_t W_ih^T + b_ih      (2) u_t = h_{t-1} W_hh^T + b_hh
    //   (3) r = sigmoid(a_r + u_r),  z = sigmoid(a_z + u_z)      (4) n = tanh(a_n + r * u_n)
    //   (5) h_t = (1 - z) * n + z * h_{t-1}
    // with dh_t = dhStep:
    //   dn = dh_t (1 - z);  dz = dh_t (h_{t-1} - n);  dnPre = dn (1 - n^2)
    //   dr = dnPre * u_n;   da = [dr r(1-r), dz z(1-z), dnPre];  du = [da_r, da_z, dnPre * r]
    //   dhPrev = dh_t z + (du W_hh) * m_h
    const Eigen::Index B = m_batch, H = m_hidden;
    const ConstMatRef gt = m_cache.gateActivations.middleRows(t * B, B); // (B, 3H)
    const ConstMatRef r = gt.leftCols(H);                                 // (B, H)
    const ConstMatRef z = gt.middleCols(H, H);                            // (B, H)
    const ConstMatRef n = gt.rightCols(H);                                // (B, H)
    const ConstMatRef un = m_cellCache.recurrentN.middleRows(t * B, B);   // (B, H)
    MatRef da = m_dInput.middleRows(t * B, B);                            // (B, 3H)
    MatRef du = m_dRecurrent.middleRows(t * B, B);                        // (B, 3H)

    m_dnPre.array() = dhStep.array() * (Scalar(1) - z.array()) * (Scalar(1) - n.array().square());
    if (t > 0)
        da.middleCols(H, H).array() = dhStep.array() *
                                      (h.middleRows((t - 1) * B, B).array() - n.array()) *
                                      z.array() * (Scalar(1) - z.array());
    else // h_{-1} = 0
        da.middleCols(H, H).array() =
            -dhStep.array() * n.array() * z.array() * (Scalar(1) - z.array());
    da.leftCols(H).array() = m_dnPre.array() * un.array() * r.array() * (Scalar(1) - r.array());
    da.rightCols(H) = m_dnPre;
    du.leftCols(2 * H) = da.leftCols(2 * H);
    du.rightCols(H).array() = m_dnPre.array() * r.array();
    if (t > 0) {
        recurrentBackward(t, dhPrev);
        dhPrev.array() += dhStep.array() * z.array();
    }
}

} // namespace attn
