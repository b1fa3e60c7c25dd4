// SPDX-License-Identifier: GPL-3.0-or-later
// Writes the per-epoch metrics of a run as CSV (saveTextFile: atomic, every write checked).
#include "app/session/metricscsv.h"

#include "app/session/savefile.h"

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
    return saveTextFile(path, [&](QTextStream &out) {
        out << "epoch,seconds,train_loss,val_loss,metric_name,metric,alignment,samples_per_second\n";
        for (const attn::EpochSnapshot &s : history) {
            out << s.epoch << ',' << s.seconds << ',' << s.trainLoss << ',' << s.valLoss << ','
                << QString::fromStdString(s.metricName) << ',' << s.metric << ',';
            if (s.alignment)
                out << *s.alignment;
            out << ',' << s.samplesPerSecond << '\n';
        }
    }, error);
}
