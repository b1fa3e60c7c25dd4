// SPDX-License-Identifier: GPL-3.0-or-later
// Writes predictions and attention weights as CSV (saveTextFile: atomic, every write checked).
#include "app/session/predictioncsv.h"

#include "app/session/metricscsv.h"
#include "app/session/savefile.h"

#include <QTextStream>

namespace {

QString label(const attn::ModelSpec &spec, int k)
{
    return QString::fromStdString(csvField(spec.classNames[std::size_t(k)]));
}

} // namespace

bool writePredictionCsv(const attn::ModelSpec &spec, const attn::PredictionInput &input,
                        const attn::Predictions &p, const QString &predictionsPath,
                        const QString &attentionPath, QString *error)
{
    const bool classes = !p.predictedClass.empty();
    const bool binary = spec.taskType == attn::TaskType::Binary;
    const Eigen::Index n = p.outputs.rows();
    const auto target = [&](Eigen::Index r) -> QString {
        return classes ? label(spec, attn::targetClass(spec, input, r))
                       : QString::number(double(input.data.y(r, 0)), 'g', 9);
    };
    const bool ok = saveTextFile(predictionsPath, [&](QTextStream &out) {
        out << "row,line,prediction";
        if (classes)
            for (int k = 0; k < int(spec.classNames.size()); ++k)
                out << ',' << QString::fromStdString(csvField("p_" + spec.classNames[std::size_t(k)]));
        if (input.hasTargets)
            out << ",target";
        out << '\n';
        for (Eigen::Index r = 0; r < n; ++r) {
            out << r + 1 << ',' << input.lines[std::size_t(r)] << ',';
            if (classes) {
                out << label(spec, p.predictedClass[std::size_t(r)]);
                if (binary)
                    out << ',' << 1.0 - double(p.outputs(r, 0)) << ',' << double(p.outputs(r, 0));
                else
                    for (Eigen::Index k = 0; k < p.outputs.cols(); ++k)
                        out << ',' << double(p.outputs(r, k));
            } else {
                out << double(p.outputs(r, 0));
            }
            if (input.hasTargets)
                out << ',' << target(r);
            out << '\n';
        }
    }, error);
    if (!ok || p.attention.size() == 0)
        return ok;
    const QString prefix = attn::attendsOverFeatures(spec.model.architecture) ? "f_" : "a_";
    return saveTextFile(attentionPath, [&](QTextStream &out) {
        out << "row,line";
        for (Eigen::Index c = 0; c < p.attention.cols(); ++c)
            out << ',' << prefix << c + 1;
        out << '\n';
        for (Eigen::Index r = 0; r < n; ++r) {
            out << r + 1 << ',' << input.lines[std::size_t(r)];
            for (Eigen::Index c = 0; c < p.attention.cols(); ++c)
                out << ',' << double(p.attention(r, c));
            out << '\n';
        }
    }, error);
}
