// SPDX-License-Identifier: GPL-3.0-or-later
// Writes the per-epoch metrics of a run as CSV through QSaveFile.
#include "app/session/metricscsv.h"

#include <QSaveFile>
#include <QTextStream>

std::string csvField(const std::string &text)
{
    if (text.find_first_of(",\"\r\n") == std::string::npos)
        return text;
    std::string quoted = "\"";
    for (char c : text) {
        if (c == '"')
            quoted += '"'; // a quote inside a quoted field is doubled
        quoted += c;
    }
    return quoted + '"';
}

bool writeMetricsCsv(const std::vector<attn::EpochSnapshot> &history, const QString &path,
                     QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Text)) {
        *error = QStringLiteral("%1: %2").arg(path, file.errorString());
        return false;
    }
    QTextStream out(&file);
    out << "epoch,seconds,train_loss,val_loss,metric_name,metric,alignment,samples_per_second\n";
    out.setRealNumberPrecision(9);
    for (const attn::EpochSnapshot &s : history) {
        out << s.epoch << ',' << s.seconds << ',' << s.trainLoss << ',' << s.valLoss << ','
            << QString::fromStdString(s.metricName) << ',' << s.metric << ',';
        if (s.alignment)
            out << *s.alignment;
        out << ',' << s.samplesPerSecond << '\n';
    }
    out.flush();
    if (!file.commit()) {
        *error = QStringLiteral("%1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}
