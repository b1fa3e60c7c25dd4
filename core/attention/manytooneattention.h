// SPDX-License-Identifier: GPL-3.0-or-later
// Interface of the many-to-one attention layers: hidden states of all time steps in, one
// attention vector per sequence out, and the attention weights always available for the UI.
// An optional padding mask (Keras mask_zero, PyTorch key_padding_mask) gives padding steps
// exactly zero attention weight.
#pragma once

#include "core/tensor/softmax.h"
#include "core/tensor/tensor.h"

#include <string>
#include <vector>

namespace attn {

class ManyToOneAttention {
public:
    virtual ~ManyToOneAttention() = default;
    /// Allocates caches and workspaces for T steps of B sequences (no-op if unchanged).
    virtual void resize(int steps, int batch) = 0;
    /// hs (T*B, H) time-major hidden states -> out (B, U). Throws ShapeError on a mismatch.
    virtual void forward(const ConstMatRef &hs, MatRef out) = 0;
    /// dOut (B, U) -> writes dL/dhs (T*B, H) into dHs; adds parameter gradients.
    virtual void backward(const ConstMatRef &hs, const ConstMatRef &dOut, MatRef dHs) = 0;
    /// Attention weights of the last forward pass, (B, T); each row sums to 1 (over the real
    /// steps when masked; padding weights are exactly 0).
    virtual const Mat &weights() const = 0;
    /// mask (B, T): 1 = real step, 0 = padding, for the following forward/backward passes, or an
    /// empty matrix: every step is real. Each row should have at least one real step. The query
    /// stays h_T: the recurrent layer carries its state through padding (recurrentlayer.h), so
    /// h_T is the last real step's hidden state. Shape checked by forward (ShapeError).
    void setMask(const ConstMatRef &mask)
    {
        m_hasMask = mask.size() > 0;
        if (m_hasMask)
            m_mask = mask;
    }
    /// The mask set by setMask, or null when every step is real.
    const Mat *mask() const { return m_hasMask ? &m_mask : nullptr; }
    virtual void zeroGrad() = 0;
    virtual void appendParams(const std::string &prefix, std::vector<ParamRef> &out) = 0;
    /// U, the width of the output.
    virtual int outputs() const = 0;

protected:
    /// Throws ShapeError unless the mask (if any) is (B, T).
    void requireMask(Eigen::Index steps, Eigen::Index batch, const char *where) const
    {
        if (m_hasMask)
            requireShape(m_mask, batch, steps, where);
    }
    /// Softmax over the real steps (softmax.h); plain softmaxRows when unmasked.
    void softmaxOverSteps(const ConstMatRef &scores, MatRef weights) const;

private:
    Mat m_mask; // (B, T) 1 = real step, 0 = padding
    bool m_hasMask = false;
};

inline void ManyToOneAttention::softmaxOverSteps(const ConstMatRef &scores, MatRef weights) const
{
    if (m_hasMask)
        maskedSoftmaxRows(scores, m_mask, weights);
    else
        softmaxRows(scores, weights);
}

} // namespace attn
