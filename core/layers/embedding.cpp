// SPDX-License-Identifier: GPL-3.0-or-later
// Embedding lookup and its row-accumulating backward pass.
#include "core/layers/embedding.h"

#include "core/tensor/init.h"

#include <cmath>

namespace attn {

namespace {

// Row n's token id as an index; throws DataError unless it is a whole number in 0..V.
Eigen::Index tokenId(const ConstMatRef &ids, Eigen::Index n, int vocabulary, const char *where)
{
    const Scalar id = ids(n, 0);
    if (!(id >= 0 && id <= Scalar(vocabulary) && id == std::floor(id)))
        throw DataError(std::string(where) + ": row " + std::to_string(n) + " holds token id " +
                        std::to_string(double(id)) + ", expected a whole number in 0.." +
                        std::to_string(vocabulary));
    return Eigen::Index(id);
}

} // namespace

Embedding::Embedding(int vocabulary, int dim, Rng &rng)
{
    if (vocabulary < 1 || dim < 1)
        throw ConfigError("Embedding: vocabulary and dim must be >= 1");
    m_params.weight.resize(Eigen::Index(vocabulary) + 1, dim);
    uniformFill(m_params.weight, -0.05, 0.05, rng); // Keras' default embeddings_initializer
    m_grads.weight = Mat::Zero(Eigen::Index(vocabulary) + 1, dim);
}

void Embedding::forward(const ConstMatRef &ids, MatRef out) const
{
    requireShape(ids, ids.rows(), 1, "Embedding::forward ids");
    requireShape(out, ids.rows(), dim(), "Embedding::forward out");
    for (Eigen::Index n = 0; n < ids.rows(); ++n)
        out.row(n) = m_params.weight.row(tokenId(ids, n, vocabulary(), "Embedding::forward"));
}

void Embedding::backward(const ConstMatRef &ids, const ConstMatRef &dOut)
{
    // Differentiates out[n] = W[id_n]:  dW[id_n] += dOut[n]  (rows of W that no id selects get 0).
    requireShape(ids, ids.rows(), 1, "Embedding::backward ids");
    requireShape(dOut, ids.rows(), dim(), "Embedding::backward dOut");
    for (Eigen::Index n = 0; n < ids.rows(); ++n)
        m_grads.weight.row(tokenId(ids, n, vocabulary(), "Embedding::backward")) += dOut.row(n);
}

void Embedding::appendParams(const std::string &prefix, std::vector<ParamRef> &out)
{
    out.push_back({prefix + ".weight", &m_params.weight, &m_grads.weight});
}

} // namespace attn
