// SPDX-License-Identifier: GPL-3.0-or-later
// torch.nn's default initialisation for a built model, parameter by parameter, by the name
// params() gives it (the rules are listed in pytorchinit.h and docs/parity.md).
#include "core/models/pytorchinit.h"

#include "core/tensor/init.h"

#include <cmath>
#include <map>
#include <set>
#include <stdexcept>
#include <string>

namespace attn {

namespace {

bool endsWith(const std::string &s, const std::string &tail)
{
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// nn.Linear's bound for both its weight and its bias: kaiming_uniform(a = sqrt(5)) gives
// gain sqrt(2 / (1 + 5)) and bound gain * sqrt(3 / fan_in) = 1 / sqrt(fan_in).
void linearFill(Mat &w, Eigen::Index fanIn, Rng &rng)
{
    const double k = 1.0 / std::sqrt(double(fanIn));
    uniformFill(w, -k, k, rng);
}

} // namespace

void applyPytorchInit(Model &model, Rng &rng)
{
    const ModelConfig &c = model.config();
    const Eigen::Index gates = c.cell == RecurrentCell::Lstm ? 4 : 3;
    // The matrices of the (out, in) layout, whose fan_in is their column count, and the
    // in-features of each owner's Linear, for its bias (weights come before biases in params()).
    static const std::set<std::string> linearWeights = {"weight", "w1", "w2", "v", "w_p", "v_p",
                                                        "w_a", "weight_c", "query", "w_o"};
    std::map<std::string, Eigen::Index> ownerFanIn = {{"decoder2", c.codeUnits}, {"decoder1", c.hidden}};
    for (ParamRef &p : model.params()) {
        Mat &w = *p.value;
        const std::string::size_type dot = p.name.rfind('.');
        const std::string owner = dot == std::string::npos ? std::string() : p.name.substr(0, dot);
        const std::string last = p.name.substr(dot == std::string::npos ? 0 : dot + 1);
        if (last == "weight_ih_l0" || last == "weight_hh_l0") { // (G*H, F), (G*H, H)
            linearFill(w, w.rows() / gates, rng);
        } else if (last == "bias_ih_l0" || last == "bias_hh_l0") { // (1, G*H)
            linearFill(w, w.cols() / gates, rng);
        } else if (owner == "embedding") { // (V+1, E)
            for (Eigen::Index r = 0; r < w.rows(); ++r)
                for (Eigen::Index col = 0; col < w.cols(); ++col)
                    w(r, col) = Scalar(rng.normal());
        } else if (last == "in_proj_weight") { // (3D, D): xavier_uniform over the packed matrix
            glorotUniform(w, w.cols(), w.rows(), rng);
        } else if (last == "in_proj_bias" || (last == "bias" && endsWith(owner, "out_proj"))) {
            w.setZero();
        } else if (endsWith(owner, "norm1") || endsWith(owner, "norm2") || owner == "encoder.norm") {
            if (last == "weight")
                w.setOnes();
            else
                w.setZero();
        } else if (c.attention == AttentionKind::SelfAttention && owner == "attention" &&
                   (last == "w_q" || last == "w_k" || last == "w_v")) { // (H, H), one third of in_proj
            glorotUniform(w, w.cols(), 3 * w.rows(), rng);
        } else if (c.attention == AttentionKind::FeedForward && owner == "attention" &&
                   c.architecture == ModelArchitecture::Sequence && last == "weight") {
            ownerFanIn[owner] = w.rows(); // (H, 1), Keras' kernel layout: Linear(H, 1)
            linearFill(w, w.rows(), rng);
        } else if (linearWeights.count(last) > 0) { // (out, in)
            ownerFanIn[owner] = w.cols();
            linearFill(w, w.cols(), rng);
        } else if (last == "bias" && ownerFanIn.count(owner) > 0) { // (1, out)
            linearFill(w, ownerFanIn[owner], rng);
        } else {
            throw std::logic_error("applyPytorchInit: no PyTorch rule for parameter " + p.name);
        }
    }
}

} // namespace attn
