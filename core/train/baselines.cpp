// SPDX-License-Identifier: GPL-3.0-or-later
// computeBaselines: majority class, 1-nearest neighbour (Euclidean) and the training mean.
#include "core/train/baselines.h"

#include <cmath>
#include <vector>

namespace attn {

namespace {

/// Class index of every row: BCE targets (N, 1) in {0, 1}; one-hot (N, C) by argmax.
std::vector<int> classesOf(const Mat &y, LossKind loss)
{
    std::vector<int> out(std::size_t(y.rows()));
    for (Eigen::Index r = 0; r < y.rows(); ++r) {
        if (loss == LossKind::BinaryCrossEntropy) {
            out[std::size_t(r)] = y(r, 0) > Scalar(0.5) ? 1 : 0;
        } else {
            Eigen::Index c = 0;
            y.row(r).maxCoeff(&c);
            out[std::size_t(r)] = int(c);
        }
    }
    return out;
}

double share(const std::vector<int> &predicted, const std::vector<int> &truth)
{
    std::size_t right = 0;
    for (std::size_t i = 0; i < truth.size(); ++i)
        right += predicted[i] == truth[i] ? 1 : 0;
    return double(right) / double(truth.size());
}

/// For every validation row, the class of its nearest training row. Distances in double and in
/// blocks of validation rows: ||v - t||^2 = ||v||^2 + ||t||^2 - 2 v.t, one product per block.
std::vector<int> nearestNeighbourClasses(const Mat &train, const std::vector<int> &trainClasses,
                                         const Mat &validation)
{
    const Eigen::MatrixXd t = train.cast<double>();
    const Eigen::VectorXd tNorms = t.rowwise().squaredNorm();
    std::vector<int> out(std::size_t(validation.rows()));
    constexpr Eigen::Index kBlock = 256;
    for (Eigen::Index start = 0; start < validation.rows(); start += kBlock) {
        const Eigen::Index n = std::min(kBlock, validation.rows() - start);
        const Eigen::MatrixXd v = validation.middleRows(start, n).cast<double>();
        Eigen::MatrixXd d(n, t.rows()); // (n, N_train) squared distances up to ||v||^2
        d.noalias() = -2.0 * v * t.transpose();
        d.rowwise() += tNorms.transpose();
        for (Eigen::Index r = 0; r < n; ++r) {
            Eigen::Index best = 0;
            d.row(r).minCoeff(&best); // the first of equal minima
            out[std::size_t(start + r)] = trainClasses[std::size_t(best)];
        }
    }
    return out;
}

} // namespace

Baselines computeBaselines(const TaskData &task)
{
    Baselines b;
    const Dataset &train = task.train, &validation = task.validation;
    if (train.size() == 0 || validation.size() == 0)
        return b;
    const bool classify =
        task.loss == LossKind::BinaryCrossEntropy || task.loss == LossKind::SoftmaxCrossEntropy;
    if (!classify) {
        const Eigen::RowVectorXd mean = train.y.cast<double>().colwise().mean();
        b.meanMae = (validation.y.cast<double>().rowwise() - mean).cwiseAbs().mean();
        return b;
    }
    const std::vector<int> trainClasses = classesOf(train.y, task.loss);
    const std::vector<int> truth = classesOf(validation.y, task.loss);
    std::vector<long long> counts;
    for (int c : trainClasses) {
        if (c >= int(counts.size()))
            counts.resize(std::size_t(c) + 1, 0);
        ++counts[std::size_t(c)];
    }
    int majority = 0;
    for (std::size_t c = 1; c < counts.size(); ++c)
        if (counts[c] > counts[std::size_t(majority)])
            majority = int(c);
    b.majorityAccuracy = share(std::vector<int>(truth.size(), majority), truth);
    const double work = double(validation.size()) * double(train.size()) * double(train.x.cols());
    if (task.vocabulary == 0 && work <= kMaxNearestNeighbourWork)
        b.nearestNeighbourAccuracy = share(nearestNeighbourClasses(train.x, trainClasses, validation.x), truth);
    return b;
}

std::vector<Baseline> baselineList(const Baselines &b)
{
    std::vector<Baseline> out;
    if (b.majorityAccuracy)
        out.push_back({"majority_accuracy", "majority class", *b.majorityAccuracy});
    if (b.nearestNeighbourAccuracy)
        out.push_back({"nearest_neighbour_accuracy", "1-NN Euclidean", *b.nearestNeighbourAccuracy});
    if (b.meanMae)
        out.push_back({"mean_mae", "training mean", *b.meanMae});
    return out;
}

} // namespace attn
