// SPDX-License-Identifier: GPL-3.0-or-later
// Qt Test cannot print attn::AttentionKind: the compare tests compare names instead.
#pragma once

#include "core/models/model.h"

#include <QString>
#include <QStringList>

#include <utility>
#include <vector>

namespace comparetest {

inline QString name(attn::AttentionKind kind) { return QString::fromStdString(attn::toString(kind)); }
inline QString names(const std::vector<attn::AttentionKind> &kinds)
{
    QStringList out;
    for (attn::AttentionKind k : kinds)
        out << name(k);
    return out.join(',');
}
inline QString cellName(const std::pair<attn::AttentionKind, int> &cell)
{
    return name(cell.first) + " #" + QString::number(cell.second);
}

} // namespace comparetest
