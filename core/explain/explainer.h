// SPDX-License-Identifier: GPL-3.0-or-later
// Explainer: a trained model and a set of rows, with the attributions over each row's time
// steps (the FeatureModel: over its features) that the faithfulness measures compare with
// attention: gradient, input x gradient, leave-one-out and integrated gradients, and the
// model's output under given (counterfactual) attention weights.
#pragma once

#include "core/models/losskind.h"
#include "core/models/model.h"
#include "core/tensor/tensor.h"

namespace attn {

/// Integrated gradients with their completeness check (Sundararajan et al. 2017, Prop. 1).
struct IntegratedGradients {
    Mat attributions; // (R, U) signed, summed over the features of each unit
    Mat gap;          // (R, 1) sum_u attributions(r, u) - (y(x) - y(x'))
    Mat delta;        // (R, 1) y(x) - y(x'), what the attributions should add up to
};

/// Units U are time steps (U = T) for a SequenceModel and features (U = F) for the
/// FeatureModel. The differentiable input u (Model::embedInputs) is x for number inputs and the
/// embedding output for token ids. The explained output y of row r is the one the prediction
/// reads: the output for regression (the sum of the outputs if O > 1), the logit for binary
/// cross-entropy, the logit of the predicted class (fixed by the unchanged input) for softmax
/// cross-entropy.
///
/// The neutral value x' of a unit ("erased"): for token ids the padding id 0 (u' = its
/// embedding row, and with a padding mask the erased step becomes padding, so a word is
/// dropped as Keras' mask_zero drops it); for numbers 0 by default, which is the training mean
/// of a standardised CSV feature (docs/tasks.md) and the mean of the feature task's N(0, 1)
/// inputs, but on add also the delimiter's value: erasing a value there writes a delimiter,
/// which the model reads (setNeutralValues sets another value, e.g. the training mean).
///
/// The model is resized to (T, R) with the rows' padding mask and stays so; parameter
/// gradients are cleared (zeroGrad) after every method that runs backward.
class Explainer {
public:
    /// steps T (1 for the FeatureModel), x (T*R, F) time-major (the FeatureModel: (R, F)),
    /// mask (R, T) (1 = real step) or empty. Runs the reference forward (evaluation mode).
    /// Throws ShapeError if x or the mask do not fit the model, DataError on a bad token id.
    Explainer(Model &model, LossKind loss, int steps, const ConstMatRef &x, const ConstMatRef &mask);

    /// Number inputs: the neutral value of each feature, (1, F), in place of 0 (for example the
    /// training mean of each feature, which is 0 for standardised CSV features). Throws
    /// ConfigError for token ids, ShapeError if values is not (1, F).
    void setNeutralValues(const ConstMatRef &values);

    int rows() const { return m_rows; }   // R
    int units() const { return m_units; } // U
    /// The model's output for the unchanged rows, (R, O).
    const Mat &output() const { return m_output; }
    /// The attention weights of the unchanged rows, (R, U); empty for the no-attention baseline.
    const Mat &attention() const { return m_attention; }
    /// (R, U): 1 where the unit is a real step, 0 at padding (all 1 without a mask).
    const Mat &realUnits() const { return m_real; }
    /// y of every row of out (R, O), (R, 1) (see the class comment).
    Mat explained(const ConstMatRef &out) const;
    /// The output change of every row from output() to out (R, O), (R, 1): |delta y| for
    /// regression, the total variation distance between the predicted distributions for
    /// classification (sigmoid per output for BCE, averaged over outputs; softmax for softmax
    /// cross-entropy), the measure of Jain & Wallace 2019, sec. 3-4.
    Mat outputChange(const ConstMatRef &out) const;
    /// 1 where the decision of row r differs between output() and out (R, O) (BCE: the sign of a
    /// logit; softmax cross-entropy: the argmax), (R, 1). Throws ConfigError for regression.
    Mat decisionFlips(const ConstMatRef &out) const;
    bool classification() const;

    /// Gradient attributions (Simonyan, Vedaldi & Zisserman 2014, eq. 2 / the saliency map;
    /// Shrikumar et al. 2017, input x gradient), one backward pass, (R, U) each:
    ///   gradient(r, u)         = || dy_r / du_{r,u} ||_2 over the unit's features
    ///   inputXGradient(r, u)   = sum over the unit's features of u_{r,u} * dy_r / du_{r,u}
    void gradients(Mat &gradient, Mat &inputXGradient);
    /// Leave-one-out (Jain & Wallace 2019, sec. 3), (R, U): outputChange() when unit u alone is
    /// erased (set to its neutral value), every other unit kept; U forward passes.
    Mat leaveOneOut();
    /// Integrated gradients from the neutral input x' (Sundararajan, Taly & Yan 2017, eq. 1),
    /// approximated by the Riemann sum of their eq. 3 taken at the midpoints (k - 1/2)/m of
    /// the m intervals, k = 1..m (error O(1/m^2), where eq. 3's right ends k/m give O(1/m)):
    ///   IG_i = (u_i - u'_i) (1/m) sum_{k=1..m} dy/du_i (u' + ((k - 1/2)/m)(u - u')),
    /// summed over each unit's features; completeness (Prop. 1): sum_i IG_i = y(u) - y(u') as
    /// m grows, the gap is reported. m forward and backward passes plus one. Throws
    /// ConfigError if steps < 1.
    IntegratedGradients integratedGradients(int steps);
    /// The model's output (R, O) with attention weights (R, U) in place of the computed ones
    /// (Model::setAttentionOverride); the override is cleared afterwards. Throws ConfigError for
    /// the baseline, ShapeError for a wrong shape.
    Mat outputWithAttention(const ConstMatRef &weights);

private:
    /// Unit u of row r of an input-shaped matrix (T*R, D) (the FeatureModel: (R, F)): (1, D)
    /// row u*R + r, or the (1, 1) entry (r, u).
    Eigen::Block<Mat> unit(Mat &m, Eigen::Index r, Eigen::Index u) const;
    /// Rows' sums of a per-entry matrix (input-shaped) over each unit's features, (R, U).
    void sumOverUnits(const Mat &entries, Mat &out) const;

    Model &m_model;
    LossKind m_loss;
    bool m_features; // FeatureModel: the units are features
    bool m_tokens;   // token ids: erasing a step makes it padding
    int m_rows = 0;
    int m_units = 0;
    Mat m_mask;      // (R, T) or empty
    Mat m_real;      // (R, U)
    Mat m_input;     // (T*R, D) u
    Mat m_baseline;  // (T*R, D) u', the neutral input
    Mat m_output;    // (R, O)
    Mat m_attention; // (R, U) or empty
    Mat m_select;    // (R, O) dy/d(output): the explained output's weights
};

} // namespace attn
