// SPDX-License-Identifier: GPL-3.0-or-later
// WeightScale: the top, label and shade of the attention colour scale.
#include "widgets/weightscale.h"

#include <QCoreApplication>

#include <algorithm>
#include <cmath>

namespace attn {

double WeightScale::top(double largest) const
{
    if (mode == Mode::Fixed)
        return 1.0;
    return std::max(std::isfinite(largest) ? largest : 0.0, 1e-6);
}

double WeightScale::top(const Grid &attention) const
{
    return top(largestWeight(attention));
}

QString WeightScale::label(double top) const
{
    if (mode == Mode::Fixed)
        return QCoreApplication::translate("attn::WeightScale", "weight");
    return QCoreApplication::translate("attn::WeightScale", "scaled: 0 \u2013 %1 (largest weight)")
        .arg(QString::number(top, 'g', 2));
}

double WeightScale::shade(double w, double top)
{
    return top > 0.0 ? std::clamp(w / top, 0.0, 1.0) : 0.0;
}

double WeightScale::largestWeight(const Grid &g)
{
    double largest = 0.0;
    for (float v : g.values)
        if (std::isfinite(v))
            largest = std::max(largest, double(v));
    return largest;
}

} // namespace attn
