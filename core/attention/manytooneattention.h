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
    /// Counterfactual attention (core/explain; Jain & Wallace 2019, sec. 4): weights (B, T) that
    /// the following forward passes use in place of the computed ones, or an empty matrix: back
    /// to the computed weights. The scores are still computed; weights() then returns the
    /// override, and the context vector (readout) is built from it. The weights are taken as
    /// given (not renormalised, not masked). Self-attention defines it for every query of every
    /// head (selfattention.h). For evaluation only: the gradients of a backward after an
    /// overridden forward are not those of any function. Shape checked by forward (ShapeError).
    void setWeightOverride(const ConstMatRef &weights)
    {
        m_hasOverride = weights.size() > 0;
        if (m_hasOverride)
            m_override = weights;
    }
    /// The weights set by setWeightOverride, or null.
    const Mat *weightOverride() const { return m_hasOverride ? &m_override : nullptr; }
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
    /// With a weight override, copies it into weights (B, T) (ShapeError if it is not (B, T));
    /// no-op otherwise.
    void applyWeightOverride(MatRef weights, const char *where) const
    {
        if (!m_hasOverride)
            return;
        requireShape(m_override, weights.rows(), weights.cols(), where);
        weights = m_override;
    }

private:
    Mat m_mask; // (B, T) 1 = real step, 0 = padding
    bool m_hasMask = false;
    Mat m_override; // (B, T) counterfactual weights
    bool m_hasOverride = false;
};

inline void ManyToOneAttention::softmaxOverSteps(const ConstMatRef &scores, MatRef weights) const
{
    if (m_hasMask)
        maskedSoftmaxRows(scores, m_mask, weights);
    else
        softmaxRows(scores, weights);
}

} // namespace attn
