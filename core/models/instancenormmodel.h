// SPDX-License-Identifier: GPL-3.0-or-later
// Reversible instance normalisation around any sequence model, for forecasts: each window is
// standardised by its own mean and spread before the model reads it, and the forecast is put
// back on the window's level. A model trained on a growing series then reads every window on
// one scale (Kim et al. 2022, "Reversible Instance Normalization", eqs. 1-3, without the affine).
#pragma once

#include "core/models/model.h"

#include <memory>

namespace attn {

/// Wraps the model `inner` (built from the same config with instanceNorm off):
///   mu_bf = mean_t x_tbf,  sigma_bf = sqrt(mean_t (x_tbf - mu_bf)^2 + eps)      (B, F)
///   xn_tbf = (x_tbf - mu_bf) / sigma_bf                                        (T*B, F)
///   y_b = inner(xn)_b * sigma_bk + mu_bk,  k = config.instanceNormFeature        (B, 1)
/// so the inner model predicts the next value in units of the window's own spread around the
/// window's own mean. Parameters, attention weights and head maps are the inner model's.
/// Requires (ConfigError from the constructor): the Sequence architecture, number inputs (no
/// token ids), one output, 0 <= instanceNormFeature < F. setPaddingMask throws ConfigError for
/// a mask with padding (the statistics would include the padded steps).
class InstanceNormModel : public Model {
public:
    InstanceNormModel(const ModelConfig &config, std::unique_ptr<Model> inner);

    void resize(int steps, int batch) override;
    /// x (T*B, F) time-major -> (B, 1) in the units of x. Throws ShapeError on a shape mismatch.
    const Mat &forward(const ConstMatRef &x, bool training) override;
    void setPaddingMask(const ConstMatRef &mask) override;
    void backward(const ConstMatRef &x, const ConstMatRef &dOut) override;
    /// (T*B, F) dL/dx through the normalisation, its statistics and the output's rescaling.
    const Mat &inputGradient() const override { return m_dInput; }
    void zeroGrad() override { m_inner->zeroGrad(); }
    std::vector<ParamRef> params() override { return m_inner->params(); }
    const Mat &attentionWeights() const override { return m_inner->attentionWeights(); }
    void setAttentionOverride(const ConstMatRef &weights) override;
    int attentionHeads() const override { return m_inner->attentionHeads(); }
    int attentionLayers() const override { return m_inner->attentionLayers(); }
    void attentionHeadMap(int sequence, int head, MatRef out) const override;

    /// sigma's epsilon, in the units of x: keeps a flat window (spread 0) finite, as LayerNorm's.
    static constexpr double kEpsilon = 1e-5;

private:
    std::unique_ptr<Model> m_inner;
    Mat m_mean;      // (B, F) mu
    Mat m_sigma;     // (B, F) sigma
    Mat m_xn;        // (T*B, F) normalised input
    Mat m_innerOut;  // (B, 1) the inner model's output
    Mat m_out;       // (B, 1)
    Mat m_dInner;    // (B, 1) dL/d(inner output)
    Mat m_dInput;    // (T*B, F)
};

} // namespace attn
