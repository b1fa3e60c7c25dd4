// SPDX-License-Identifier: GPL-3.0-or-later
// Light and dark application palettes. "System" keeps the palette the platform gave at start-up
// (Qt 6.4 has no colour-scheme query, so a dark system is recognised by its window colour).
#pragma once

#include <QString>

enum class ThemeChoice { System, Light, Dark };

QString toString(ThemeChoice choice);
/// "system", "light" or "dark"; anything else gives System.
ThemeChoice themeChoiceFromString(const QString &name);

/// Applies the palette of choice to the whole application (Fusion style for Light and Dark).
/// Returns true when the resulting palette is dark, so the plots can follow.
bool applyTheme(ThemeChoice choice);
