// SPDX-License-Identifier: GPL-3.0-or-later
// The attribution methods of Explainer: one backward pass for the gradients, one forward pass
// per erased unit, m forward and backward passes along the straight path for integrated
// gradients, and forward passes under overridden attention weights.
#include "core/explain/explainer.h"

#include <cmath>

namespace attn {

namespace {

Scalar sigmoid(Scalar z) { return Scalar(0.5) * std::tanh(Scalar(0.5) * z) + Scalar(0.5); }

// Softmax of one row of logits into p (1, C).
void softmaxRow(const ConstMatRef &logits, Mat &p)
{
    p = (logits.array() - logits.maxCoeff()).exp().matrix();
    p /= p.sum();
}

} // namespace

Explainer::Explainer(Model &model, LossKind loss, int steps, const ConstMatRef &x,
                     const ConstMatRef &mask)
    : m_model(model), m_loss(loss),
      m_features(attendsOverFeatures(model.config().architecture)),
      m_tokens(model.config().vocabulary > 0)
{
    const int F = model.config().inputs;
    if (x.cols() != F)
        throw ShapeError("Explainer: x has " + std::to_string(x.cols()) + " features, the model " +
                         std::to_string(F));
    const int T = steps;
    if (T < 1 || (m_features && T != 1) || x.rows() % T != 0 || x.rows() == 0)
        throw ShapeError("Explainer: x has " + std::to_string(x.rows()) +
                         " rows, not a multiple of T = " + std::to_string(T));
    m_rows = int(x.rows() / T);
    m_units = m_features ? F : T;
    if (mask.size() > 0)
        requireShape(mask, m_rows, T, "Explainer mask");
    m_mask = mask;
    if (m_mask.size() > 0 && !m_features)
        m_real = m_mask;
    else
        m_real = Mat::Ones(m_rows, m_units);
    model.resize(T, m_rows);
    model.setPaddingMask(m_mask);
    m_input.resize(x.rows(), model.inputWidth());
    model.embedInputs(x, m_input);
    m_baseline = Mat::Zero(m_input.rows(), m_input.cols());
    if (m_tokens) { // the padding id's embedding row at every step
        Mat pad = Mat::Zero(1, 1), padRow(1, model.inputWidth());
        model.embedInputs(pad, padRow);
        m_baseline.rowwise() = padRow.row(0);
    }
    m_output = model.forwardEmbedded(m_input);
    m_attention = model.attentionWeights();
    const Eigen::Index O = m_output.cols();
    m_select = Mat::Ones(m_rows, O);
    if (loss == LossKind::SoftmaxCrossEntropy) {
        m_select.setZero();
        for (Eigen::Index r = 0; r < m_rows; ++r) {
            Eigen::Index c = 0;
            m_output.row(r).maxCoeff(&c);
            m_select(r, c) = 1;
        }
    }
}

void Explainer::setNeutralValues(const ConstMatRef &values)
{
    if (m_tokens)
        throw ConfigError("Explainer::setNeutralValues: token ids are erased to padding");
    requireShape(values, 1, m_model.config().inputs, "Explainer::setNeutralValues values");
    m_baseline.rowwise() = values.row(0); // (T*R, F) or the FeatureModel's (R, F)
}

bool Explainer::classification() const
{
    return m_loss == LossKind::BinaryCrossEntropy || m_loss == LossKind::SoftmaxCrossEntropy;
}

Mat Explainer::explained(const ConstMatRef &out) const
{
    requireShape(out, m_rows, m_output.cols(), "Explainer::explained out");
    return (out.array() * m_select.array()).rowwise().sum().matrix();
}

Mat Explainer::outputChange(const ConstMatRef &out) const
{
    requireShape(out, m_rows, m_output.cols(), "Explainer::outputChange out");
    Mat change(m_rows, 1);
    const Eigen::Index O = out.cols();
    Mat p, q;
    for (Eigen::Index r = 0; r < m_rows; ++r) {
        if (m_loss == LossKind::BinaryCrossEntropy) {
            double sum = 0.0; // TVD of (p, 1 - p) and (q, 1 - q) is |p - q|
            for (Eigen::Index o = 0; o < O; ++o)
                sum += std::abs(double(sigmoid(out(r, o)) - sigmoid(m_output(r, o))));
            change(r, 0) = Scalar(sum / double(O));
        } else if (m_loss == LossKind::SoftmaxCrossEntropy) {
            softmaxRow(m_output.row(r), p);
            softmaxRow(out.row(r), q);
            change(r, 0) = Scalar(0.5) * (p - q).cwiseAbs().sum();
        } else {
            change(r, 0) = std::abs((out.row(r) - m_output.row(r)).sum());
        }
    }
    return change;
}

Mat Explainer::decisionFlips(const ConstMatRef &out) const
{
    if (!classification())
        throw ConfigError("Explainer::decisionFlips: a regression has no decision");
    requireShape(out, m_rows, m_output.cols(), "Explainer::decisionFlips out");
    Mat flips = Mat::Zero(m_rows, 1);
    for (Eigen::Index r = 0; r < m_rows; ++r) {
        if (m_loss == LossKind::BinaryCrossEntropy) {
            for (Eigen::Index o = 0; o < out.cols(); ++o)
                if ((out(r, o) > 0) != (m_output(r, o) > 0))
                    flips(r, 0) = 1;
        } else {
            Eigen::Index before = 0, after = 0;
            m_output.row(r).maxCoeff(&before);
            out.row(r).maxCoeff(&after);
            flips(r, 0) = before != after ? 1 : 0;
        }
    }
    return flips;
}

Eigen::Block<Mat> Explainer::unit(Mat &m, Eigen::Index r, Eigen::Index u) const
{
    if (m_features)
        return m.block(r, u, 1, 1);
    return m.block(u * m_rows + r, 0, 1, m.cols());
}

void Explainer::sumOverUnits(const Mat &entries, Mat &out) const
{
    out.resize(m_rows, m_units);
    if (m_features) {
        out = entries;
        return;
    }
    for (Eigen::Index u = 0; u < m_units; ++u)
        out.col(u) = entries.middleRows(u * m_rows, m_rows).rowwise().sum();
}

void Explainer::gradients(Mat &gradient, Mat &inputXGradient)
{
    m_model.setPaddingMask(m_mask);
    m_model.forwardEmbedded(m_input);
    m_model.backward(m_input, m_select);
    const Mat &g = m_model.inputGradient(); // (T*R, D)
    const Mat squares = g.array().square().matrix();
    sumOverUnits(squares, gradient);
    gradient = gradient.cwiseSqrt();
    const Mat products = (m_input.array() * g.array()).matrix();
    sumOverUnits(products, inputXGradient);
    m_model.zeroGrad();
}

Mat Explainer::leaveOneOut()
{
    Mat erased = m_input, mask = m_mask;
    const bool dropSteps = m_tokens && m_mask.size() > 0 && m_model.config().maskPadding;
    Mat out(m_rows, m_units);
    for (Eigen::Index u = 0; u < m_units; ++u) {
        for (Eigen::Index r = 0; r < m_rows; ++r)
            unit(erased, r, u) = unit(m_baseline, r, u);
        if (dropSteps) // the erased word becomes padding, unless it is the row's only real step
            for (Eigen::Index r = 0; r < m_rows; ++r)
                if (m_mask.row(r).sum() > m_mask(r, u))
                    mask(r, u) = 0;
        m_model.setPaddingMask(mask);
        out.col(u) = outputChange(m_model.forwardEmbedded(erased));
        for (Eigen::Index r = 0; r < m_rows; ++r)
            unit(erased, r, u) = unit(m_input, r, u);
        if (dropSteps)
            mask.col(u) = m_mask.col(u);
    }
    m_model.setPaddingMask(m_mask);
    return out;
}

IntegratedGradients Explainer::integratedGradients(int steps)
{
    if (steps < 1)
        throw ConfigError("Explainer::integratedGradients: steps must be >= 1");
    m_model.setPaddingMask(m_mask);
    const Mat difference = m_input - m_baseline; // u - u'
    Mat point(m_input.rows(), m_input.cols());
    Mat gradientSum = Mat::Zero(m_input.rows(), m_input.cols());
    IntegratedGradients ig;
    ig.delta = explained(m_output) - explained(m_model.forwardEmbedded(m_baseline));
    for (int k = 1; k <= steps; ++k) { // eq. 3 at the midpoints, alpha = (k - 1/2)/m
        point = m_baseline + ((Scalar(k) - Scalar(0.5)) / Scalar(steps)) * difference;
        m_model.forwardEmbedded(point);
        m_model.backward(point, m_select);
        gradientSum += m_model.inputGradient();
    }
    m_model.zeroGrad();
    const Mat entries = (difference.array() * gradientSum.array() / Scalar(steps)).matrix();
    sumOverUnits(entries, ig.attributions);
    ig.gap = ig.attributions.rowwise().sum() - ig.delta;
    return ig;
}

Mat Explainer::outputWithAttention(const ConstMatRef &weights)
{
    requireShape(weights, m_rows, m_units, "Explainer::outputWithAttention weights");
    m_model.setPaddingMask(m_mask);
    m_model.setAttentionOverride(weights);
    Mat out;
    try {
        out = m_model.forwardEmbedded(m_input);
    } catch (...) {
        m_model.setAttentionOverride(Mat());
        throw;
    }
    m_model.setAttentionOverride(Mat());
    return out;
}

} // namespace attn
