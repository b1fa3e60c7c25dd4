// SPDX-License-Identifier: GPL-3.0-or-later
// The self-attention maps of a snapshot: the mean of the heads is taken element-wise in float,
// in head order (moved here from SelfAttentionView, which draws the map).
#include "widgets/headmaps.h"

#include <QCoreApplication>
#include <QStringList>

#include <vector>

namespace attn {

namespace {

/// Heads of probe row r, or an empty list.
const std::vector<Grid> &headsOf(const EpochSnapshot &s, int r)
{
    static const std::vector<Grid> none;
    if (r < 0 || r >= int(s.headMaps.size()))
        return none;
    return s.headMaps[std::size_t(r)];
}

} // namespace

Grid headMap(const EpochSnapshot &s, int row, int head)
{
    Grid shown;
    const std::vector<Grid> &heads = headsOf(s, row);
    if (!heads.empty()) {
        if (head >= 0 && head < int(heads.size())) {
            shown = heads[std::size_t(head)];
        } else {
            shown.rows = heads.front().rows;
            shown.cols = heads.front().cols;
            shown.values.assign(std::size_t(shown.rows) * std::size_t(shown.cols), 0.0f);
            for (const Grid &h : heads)
                for (std::size_t i = 0; i < shown.values.size() && i < h.values.size(); ++i)
                    shown.values[i] += h.values[i];
            for (float &v : shown.values)
                v /= float(heads.size());
        }
    }
    return shown;
}

QString stepWord(const EpochSnapshot &s, int row, int step)
{
    if (row < 0 || row >= int(s.probeTokens.size()))
        return {};
    const std::vector<std::string> &words = s.probeTokens[std::size_t(row)];
    if (step < 0 || step >= int(words.size()))
        return {};
    return QString::fromStdString(words[std::size_t(step)]);
}

QString sampleLabel(const EpochSnapshot &s, int row)
{
    QString text = QCoreApplication::translate("attn::SelfAttentionView", "Sample %1").arg(row);
    if (row >= 0 && row < int(s.probeTokens.size())) {
        QStringList words;
        for (const std::string &w : s.probeTokens[std::size_t(row)])
            if (!w.empty() && words.size() < 5)
                words << QString::fromStdString(w);
        if (!words.isEmpty())
            text += QStringLiteral(": ") + words.join(QLatin1Char(' ')) + QStringLiteral("…");
    }
    return text;
}

} // namespace attn
