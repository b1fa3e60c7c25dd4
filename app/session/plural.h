// SPDX-License-Identifier: GPL-3.0-or-later
// Counts with their noun in the right number for the window's and the command line's English
// texts: "1 batch", "2 batches", "1,024 samples". Qt's tr("%n") plurals need a translation
// file, which the program does not ship.
#pragma once

#include <QString>

/// "<n> <singular>" for n == 1, else "<n> <plural>"; n with the locale's digit grouping (%L).
QString countText(long long n, const QString &singular, const QString &plural);
