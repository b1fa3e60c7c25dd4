// SPDX-License-Identifier: GPL-3.0-or-later
// The FLOP model of bench_training and bench_sidebyside (trainingflops.h): every matrix product
// of one training step of a SequenceModel, for every mechanism it builds and both cells.
#include "bench/trainingflops.h"

#include <cstring>
#include <stdexcept>

namespace attn::bench {

namespace {

// Appends 2 FLOPs per multiply-add.
struct Terms {
    std::vector<FlopTerm> &v;
    void mac(const char *layer, const char *what, double multiplyAdds)
    {
        v.push_back({layer, what, 2.0 * multiplyAdds});
    }
};

// LSTM (lstm.cpp) or GRU (gru.cpp) through RecurrentLayer (recurrentlayer.cpp); G = 4 or 3 gates.
void recurrentTerms(Terms t, const ModelConfig &m, double T, double B)
{
    const double F = m.inputs, H = m.hidden, TB = T * B;
    const double G = m.cell == RecurrentCell::Gru ? 3 : 4;
    const char *L = m.cell == RecurrentCell::Gru ? "gru" : "lstm";
    // forward, the input part: a = x W_ih^T, one GEMM (T*B x F)(F x GH).
    t.mac(L, "fwd a = x W_ih^T            (T*B x F)(F x GH)", TB * F * G * H);
    // forward, the recurrent part for t = 1..T-1 (h_{-1} = 0 is skipped): (B x H)(H x GH).
    t.mac(L, "fwd u_t = h_{t-1} W_hh^T    (B x H)(H x GH) x (T-1)", (T - 1) * B * H * G * H);
    // backward, dhPrev = du_t W_hh for t = T-1..1 (not at t = 0): (B x GH)(GH x H).
    t.mac(L, "bwd dh_prev = du_t W_hh     (B x GH)(GH x H) x (T-1)", (T - 1) * B * G * H * H);
    // backward, dW_ih += da^T x over all steps: (GH x T*B)(T*B x F).
    t.mac(L, "bwd dW_ih += da^T x         (GH x T*B)(T*B x F)", G * H * TB * F);
    // backward, dW_hh += du[B:]^T h[:-B] over steps 1..T-1: (GH x (T-1)*B)((T-1)*B x H).
    t.mac(L, "bwd dW_hh += du^T h         (GH x (T-1)B)((T-1)B x H)", G * H * (T - 1) * B * H);
    // backward, dx = da W_ih, the input gradient (Model::inputGradient): (T*B x GH)(GH x F).
    t.mac(L, "bwd dx = da W_ih            (T*B x GH)(GH x F)", TB * G * H * F);
}

// bahdanauattention.cpp: the score's inner width A equals H.
void bahdanauTerms(Terms t, const ModelConfig &m, double T, double B)
{
    const double H = m.hidden, A = H, TB = T * B;
    t.mac("attention", "fwd keys = hs W1^T          (T*B x H)(H x A)", TB * H * A);
    t.mac("attention", "fwd query = h_T W2^T        (B x H)(H x A)", B * H * A);
    t.mac("attention", "fwd e_s = k_s v^T           (B x A)(A x 1) x T", TB * A);
    t.mac("attention", "bwd dv += de_s^T k_s        (1 x B)(B x A) x T", TB * A);
    // dz_s = (1 - k^2) * v * de_s is element-wise (not counted).
    t.mac("attention", "bwd dW1 += dK^T hs          (A x T*B)(T*B x H)", A * TB * H);
    t.mac("attention", "bwd dhs += dK W1            (T*B x A)(A x H)", TB * A * H);
    t.mac("attention", "bwd dW2 += dQ^T h_T         (A x B)(B x H)", A * B * H);
    t.mac("attention", "bwd dh_T += dQ W2           (B x A)(A x H)", B * A * H);
}

// luongattention.cpp (general: q = h_T W; dot: q = h_T, a copy) and the content score of local.
void luongScoreTerms(Terms t, const ModelConfig &m, double T, double B, bool general)
{
    const double H = m.hidden, TB = T * B;
    if (general)
        t.mac("attention", "fwd q = h_T W               (B x H)(H x H)", B * H * H);
    t.mac("attention", "fwd e_s = <h_s, q>          (B x H) dots x T", TB * H);
    t.mac("attention", "bwd dq += de_s h_s          (B x H) x T", TB * H);
    t.mac("attention", "bwd dh_s += de_s q          (B x H) x T", TB * H);
    if (general) {
        t.mac("attention", "bwd dW += h_T^T dq          (H x B)(B x H)", H * B * H);
        t.mac("attention", "bwd dh_T += dq W^T          (B x H)(H x H)", B * H * H);
    }
}

// localattention.cpp (local-p): the general content score, plus the centre's W_p (A, H), v_p
// (1, A) with A = H; the Gaussian is element-wise.
void localTerms(Terms t, const ModelConfig &m, double T, double B)
{
    const double H = m.hidden, A = H;
    luongScoreTerms(t, m, T, B, true);
    t.mac("attention", "fwd u = h_T W_p^T           (B x H)(H x A)", B * H * A);
    t.mac("attention", "fwd z = u v_p^T             (B x A)(A x 1)", B * A);
    t.mac("attention", "bwd dv_p += dz^T u          (1 x B)(B x A)", B * A);
    t.mac("attention", "bwd du = dz v_p             (B x 1)(1 x A)", B * A);
    t.mac("attention", "bwd dW_p += du^T h_T        (A x B)(B x H)", A * B * H);
    t.mac("attention", "bwd dh_T += du W_p          (B x A)(A x H)", B * A * H);
}

// feedforwardattention.cpp (Raffel & Ellis): no readout, the context is the output.
void feedForwardTerms(Terms t, const ModelConfig &m, double T, double B)
{
    const double H = m.hidden, TB = T * B;
    t.mac("attention", "fwd p = hs w                (T*B x H)(H x 1)", TB * H);
    t.mac("attention", "fwd c += a_t h_t            (B x H) x T", TB * H);
    t.mac("attention", "bwd da_t = <dc, h_t>        (B x H) dots x T", TB * H);
    t.mac("attention", "bwd dh_t = a_t dc           (B x 1)(1 x H) x T", TB * H);
    t.mac("attention", "bwd dw += hs^T dp           (H x T*B)(T*B x 1)", TB * H);
    t.mac("attention", "bwd dhs += dp w^T           (T*B x 1)(1 x H)", TB * H);
}

// selfattention.cpp: K heads of d_k = H / K; per head and sequence (T x d_k)(d_k x T) products,
// which sum to B T^2 H multiply-adds over the heads; pooled before W_o.
void selfAttentionTerms(Terms t, const ModelConfig &m, double T, double B)
{
    const double H = m.hidden, TB = T * B;
    t.mac("attention", "fwd Q, K, V = hs W^T        3 x (T*B x H)(H x H)", 3 * TB * H * H);
    t.mac("attention", "fwd S = Q_k K_k^T           (T x dk)(dk x T) x B K", B * T * T * H);
    t.mac("attention", "fwd C_k = A_k V_k           (T x T)(T x dk) x B K", B * T * T * H);
    t.mac("attention", "fwd out = pooled W_o^T      (B x H)(H x H)", B * H * H);
    t.mac("attention", "bwd dW_o += dOut^T pooled   (H x B)(B x H)", H * B * H);
    t.mac("attention", "bwd dPooled = dOut W_o      (B x H)(H x H)", B * H * H);
    t.mac("attention", "bwd dA = dC_k V_k^T         (T x dk)(dk x T) x B K", B * T * T * H);
    t.mac("attention", "bwd dV_k = A_k^T dC_k       (T x T)(T x dk) x B K", B * T * T * H);
    t.mac("attention", "bwd dQ_k = dS K_k           (T x T)(T x dk) x B K", B * T * T * H);
    t.mac("attention", "bwd dK_k = dS^T Q_k         (T x T)(T x dk) x B K", B * T * T * H);
    t.mac("attention", "bwd dW_q,k,v += d.^T hs     3 x (H x T*B)(T*B x H)", 3 * H * TB * H);
    t.mac("attention", "bwd dhs = dQ W_q + ...      3 x (T*B x H)(H x H)", 3 * TB * H * H);
}

// attentionreadout.cpp: c = sum_s a_s h_s; out = tanh([c; h_T] W_c^T), W_c (U, 2H).
void readoutTerms(Terms t, const ModelConfig &m, double T, double B)
{
    const double H = m.hidden, U = m.attentionUnits, TB = T * B;
    t.mac("readout", "fwd c += a_s h_s            (B x H) x T", TB * H);
    t.mac("readout", "fwd out = [c;h_T] W_c^T     (B x 2H)(2H x U)", B * 2 * H * U);
    t.mac("readout", "bwd dW_c += dPre^T [c;h_T]  (U x B)(B x 2H)", U * B * 2 * H);
    t.mac("readout", "bwd [dc;dh_T] = dPre W_c    (B x U)(U x 2H)", B * U * 2 * H);
    t.mac("readout", "bwd da_s = <dc, h_s>        (B x H) dots x T", TB * H);
    t.mac("readout", "bwd dh_s = a_s dc           (B x 1)(1 x H) x T", TB * H);
}

} // namespace

// FLOPs of one training step (forward + backward) of SequenceModel with config m on a batch of
// B sequences of T steps: 2 FLOPs per multiply-add of every matrix product in core/, read off
// the shapes in the code. Element-wise work (activations, softmax, bias adds, the Bahdanau
// "keys + query" add, the local Gaussian, dropout, Adam, the loss) is not counted. A broadcast
// scaling (inner dimension 1, e.g. dh_s = a_s dc) counts 2 FLOPs per element like any
// M x N x 1 GEMM.
std::vector<FlopTerm> trainingFlopTerms(const ModelConfig &m, int steps, int batch)
{
    const double T = steps, B = batch, H = m.hidden, O = m.outputs;
    std::vector<FlopTerm> v;
    Terms t{v};
    recurrentTerms(t, m, T, B);
    const AttentionKind kind = m.attention;
    double D = m.attentionUnits; // width of the features entering the final Dense
    switch (kind) {
    case AttentionKind::Bahdanau: bahdanauTerms(t, m, T, B); break;
    case AttentionKind::Luong: luongScoreTerms(t, m, T, B, true); break;
    case AttentionKind::LuongDot: luongScoreTerms(t, m, T, B, false); break;
    case AttentionKind::Local: localTerms(t, m, T, B); break;
    case AttentionKind::FeedForward:
        feedForwardTerms(t, m, T, B);
        D = H;
        break;
    case AttentionKind::SelfAttention:
        selfAttentionTerms(t, m, T, B);
        D = H;
        break;
    case AttentionKind::Plain: D = H; break;
    case AttentionKind::None: {
        // sequencemodel.cpp: h_T -> Dense(W) + ReLU (W from baselineWidth), or h_T when W = 0.
        const double W = m.baselineUnits >= 0 ? m.baselineUnits : baselineWidth(m);
        D = W > 0 ? W : H;
        if (W > 0) {
            t.mac("baseline", "fwd u = h_T W_b^T           (B x H)(H x W)", B * H * W);
            t.mac("baseline", "bwd dW_b += du^T h_T        (W x B)(B x H)", W * B * H);
            t.mac("baseline", "bwd dh_T = du W_b           (B x W)(W x H)", B * W * H);
        }
        break;
    }
    default:
        throw std::invalid_argument("trainingFlopTerms: no FLOP model for " + toString(kind));
    }
    if (kind == AttentionKind::Bahdanau || kind == AttentionKind::Luong ||
        kind == AttentionKind::LuongDot || kind == AttentionKind::Local)
        readoutTerms(t, m, T, B);

    // --- Dense head (dense.cpp); Dropout is element-wise ---
    t.mac("dense", "fwd y = x W^T               (B x D)(D x O)", B * D * O);
    t.mac("dense", "bwd dW += dy^T x            (O x B)(B x D)", O * B * D);
    t.mac("dense", "bwd dx = dy W               (B x O)(O x D)", B * O * D);
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
