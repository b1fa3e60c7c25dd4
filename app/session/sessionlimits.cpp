// SPDX-License-Identifier: GPL-3.0-or-later
// Checks of settings and history entries against the session file limits, for saveSession (what
// loadSession checks while it reads, before allocating).
#include "app/session/sessionlimits.h"

#include <QStringList>

QString tooLongReason(int limit)
{
    return QStringLiteral("longer than %1 characters").arg(limit);
}

QString textProblem(const QString &text)
{
    if (text.size() > kMaxSessionTextChars)
        return tooLongReason(kMaxSessionTextChars);
    if (text.contains(QChar(0)))
        return QStringLiteral("contains a NUL character");
    return QString();
}

QString gridOverLimit(qint64 rows, qint64 cols)
{
    if (rows <= kMaxSessionGridCells && cols <= kMaxSessionGridCells &&
        rows * cols <= kMaxSessionGridCells)
        return QString();
    return QStringLiteral("%1 x %2 cells, more than %3").arg(rows).arg(cols).arg(kMaxSessionGridCells);
}

QString settingsOverLimit(const QVariantMap &settings)
{
    for (auto it = settings.cbegin(); it != settings.cend(); ++it) {
        const QString where = QStringLiteral("settings.") + it.key();
        if (it.value().typeId() == QMetaType::QString) {
            if (const QString why = textProblem(it.value().toString()); !why.isEmpty())
                return where + QStringLiteral(": ") + why;
        } else if (it.key() == QLatin1String("sentenceFiles")) {
            const QVariantList files = it.value().toList();
            if (files.size() > kMaxSessionSentenceFiles)
                return QStringLiteral("%1: %2 files, more than %3")
                    .arg(where)
                    .arg(files.size())
                    .arg(kMaxSessionSentenceFiles);
            for (qsizetype i = 0; i < files.size(); ++i)
                if (const QString why = textProblem(files[i].toString()); !why.isEmpty())
                    return QStringLiteral("%1[%2]: %3").arg(where).arg(i).arg(why);
        }
    }
    return QString();
}

namespace {

/// The UTF-16 length a std::string has once read back as a QString (only long ones converted:
/// n UTF-8 bytes never make more than n UTF-16 units).
qsizetype charsOf(const std::string &s, int limit)
{
    return qsizetype(s.size()) <= limit ? qsizetype(s.size()) : QString::fromStdString(s).size();
}

/// gridOverLimit, or "N values for R x C" when the values do not fill the grid (loadSession's
/// words for it).
QString gridProblem(const attn::Grid &g)
{
    if (g.rows < 0 || g.cols < 0)
        return QStringLiteral("%1 x %2: a negative size").arg(g.rows).arg(g.cols);
    if (const QString why = gridOverLimit(g.rows, g.cols); !why.isEmpty())
        return why;
    if (qint64(g.values.size()) != qint64(g.rows) * qint64(g.cols))
        return QStringLiteral("%1 values for %2 x %3").arg(g.values.size()).arg(g.rows).arg(g.cols);
    return QString();
}

QString listOverLimit(std::size_t n)
{
    return qint64(n) > kMaxSessionGridCells
               ? QStringLiteral("%1 values, more than %2").arg(n).arg(kMaxSessionGridCells)
               : QString();
}

} // namespace

QString entryOverLimit(const attn::EpochSnapshot &s, const QString &where)
{
    const QString at = where + '.';
    if (charsOf(s.metricName, kMaxSessionNameChars) > kMaxSessionNameChars)
        return at + QStringLiteral("metric_name: ") + tooLongReason(kMaxSessionNameChars);
    const std::pair<const char *, const attn::Grid *> grids[] = {
        {"attention", &s.attention},
        {"ground_truth", &s.groundTruth},
        {"argmax_attention", &s.argmaxAttention},
        {"probe_inputs", &s.probeInputs},
    };
    for (const auto &[key, grid] : grids)
        if (const QString why = gridProblem(*grid); !why.isEmpty())
            return at + key + QStringLiteral(": ") + why;
    std::size_t words = 0;
    for (std::size_t r = 0; r < s.probeTokens.size(); ++r) {
        words += s.probeTokens[r].size();
        for (std::size_t t = 0; t < s.probeTokens[r].size(); ++t)
            if (charsOf(s.probeTokens[r][t], kMaxSessionTokenChars) > kMaxSessionTokenChars)
                return QStringLiteral("%1probe_tokens[%2][%3]: %4")
                    .arg(at)
                    .arg(r)
                    .arg(t)
                    .arg(tooLongReason(kMaxSessionTokenChars));
    }
    std::size_t heads = 0;
    for (std::size_t r = 0; r < s.headMaps.size(); ++r) {
        heads += s.headMaps[r].size();
        for (std::size_t k = 0; k < s.headMaps[r].size(); ++k)
            if (const QString why = gridProblem(s.headMaps[r][k]); !why.isEmpty())
                return QStringLiteral("%1head_maps[%2][%3]: %4").arg(at).arg(r).arg(k).arg(why);
    }
    const std::pair<const char *, std::size_t> lists[] = {
        {"probe_tokens", words},
        {"probe_predictions", s.probePredictions.size()},
        {"probe_targets", s.probeTargets.size()},
        {"probe_padding_mass", s.probePaddingMass.size()},
        {"head_maps", heads},
    };
    for (const auto &[key, n] : lists)
        if (const QString why = listOverLimit(n); !why.isEmpty())
            return at + key + QStringLiteral(": ") + why;
    return QString();
}
