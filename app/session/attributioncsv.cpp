// SPDX-License-Identifier: GPL-3.0-or-later
// Writes the probe rows' attention and attributions of every epoch as long-form CSV
// (saveFileAtomically).
#include "app/session/attributioncsv.h"

#include "app/session/savefile.h"

#include <QByteArray>
#include <QStringList>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>

namespace {

void appendFloat(QByteArray &out, float v)
{
    char text[32];
    const auto written = std::to_chars(text, text + sizeof text, v);
    out.append(text, written.ptr - text);
}

bool complete(const attn::Grid &g)
{
    return !g.empty() && std::size_t(g.rows) * std::size_t(g.cols) == g.values.size();
}

bool hasAttributions(const attn::EpochSnapshot &s)
{
    return s.faithfulness && complete(s.faithfulness->probeGradient);
}

} // namespace

QStringList attributionMethodNames()
{
    return {QStringLiteral("attention"), QStringLiteral("gradient"), QStringLiteral("input_x_gradient"),
            QStringLiteral("leave_one_out"), QStringLiteral("integrated_gradients")};
}

bool writeAttributionCsv(const std::vector<attn::EpochSnapshot> &history, attn::TaskKind task,
                         const QString &path, QString *error)
{
    if (std::none_of(history.begin(), history.end(), hasAttributions)) {
        *error = QStringLiteral("%1: the run has no attributions (train with --explain)").arg(path);
        return false;
    }
    const QStringList names = attributionMethodNames();
    QByteArray out = task == attn::TaskKind::Feature || task == attn::TaskKind::Autoencoder
                         ? "epoch,probe_row,method,feature,value,share,ground_truth\n"
                         : "epoch,probe_row,method,step,value,share,ground_truth\n";
    for (const attn::EpochSnapshot &s : history) {
        if (!hasAttributions(s))
            continue;
        const attn::FaithfulnessSummary &f = *s.faithfulness;
        const std::array<const attn::Grid *, 5> grids{&s.attention, &f.probeGradient,
                                                      &f.probeInputXGradient, &f.probeLeaveOneOut,
                                                      &f.probeIntegratedGradients};
        const attn::Grid &truth = s.groundTruth;
        const bool hasTruth = complete(truth);
        for (int r = 0; r < f.probeGradient.rows; ++r) {
            for (std::size_t m = 0; m < grids.size(); ++m) {
                const attn::Grid &g = *grids[m];
                if (!complete(g) || r >= g.rows)
                    continue; // no attention (the baseline)
                double sum = 0.0;
                for (int c = 0; c < g.cols; ++c)
                    sum += std::abs(double(g.at(r, c)));
                const QByteArray prefix = QByteArray::number(s.epoch) + ',' + QByteArray::number(r + 1)
                                          + ',' + names[int(m)].toUtf8() + ',';
                for (int c = 0; c < g.cols; ++c) {
                    out += prefix + QByteArray::number(c + 1) + ',';
                    appendFloat(out, g.at(r, c));
                    out += ',';
                    appendFloat(out, sum > 0 ? float(std::abs(double(g.at(r, c))) / sum) : 0.0f);
                    out += ',';
                    if (hasTruth && r < truth.rows && c < truth.cols)
                        appendFloat(out, truth.at(r, c));
                    out += '\n';
                }
            }
        }
    }
    return saveFileAtomically(path, out, error);
}
