// SPDX-License-Identifier: GPL-3.0-or-later
// The FLOP model of bench_training (trainingflops.h).
#include "bench/trainingflops.h"

#include <cstring>

namespace attn::bench {

// FLOPs of one training step (forward + backward) of SequenceModel with config m on a batch of
// B sequences of T steps: 2 FLOPs per multiply-add of every matrix product in core/, read off
// the shapes in the code. Element-wise work (activations, softmax, bias adds, the Bahdanau
// "keys + query" add, dropout, Adam, the loss) is not counted. A broadcast scaling
// (inner dimension 1, e.g. dh_s = a_s dc) counts 2 FLOPs per element like any M x N x 1 GEMM.
std::vector<FlopTerm> trainingFlopTerms(const ModelConfig &m, int steps, int batch)
{
    const double T = steps, B = batch, F = m.inputs, H = m.hidden, U = m.attentionUnits,
                 O = m.outputs, TB = T * B;
    std::vector<FlopTerm> v;
    auto mac = [&v](const char *layer, const char *what, double multiplyAdds) {
        v.push_back({layer, what, 2.0 * multiplyAdds});
    };

    // --- LSTM (lstm.cpp) ---
    // forward, eq. (1) input part: z = x W_ih^T, one GEMM (T*B x F)(F x 4H).
    mac("lstm", "fwd z = x W_ih^T            (T*B x F)(F x 4H)", TB * F * 4 * H);
    // forward, eq. (1) recurrent part for t = 1..T-1 (h_{-1} = 0 is skipped): (B x H)(H x 4H).
    mac("lstm", "fwd z_t += h_{t-1} W_hh^T   (B x H)(H x 4H) x (T-1)", (T - 1) * B * H * 4 * H);
    // backward, dhNext = dz_t W_hh for t = T-1..1 (not at t = 0): (B x 4H)(4H x H).
    mac("lstm", "bwd dh_next = dz_t W_hh     (B x 4H)(4H x H) x (T-1)", (T - 1) * B * 4 * H * H);
    // backward, dW_ih += dz^T x over all steps: (4H x T*B)(T*B x F).
    mac("lstm", "bwd dW_ih += dz^T x         (4H x T*B)(T*B x F)", 4 * H * TB * F);
    // backward, dW_hh += dz[B:]^T h[:-B] over steps 1..T-1: (4H x (T-1)*B)((T-1)*B x H).
    mac("lstm", "bwd dW_hh += dz^T h         (4H x (T-1)B)((T-1)B x H)", 4 * H * (T - 1) * B * H);
    // backward, dx = dz W_ih, the input gradient (Model::inputGradient): (T*B x 4H)(4H x F).
    mac("lstm", "bwd dx = dz W_ih            (T*B x 4H)(4H x F)", TB * 4 * H * F);

    // --- attention scores (bahdanauattention.cpp / luongattention.cpp) ---
    if (m.attention == AttentionKind::Bahdanau) {
        const double A = H; // the score's inner width equals H in BahdanauAttention
        // forward, keys = hs W1^T, one GEMM (T*B x H)(H x A).
        mac("attention", "fwd keys = hs W1^T          (T*B x H)(H x A)", TB * H * A);
        // forward, query = h_T W2^T: (B x H)(H x A).
        mac("attention", "fwd query = h_T W2^T        (B x H)(H x A)", B * H * A);
        // forward, e_s = k_s v^T for every step: (B x A)(A x 1) x T.
        mac("attention", "fwd e_s = k_s v^T           (B x A)(A x 1) x T", TB * A);
        // backward, dv += de_s^T k_s for every step: (1 x B)(B x A) x T.
        mac("attention", "bwd dv += de_s^T k_s        (1 x B)(B x A) x T", TB * A);
        // backward, dz_s = (1 - k^2) * v * de_s is element-wise (not counted).
        // backward, dW1 += dK^T hs: (A x T*B)(T*B x H).
        mac("attention", "bwd dW1 += dK^T hs          (A x T*B)(T*B x H)", A * TB * H);
        // backward, dHs += dK W1: (T*B x A)(A x H).
        mac("attention", "bwd dhs += dK W1            (T*B x A)(A x H)", TB * A * H);
        // backward, dW2 += dQ^T h_T: (A x B)(B x H).
        mac("attention", "bwd dW2 += dQ^T h_T         (A x B)(B x H)", A * B * H);
        // backward, dh_T += dQ W2: (B x A)(A x H).
        mac("attention", "bwd dh_T += dQ W2           (B x A)(A x H)", B * A * H);
    } else {
        if (m.attention == AttentionKind::Luong) {
            // forward, general score: queryW = h_T W: (B x H)(H x H). (dot: a copy)
            mac("attention", "fwd q = h_T W               (B x H)(H x H)", B * H * H);
        }
        // forward, e_s = rowsum(h_s * q) for every step: T*B dot products of length H.
        mac("attention", "fwd e_s = <h_s, q>          (B x H) dots x T", TB * H);
        // backward, dq += h_s * de_s for every step: T*B*H multiply-adds.
        mac("attention", "bwd dq += de_s h_s          (B x H) x T", TB * H);
        // backward, dh_s += q * de_s for every step: T*B*H multiply-adds.
        mac("attention", "bwd dh_s += de_s q          (B x H) x T", TB * H);
        if (m.attention == AttentionKind::Luong) {
            // backward, dW += h_T^T dq: (H x B)(B x H).
            mac("attention", "bwd dW += h_T^T dq          (H x B)(B x H)", H * B * H);
            // backward, dh_T += dq W^T: (B x H)(H x H). (dot: dh_T += dq, adds only)
            mac("attention", "bwd dh_T += dq W^T          (B x H)(H x H)", B * H * H);
        }
    }

    // --- attention readout (attentionreadout.cpp) ---
    // forward, c = sum_s a_s h_s: T*B*H multiply-adds.
    mac("readout", "fwd c += a_s h_s            (B x H) x T", TB * H);
    // forward, out = [c; h_T] W_c^T: (B x 2H)(2H x U).
    mac("readout", "fwd out = [c;h_T] W_c^T     (B x 2H)(2H x U)", B * 2 * H * U);
    // backward, dW_c += dPre^T [c; h_T]: (U x B)(B x 2H).
    mac("readout", "bwd dW_c += dPre^T [c;h_T]  (U x B)(B x 2H)", U * B * 2 * H);
    // backward, [dc; dh_T] = dPre W_c: (B x U)(U x 2H).
    mac("readout", "bwd [dc;dh_T] = dPre W_c    (B x U)(U x 2H)", B * U * 2 * H);
    // backward, da_s = rowsum(dc * h_s) for every step: T*B dot products of length H.
    mac("readout", "bwd da_s = <dc, h_s>        (B x H) dots x T", TB * H);
    // backward, dh_s = a_s dc for every step: a (B x 1)(1 x H) broadcast, T*B*H products.
    mac("readout", "bwd dh_s = a_s dc           (B x 1)(1 x H) x T", TB * H);

    // --- Dense head (dense.cpp); Dropout is element-wise ---
    // forward, y = x W^T: (B x U)(U x O).
    mac("dense", "fwd y = x W^T               (B x U)(U x O)", B * U * O);
    // backward, dW += dy^T x: (O x B)(B x U).
    mac("dense", "bwd dW += dy^T x            (O x B)(B x U)", O * B * U);
    // backward, dx = dy W: (B x O)(O x U).
    mac("dense", "bwd dx = dy W               (B x O)(O x U)", B * O * U);
    return v;
}

double sumFlops(const std::vector<FlopTerm> &terms, const char *layer)
{
    double s = 0;
    for (const FlopTerm &t : terms)
        if (!layer || std::strcmp(t.layer, layer) == 0)
            s += t.flops;
    return s;
}

} // namespace attn::bench
