// SPDX-License-Identifier: GPL-3.0-or-later
// One Transformer encoder layer (Vaswani et al. 2017, "Attention Is All You Need", sec. 3.1 and
// 5.4), laid out as torch.nn.TransformerEncoderLayer (self_attn, linear1, linear2, norm1, norm2;
// activation relu). Residual dropout as in the paper (sec. 5.4: on each sublayer's output,
// before the residual sum); no dropout inside the attention or the feed-forward sublayer.
// Post-norm (the paper; PyTorch norm_first=False), x, y (T*B, D):
//   (1) h = LayerNorm_1(x + Dropout(MHA(x)))           MHA: multiheadattention.h
//   (2) y = LayerNorm_2(h + Dropout(FFN(h)))           FFN: feedforward.h, inner width F'
// Pre-norm (norm_first=True; Xiong et al. 2020, "On Layer Normalization in the Transformer
// Architecture", fig. 1 b):
//   (1') h = x + Dropout(MHA(LayerNorm_1(x)))
//   (2') y = h + Dropout(FFN(LayerNorm_2(h)))
#pragma once

#include "core/attention/multiheadattention.h"
#include "core/layers/dropout.h"
#include "core/layers/feedforward.h"
#include "core/layers/layernorm.h"

namespace attn {

class TransformerEncoderLayer {
public:
    struct Cache {
        Mat norm1;  // (T*B, D) pre-norm: LayerNorm_1(x), the attention's input; unused post-norm
        Mat attn;   // (T*B, D) MHA output
        Mat drop1;  // (T*B, D) Dropout(MHA)
        Mat h;      // (T*B, D) h of (1) / (1')
        Mat norm2;  // (T*B, D) pre-norm: LayerNorm_2(h), the FFN's input; unused post-norm
        Mat ffn;    // (T*B, D) FFN output
        Mat drop2;  // (T*B, D) Dropout(FFN)
    };

    /// width D (d_model), heads K, inner width F' of the FFN, residual dropout rate p, pre-norm
    /// or post-norm. Throws ConfigError on sizes < 1, K not dividing D, p outside [0, 1).
    TransformerEncoderLayer(int width, int heads, int inner, double dropout, bool preNorm, Rng &rng);

    /// Allocates every buffer for T steps of B sequences (no-op if unchanged). ShapeError if < 1.
    void resize(int steps, int batch);
    /// Key padding mask (B, T) for the self-attention, or an empty matrix.
    void setMask(const ConstMatRef &mask) { m_attention.setMask(mask); }
    /// x (T*B, D) -> y (T*B, D), eqs. (1)-(2) or (1')-(2'). Dropout masks from *rng when rng is
    /// not null (training), none otherwise. ShapeError on a mismatch or before resize().
    void forward(const ConstMatRef &x, MatRef y, Rng *rng);
    /// dy (T*B, D) -> writes dL/dx (T*B, D) into dx; adds every parameter gradient. x is the
    /// input of the last forward.
    void backward(const ConstMatRef &x, const ConstMatRef &dy, MatRef dx);
    void zeroGrad();
    /// Appends "<prefix>.self_attn.in_proj_weight", ".self_attn.in_proj_bias",
    /// ".self_attn.out_proj.weight", ".self_attn.out_proj.bias", ".linear1.weight", ".linear1.bias",
    /// ".linear2.weight", ".linear2.bias", ".norm1.weight", ".norm1.bias", ".norm2.weight",
    /// ".norm2.bias" (PyTorch's state_dict order).
    void appendParams(const std::string &prefix, std::vector<ParamRef> &out);
    const MultiHeadAttention &attention() const { return m_attention; }
    MultiHeadAttention &attention() { return m_attention; }
    bool preNorm() const { return m_preNorm; }
    int width() const { return m_attention.width(); }

private:
    bool m_preNorm;
    MultiHeadAttention m_attention;
    FeedForward m_ffn;
    LayerNorm m_norm1;
    LayerNorm m_norm2;
    Dropout m_dropout1;
    Dropout m_dropout2;
    Cache m_cache;
    Mat m_dH;    // (T*B, D) dL/dh
    Mat m_dTmp;  // (T*B, D) scratch for a sublayer's gradient
    Mat m_dTmp2; // (T*B, D)
    int m_steps = 0;
    int m_batch = 0;
};

} // namespace attn
