// SPDX-License-Identifier: GPL-3.0-or-later
// Interface of the many-to-one attention layers: hidden states of all time steps in, one
// attention vector per sequence out, and the attention weights always available for the UI.
#pragma once

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
    /// Attention weights of the last forward pass, (B, T); each row sums to 1.
    virtual const Mat &weights() const = 0;
    virtual void zeroGrad() = 0;
    virtual void appendParams(const std::string &prefix, std::vector<ParamRef> &out) = 0;
    /// U, the width of the output.
    virtual int outputs() const = 0;
};

} // namespace attn
