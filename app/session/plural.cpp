// SPDX-License-Identifier: GPL-3.0-or-later
// Singular or plural noun after a count.
#include "app/session/plural.h"

QString countText(long long n, const QString &singular, const QString &plural)
{
    return QStringLiteral("%L1 %2").arg(n).arg(n == 1 ? singular : plural);
}
