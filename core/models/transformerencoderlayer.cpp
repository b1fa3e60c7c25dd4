// SPDX-License-Identifier: GPL-3.0-or-later
// Transformer encoder layer: attention and feed-forward sublayers with residual connections,
// dropout and layer normalisation, post-norm or pre-norm, forward and backward.
#include "core/models/transformerencoderlayer.h"

namespace attn {

TransformerEncoderLayer::TransformerEncoderLayer(int width, int heads, int inner, double dropout,
                                                 bool preNorm, Rng &rng)
    : m_preNorm(preNorm), m_attention(width, heads, rng), m_ffn(width, inner, rng), m_norm1(width),
      m_norm2(width), m_dropout1(dropout), m_dropout2(dropout)
{
}

void TransformerEncoderLayer::resize(int steps, int batch)
{
    if (steps < 1 || batch < 1)
        throw ShapeError("TransformerEncoderLayer::resize: steps and batch must be >= 1");
    if (steps == m_steps && batch == m_batch)
        return;
    const Eigen::Index rows = Eigen::Index(steps) * batch, D = width();
    m_attention.resize(steps, batch);
    m_ffn.resize(rows);
    m_norm1.resize(rows);
    m_norm2.resize(rows);
    m_dropout1.resize(rows, D);
    m_dropout2.resize(rows, D);
    for (Mat *m : {&m_cache.norm1, &m_cache.attn, &m_cache.drop1, &m_cache.h, &m_cache.norm2,
                   &m_cache.ffn, &m_cache.drop2, &m_dH, &m_dTmp, &m_dTmp2})
        m->resize(rows, D);
    m_steps = steps;
    m_batch = batch;
}

void TransformerEncoderLayer::forward(const ConstMatRef &x, MatRef y, Rng *rng)
{
    if (m_steps == 0)
        throw ShapeError("TransformerEncoderLayer::forward: call resize(T, B) first");
    const Eigen::Index rows = Eigen::Index(m_steps) * m_batch;
    requireShape(x, rows, width(), "TransformerEncoderLayer::forward x");
    requireShape(y, rows, width(), "TransformerEncoderLayer::forward y");
    Cache &c = m_cache;
    Rng scratch(0); // never drawn from: dropout is off without rng
    Rng &r = rng ? *rng : scratch;
    const bool training = rng != nullptr;
    if (m_preNorm) {
        m_norm1.forward(x, c.norm1); // (1')
        m_attention.forward(c.norm1, c.attn);
        m_dropout1.forward(c.attn, c.drop1, r, training);
        c.h = x + c.drop1;
        m_norm2.forward(c.h, c.norm2); // (2')
        m_ffn.forward(c.norm2, c.ffn);
        m_dropout2.forward(c.ffn, c.drop2, r, training);
        y = c.h + c.drop2;
    } else {
        m_attention.forward(x, c.attn); // (1)
        m_dropout1.forward(c.attn, c.drop1, r, training);
        c.drop1 += x;
        m_norm1.forward(c.drop1, c.h);
        m_ffn.forward(c.h, c.ffn); // (2)
        m_dropout2.forward(c.ffn, c.drop2, r, training);
        c.drop2 += c.h;
        m_norm2.forward(c.drop2, y);
    }
}

void TransformerEncoderLayer::backward(const ConstMatRef &x, const ConstMatRef &dy, MatRef dx)
{
    const Eigen::Index rows = Eigen::Index(m_steps) * m_batch;
    requireShape(x, rows, width(), "TransformerEncoderLayer::backward x");
    requireShape(dy, rows, width(), "TransformerEncoderLayer::backward dy");
    requireShape(dx, rows, width(), "TransformerEncoderLayer::backward dx");
    const Cache &c = m_cache;
    if (m_preNorm) {
        // Differentiates y = h + Drop(FFN(LN_2(h))), h = x + Drop(MHA(LN_1(x))):
        //   dh = dy + LN_2 backward(FFN backward(Drop backward(dy)))
        //   dx = dh + LN_1 backward(MHA backward(Drop backward(dh)))
        m_dropout2.backward(dy, m_dTmp);
        m_ffn.backward(c.norm2, m_dTmp, m_dTmp2);
        m_norm2.backward(m_dTmp2, m_dH);
        m_dH += dy;
        m_dropout1.backward(m_dH, m_dTmp);
        m_attention.backward(c.norm1, m_dTmp, m_dTmp2);
        m_norm1.backward(m_dTmp2, dx);
        dx += m_dH;
    } else {
        // Differentiates y = LN_2(h + Drop(FFN(h))), h = LN_1(x + Drop(MHA(x))):
        //   ds2 = LN_2 backward(dy);  dh = ds2 + FFN backward(Drop backward(ds2))
        //   ds1 = LN_1 backward(dh);  dx = ds1 + MHA backward(Drop backward(ds1))
        m_norm2.backward(dy, m_dTmp2); // ds2
        m_dropout2.backward(m_dTmp2, m_dTmp);
        m_ffn.backward(c.h, m_dTmp, m_dH);
        m_dH += m_dTmp2;
        m_norm1.backward(m_dH, m_dTmp2); // ds1
        m_dropout1.backward(m_dTmp2, m_dTmp);
        m_attention.backward(x, m_dTmp, dx);
        dx += m_dTmp2;
    }
}

void TransformerEncoderLayer::zeroGrad()
{
    m_attention.zeroGrad();
    m_ffn.zeroGrad();
    m_norm1.zeroGrad();
    m_norm2.zeroGrad();
}

void TransformerEncoderLayer::appendParams(const std::string &prefix, std::vector<ParamRef> &out)
{
    m_attention.appendParams(prefix + ".self_attn", out);
    m_ffn.appendParams(prefix, out);
    m_norm1.appendParams(prefix + ".norm1", out);
    m_norm2.appendParams(prefix + ".norm2", out);
}

} // namespace attn
