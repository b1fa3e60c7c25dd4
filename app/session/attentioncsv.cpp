// SPDX-License-Identifier: GPL-3.0-or-later
// Writes the probe rows' attention weights of every epoch as long-form CSV (saveFileAtomically).
#include "app/session/attentioncsv.h"

#include "app/session/metricscsv.h"
#include "app/session/savefile.h"

#include <QByteArray>

#include <algorithm>
#include <charconv>

namespace {

/// The shortest text that reads back as exactly v.
void appendFloat(QByteArray &out, float v)
{
    char text[32];
    const auto written = std::to_chars(text, text + sizeof text, v);
    out.append(text, written.ptr - text);
}

bool inside(const attn::Grid &g, int r, int c)
{
    return r < g.rows && c < g.cols && std::size_t(g.rows) * std::size_t(g.cols) == g.values.size();
}

} // namespace

bool writeAttentionCsv(const std::vector<attn::EpochSnapshot> &history, attn::TaskKind task,
                       const QString &path, QString *error)
{
    const bool anyAttention = std::any_of(history.begin(), history.end(),
                                          [](const attn::EpochSnapshot &s) { return !s.attention.empty(); });
    if (!anyAttention) {
        *error = QStringLiteral("%1: the run has no attention weights (no-attention baseline)").arg(path);
        return false;
    }
    QByteArray out = task == attn::TaskKind::Feature || task == attn::TaskKind::Autoencoder
                         ? "epoch,probe_row,feature,weight,ground_truth,input\n"
                         : "epoch,probe_row,step,weight,ground_truth,input\n";
    for (const attn::EpochSnapshot &s : history) {
        const attn::Grid &a = s.attention;
        if (a.empty())
            continue;
        for (int r = 0; r < a.rows; ++r) {
            const std::vector<std::string> *words =
                r < int(s.probeTokens.size()) ? &s.probeTokens[std::size_t(r)] : nullptr;
            for (int c = 0; c < a.cols; ++c) {
                out += QByteArray::number(s.epoch) + ',' + QByteArray::number(r + 1) + ','
                       + QByteArray::number(c + 1) + ',';
                appendFloat(out, a.at(r, c));
                out += ',';
                if (inside(s.groundTruth, r, c))
                    appendFloat(out, s.groundTruth.at(r, c));
                out += ',';
                if (words) {
                    if (c < int(words->size()))
                        out += QByteArray::fromStdString(csvField((*words)[std::size_t(c)]));
                } else if (inside(s.probeInputs, r, c)) {
                    appendFloat(out, s.probeInputs.at(r, c));
                }
                out += '\n';
            }
        }
    }
    return saveFileAtomically(path, out, error);
}
