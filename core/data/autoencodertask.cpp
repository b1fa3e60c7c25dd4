// SPDX-License-Identifier: GPL-3.0-or-later
// The autoencoder task's built-in set (latent factors behind a few columns, weak noise in the
// rest) and its reader for wide CSV files.
#include "core/data/autoencodertask.h"

#include "core/io/csvparser.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace attn {

namespace {

Dataset vectors(int n, int F)
{
    Dataset d;
    d.steps = 1;
    d.features = F;
    d.x.resize(n, F);
    return d;
}

/// The first min(10, N) validation rows, with their ground truth.
Dataset probesOf(const Dataset &validation)
{
    const Eigen::Index P = std::min<Eigen::Index>(10, validation.size());
    Dataset probe = vectors(int(P), validation.features);
    probe.x = validation.x.topRows(P);
    probe.y = validation.y.topRows(P);
    if (validation.groundTruth.size() > 0)
        probe.groundTruth = validation.groundTruth.topRows(P);
    return probe;
}

} // namespace

TaskData makeAutoencoderTask(Rng &rng, TaskSize size)
{
    using D = AutoencoderData;
    const int F = D::kColumns, K = D::kFactors;
    // Loadings of the informative columns on the factors, each row of norm 1.
    Mat loadings(D::kInformative, K); // (8, 3)
    for (Eigen::Index i = 0; i < loadings.rows(); ++i) {
        for (int k = 0; k < K; ++k)
            loadings(i, k) = Scalar(rng.normal());
        loadings.row(i) /= loadings.row(i).norm();
    }
    auto generate = [&](int n) {
        Dataset d = vectors(n, F);
        d.groundTruth = Mat::Zero(n, F);
        Mat z(1, K);
        for (Eigen::Index r = 0; r < n; ++r) {
            for (int k = 0; k < K; ++k)
                z(0, k) = Scalar(rng.normal());
            for (int f = 0, i = 0; f < F; ++f) {
                if (D::informative(f)) {
                    d.x(r, f) = (z.row(0) * loadings.row(i++).transpose())(0, 0) +
                                Scalar(D::kSpecificStd * rng.normal());
                    d.groundTruth(r, f) = 1;
                } else {
                    d.x(r, f) = Scalar(D::kNoiseStd * rng.normal());
                }
            }
        }
        d.y = d.x; // the reconstruction target
        return d;
    };
    TaskData task;
    task.name = "autoencoder";
    task.train = generate(size.train > 0 ? size.train : 10000);
    task.validation = generate(size.validation > 0 ? size.validation : 2000);
    task.probe = probesOf(task.validation);
    static_cast<TaskDefaults &>(task) = taskDefaults(TaskKind::Autoencoder);
    return task;
}

TaskData makeAutoencoderCsvTask(const std::string &path, Rng &rng)
{
    const CsvTable table = readCsv(path);
    const int F = table.columns();
    const int n = int(table.rows.size());
    if (F < 2)
        throw DataError(path + ": an autoencoder needs at least 2 columns, the file has " + std::to_string(F));
    if (n < 5)
        throw DataError(path + ": an autoencoder needs at least 5 rows, the file has " + std::to_string(n));
    Mat all(n, F);
    for (int r = 0; r < n; ++r)
        for (int c = 0; c < F; ++c) {
            CsvNumber v = 0;
            if (!table.rows.number(std::size_t(r), c, v))
                throw DataError(path + ":" + std::to_string(table.lines[std::size_t(r)]) + ":" +
                                std::to_string(c + 1) + ": \"" + table.rows.text(std::size_t(r), c) +
                                "\" is not a number");
            all(r, c) = Scalar(v);
        }
    // Seeded Fisher-Yates shuffle, then 20% (at least 1 row) for validation.
    std::vector<int> order(static_cast<std::size_t>(n));
    std::iota(order.begin(), order.end(), 0);
    for (int i = n - 1; i > 0; --i)
        std::swap(order[std::size_t(i)], order[std::size_t(rng.below(std::uint64_t(i) + 1))]);
    const int nVal = std::max(1, int(std::lround(0.2 * n)));
    const int nTrain = n - nVal;
    TaskData task;
    task.name = "autoencoder";
    task.train = vectors(nTrain, F);
    task.validation = vectors(nVal, F);
    for (int i = 0; i < n; ++i) {
        Dataset &d = i < nTrain ? task.train : task.validation;
        d.x.row(i < nTrain ? i : i - nTrain) = all.row(order[std::size_t(i)]);
    }
    // Standardise every column with the training rows' statistics (a constant column: scale 1).
    const Mat mean = task.train.x.colwise().mean();
    Mat scale = ((task.train.x.rowwise() - mean.row(0)).array().square().colwise().mean()).sqrt().matrix();
    for (Eigen::Index c = 0; c < scale.cols(); ++c)
        if (!(scale(0, c) > Scalar(0)))
            scale(0, c) = 1;
    for (Dataset *d : {&task.train, &task.validation}) {
        d->x = ((d->x.rowwise() - mean.row(0)).array().rowwise() / scale.row(0).array()).matrix();
        d->y = d->x;
    }
    task.probe = probesOf(task.validation);
    static_cast<TaskDefaults &>(task) = taskDefaults(TaskKind::Autoencoder);
    task.model.inputs = F;
    task.model.outputs = F;
    task.alignment = AlignmentKind::None;
    return task;
}

} // namespace attn
