// SPDX-License-Identifier: GPL-3.0-or-later
// The season of a series (12 for monthly data with a yearly cycle), for the seasonal naive
// forecast that a forecasting model has to beat (Hyndman & Athanasopoulos, "Forecasting:
// Principles and Practice", 3rd ed., sec. 5.2).
#pragma once

#include <vector>

namespace attn {

/// Lags searched by detectSeason: 2..kMaxSeason.
inline constexpr int kMaxSeason = 400;
/// The smallest autocorrelation detectSeason accepts as a season.
inline constexpr double kMinSeasonAutocorrelation = 0.3;

/// The season P of series (in order, equally spaced): the lag k in 2..min(kMaxSeason, n / 3)
/// with the largest sample autocorrelation of the first differences v_t - v_{t-1} (differencing
/// removes a trend, whose slowly decaying autocorrelation would otherwise win at every lag), if
/// that autocorrelation is at least kMinSeasonAutocorrelation and is a local peak (not below
/// its neighbours at k - 1 and k + 1); else 0. Series shorter than 8 values give 0.
int detectSeason(const std::vector<double> &series);

} // namespace attn
