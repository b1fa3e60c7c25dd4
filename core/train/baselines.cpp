// SPDX-License-Identifier: GPL-3.0-or-later
// computeBaselines: majority class, 1-nearest neighbour (Euclidean and DTW) and the training
// mean; the naive and seasonal naive forecasts.
#include "core/train/baselines.h"

#include "core/train/dtw.h"

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

namespace {

/// The rows of a and b stacked (b may be empty).
Mat stackRows(const Mat &a, const Mat &b)
{
    if (b.size() == 0)
        return a;
    Mat out(a.rows() + b.rows(), a.cols());
    out.topRows(a.rows()) = a;
    out.bottomRows(b.rows()) = b;
    return out;
}

/// Mean |y - v_{T-lag}| over the rows of data, in the file's units: the forecast of each window's
/// next value by the series' value `lag` steps before it (1: naive, P: seasonal naive).
double laggedForecastMae(const TaskData &task, const Dataset &data, int lag)
{
    const TaskData::Series &series = *task.series;
    const Eigen::Index col = Eigen::Index(data.steps - lag) * data.features + series.feature;
    double sum = 0.0;
    for (Eigen::Index r = 0; r < data.size(); ++r) {
        const double truth = double(data.y(r, 0)) * task.targetScale + task.targetMean;
        const double forecast = double(data.x(r, col)) * series.scale + series.mean;
        sum += std::abs(truth - forecast);
    }
    return sum / double(data.size());
}

} // namespace

Baselines computeBaselines(const TaskData &task)
{
    Baselines b;
    const bool withTest = task.test.size() > 0;
    const Dataset &evaluated = withTest ? task.test : task.validation;
    if (task.train.size() == 0 || evaluated.size() == 0)
        return b;
    const Mat refX = withTest ? stackRows(task.train.x, task.validation.x) : task.train.x;
    const Mat refY = withTest ? stackRows(task.train.y, task.validation.y) : task.train.y;
    const bool classify =
        task.loss == LossKind::BinaryCrossEntropy || task.loss == LossKind::SoftmaxCrossEntropy;
    if (!classify) {
        const Eigen::RowVectorXd mean = refY.cast<double>().colwise().mean();
        b.meanMae = (evaluated.y.cast<double>().rowwise() - mean).cwiseAbs().mean() * task.targetScale;
        if (task.series && evaluated.steps >= 1) {
            b.naiveMae = laggedForecastMae(task, evaluated, 1);
            if (const double inSample = laggedForecastMae(task, task.train, 1); inSample > 0.0)
                b.naiveInSampleMae = inSample;
            if (task.series->season >= 2 && task.series->season <= evaluated.steps) {
                b.season = task.series->season;
                b.seasonalNaiveMae = laggedForecastMae(task, evaluated, b.season);
            }
        }
        return b;
    }
    const std::vector<int> refClasses = classesOf(refY, task.loss);
    const std::vector<int> truth = classesOf(evaluated.y, task.loss);
    std::vector<long long> counts;
    for (int c : refClasses) {
        if (c >= int(counts.size()))
            counts.resize(std::size_t(c) + 1, 0);
        ++counts[std::size_t(c)];
    }
    int majority = 0;
    for (std::size_t c = 1; c < counts.size(); ++c)
        if (counts[c] > counts[std::size_t(majority)])
            majority = int(c);
    b.majorityAccuracy = share(std::vector<int>(truth.size(), majority), truth);
    const double work = double(evaluated.size()) * double(refX.rows()) * double(refX.cols());
    if (task.vocabulary == 0 && work <= kMaxNearestNeighbourWork)
        b.nearestNeighbourAccuracy = share(nearestNeighbourClasses(refX, refClasses, evaluated.x), truth);
    const int window = evaluated.steps / 10;
    const double dtwWork = double(evaluated.size()) * double(refX.rows()) * double(evaluated.steps) *
                           double(2 * window + 1) * double(evaluated.features);
    // Window 0 is the squared Euclidean distance: the same neighbours as 1-NN Euclidean.
    if (task.vocabulary == 0 && window >= 1 && dtwWork <= kMaxDtwWork) {
        b.dtwWindow = window;
        b.dtwAccuracy = share(dtwNearestNeighbourClasses(refX, refClasses, evaluated.x,
                                                         evaluated.steps, evaluated.features, window),
                              truth);
    }
    return b;
}

std::vector<Baseline> baselineList(const Baselines &b)
{
    std::vector<Baseline> out;
    if (b.majorityAccuracy)
        out.push_back({"majority_accuracy", "majority class", *b.majorityAccuracy});
    if (b.nearestNeighbourAccuracy)
        out.push_back({"nearest_neighbour_accuracy", "1-NN Euclidean", *b.nearestNeighbourAccuracy});
    if (b.dtwAccuracy)
        out.push_back({"dtw_accuracy", "1-NN DTW (w = " + std::to_string(b.dtwWindow) + ")", *b.dtwAccuracy});
    if (b.meanMae)
        out.push_back({"mean_mae", "training mean", *b.meanMae});
    if (b.naiveMae)
        out.push_back({"naive_mae", "naive (last value)", *b.naiveMae});
    if (b.seasonalNaiveMae)
        out.push_back({"seasonal_naive_mae", "seasonal naive (P = " + std::to_string(b.season) + ")",
                       *b.seasonalNaiveMae});
    return out;
}

} // namespace attn
