// SPDX-License-Identifier: GPL-3.0-or-later
// Headless training loop, JSON lines and exports (widgets rendered offscreen).
#include "app/cli/headlessrunner.h"

#include "app/cli/comparerunner.h"
#include "app/session/attentioncsv.h"
#include "app/session/attributioncsv.h"
#include "app/session/metricscsv.h"
#include "app/session/predictioncsv.h"
#include "app/session/savefile.h"
#include "app/session/snapshotjson.h"
#include "core/io/csvparser.h"
#include "core/io/modelfile.h"
#include "core/savedmodel/predictor.h"
#include "core/data/sentencefile.h"
#include "widgets/curvesview.h"
#include "widgets/heatmapview.h"
#include "widgets/replayexporter.h"

#include <QDir>
#include <QFileInfo>
#include <algorithm>
#include <QJsonDocument>
#include <QJsonObject>
#include <cmath>
#include <exception>
#include <limits>
#include <optional>

HeadlessRunner::HeadlessRunner(const RunSettings &settings, const QString &exportDir,
                               const QString &gifPath)
    : m_settings(settings), m_exportDir(exportDir), m_gifPath(gifPath)
{
}

int HeadlessRunner::run(QTextStream &out, QTextStream &err)
{
    if (!m_compare.empty() || !m_sweep.mergeDirs.isEmpty())
        return runCompare(out, err);
    std::vector<attn::EpochSnapshot> history;
    std::unique_ptr<attn::Trainer> trainer;
    attn::ModelSpec spec;
    try {
        std::optional<attn::TrainedModel> loaded; // NAME.json and the weights, built once
        if (!m_loadModel.isEmpty())
            loaded = attn::loadTrainedModel(m_loadModel.toStdString());
        if (loaded && !m_predictFile.isEmpty()) // predict only, no training
            return predictFile(*loaded, out, err);
        trainer = makeTrainer(m_settings, &spec);
        if (loaded) {
            // Continuing is only honest on the model and data it was trained on: another word
            // list would silently remap the embeddings, other statistics rescale every input.
            if (const std::string d = attn::modelSpecDifference(loaded->spec, spec); !d.empty()) {
                err << "attention-studio: --load-model: "
                    << QString::fromStdString(attn::modelPaths(m_loadModel.toStdString()).architecture)
                    << ": this run differs from the saved model: " << QString::fromStdString(d) << '\n';
                return 2;
            }
            const std::vector<attn::ParamRef> params = trainer->model().params();
            for (std::size_t i = 0; i < params.size(); ++i) // same spec: same names and shapes
                *params[i].value = loaded->values[i];
        }
    } catch (const attn::CsvError &e) { // bad input: the file, line and column, exit 2
        err << "attention-studio: " << e.what() << '\n';
        return 2;
    } catch (const attn::SentenceFileError &e) {
        err << "attention-studio: " << e.what() << '\n';
        return 2;
    } catch (const attn::SafetensorsError &e) { // a bad model file is bad input too
        err << "attention-studio: --load-model: " << e.what() << '\n';
        return 2;
    } catch (const attn::ModelFileError &e) {
        err << "attention-studio: --load-model: " << e.what() << '\n';
        return 2;
    } catch (const std::exception &e) {
        err << "attention-studio: training failed: " << e.what() << '\n';
        return 1;
    }
    int modelEpoch = 0; // the epoch whose weights the run ends with
    try {
        if (!m_exportDir.isEmpty() || !m_gifPath.isEmpty())
            history.push_back(trainer->evaluateSnapshot()); // epoch 0 opens the replay
        while (!trainer->finished()) {
            history.push_back(*trainer->trainEpoch());
            out << snapshotToJsonLine(history.back()) << '\n';
            out.flush();
        }
        // The final result: the best epoch's weights when early stopping restores them, else
        // the last epoch's; the saved model, predictions and exports use these weights.
        const attn::EpochSnapshot final =
            trainer->config().patience > 0 && trainer->bestEpoch() < trainer->epoch()
                ? trainer->restoreBest()
                : history.back();
        modelEpoch = final.epoch;
        QJsonObject line = snapshotToJson(final);
        line["final"] = true;
        if (final.testMetric) { // the result is the test set's; validation only chose the epoch
            line["val_metric"] = final.metric;
            line["metric"] = *final.testMetric;
            if (final.testMase) {
                line["val_mase"] = line["mase"];
                line["mase"] = *final.testMase;
            }
        }
        // What the model has to beat, on the same data and split (core/train/baselines.h).
        line["baselines"] = baselinesToJson(final.baselines);
        out << QJsonDocument(line).toJson(QJsonDocument::Compact) << '\n';
        out.flush();
    } catch (const std::exception &e) {
        err << "attention-studio: training failed: " << e.what() << '\n';
        return 1;
    }
    if (!m_exportDir.isEmpty() && !exportDir(history, err))
        return 1;
    const auto trained = attn::captureTrainedModel(trainer->model(), spec, modelEpoch);
    if (!m_saveModel.isEmpty()) {
        QDir().mkpath(QFileInfo(m_saveModel).absolutePath()); // like --export-dir: create the folder
        try {
            attn::saveTrainedModel(*trained, m_saveModel.toStdString());
        } catch (const std::exception &e) {
            err << "attention-studio: --save-model: " << e.what() << '\n';
            return 1;
        }
    }
    if (!m_predictFile.isEmpty())
        if (const int status = predictFile(*trained, out, err); status != 0)
            return status;
    if (!m_gifPath.isEmpty()) {
        attn::ReplayExporter exporter;
        exporter.setFrameSize(exporter.fittedFrameSize(history.back(), 960));
        if (!exporter.writeGif(history, m_gifPath)) {
            err << "attention-studio: --gif: " << exporter.errorString() << '\n';
            return 1;
        }
    }
    return 0;
}

bool HeadlessRunner::exportDir(const std::vector<attn::EpochSnapshot> &history, QTextStream &err)
{
    if (!QDir().mkpath(m_exportDir)) {
        err << "attention-studio: --export-dir: cannot create directory '" << m_exportDir << "'\n";
        return false;
    }
    const QDir dir(m_exportDir);
    attn::HeatmapView heatmap;
    heatmap.resize(1200, 520);
    heatmap.setSnapshot(history.back());
    attn::CurvesView curves;
    curves.resize(1200, 420);
    curves.setHistory(history);
    QString error;
    if (!heatmap.savePng(dir.filePath("heatmap.png"), 1200, 520, 1.0, &error)
        || !curves.saveLossPng(dir.filePath("loss.png"), 800, 450, 1.0, &error)
        || !curves.saveAlignmentPng(dir.filePath("alignment.png"), 800, 450, 1.0, &error)
        || !writeMetricsCsv(history, dir.filePath("metrics.csv"), &error)) {
        err << "attention-studio: --export-dir: " << error << '\n';
        return false;
    }
    const bool anyAttention = std::any_of(history.begin(), history.end(),
                                          [](const attn::EpochSnapshot &s) { return !s.attention.empty(); });
    if (anyAttention &&
        !writeAttentionCsv(history, m_settings.task, dir.filePath("attention_epochs.csv"), &error)) {
        err << "attention-studio: --export-dir: " << error << '\n';
        return false;
    }
    const bool anyAttributions = std::any_of(history.begin(), history.end(), [](const attn::EpochSnapshot &s) {
        return s.faithfulness && !s.faithfulness->probeGradient.empty();
    });
    if (anyAttributions && !writeAttributionCsv(history, m_settings.task,
                                                dir.filePath("attributions_epochs.csv"), &error)) {
        err << "attention-studio: --export-dir: " << error << '\n';
        return false;
    }
    attn::ReplayExporter frames;
    frames.setFrameSize(frames.fittedFrameSize(history.back(), 960));
    if (!frames.writePngSeries(history, dir.filePath("frames"))) {
        err << "attention-studio: --export-dir: " << frames.errorString() << '\n';
        return false;
    }
    return true;
}

int HeadlessRunner::predictFile(const attn::TrainedModel &model, QTextStream &out, QTextStream &err)
{
    attn::PredictionInput input;
    attn::Predictions predictions;
    try {
        input = attn::readPredictionInput(model.spec, m_predictFile.toStdString());
        const std::unique_ptr<attn::Model> live = attn::buildModel(model);
        predictions = attn::predict(*live, model.spec, input);
    } catch (const attn::CsvError &e) {
        err << "attention-studio: --predict: " << e.what() << '\n';
        return 2;
    } catch (const std::invalid_argument &e) {
        err << "attention-studio: --predict: " << e.what() << '\n';
        return 2;
    } catch (const std::exception &e) {
        err << "attention-studio: --predict failed: " << e.what() << '\n';
        return 1;
    }
    const QString dirPath = m_exportDir.isEmpty() ? QStringLiteral(".") : m_exportDir;
    if (!QDir().mkpath(dirPath)) {
        err << "attention-studio: --predict: cannot create directory '" << dirPath << "'\n";
        return 1;
    }
    const QDir dir(dirPath);
    const QString predictionsPath = dir.filePath("predictions.csv");
    const QString attentionPath = dir.filePath("prediction_attention.csv");
    QString error;
    if (!writePredictionCsv(model.spec, input, predictions, predictionsPath, attentionPath, &error)) {
        err << "attention-studio: --predict: " << error << '\n';
        return 1;
    }
    QJsonObject o;
    o["predictions"] = predictionsPath;
    o["attention"] = predictions.attention.size() > 0 ? QJsonValue(attentionPath) : QJsonValue();
    o["rows"] = int(input.data.size());
    if (input.hasTargets) {
        o["metric_name"] = predictions.predictedClass.empty() ? "mae" : "accuracy";
        o["metric"] = attn::predictionMetric(model.spec, input, predictions);
    }
    out << QJsonDocument(o).toJson(QJsonDocument::Compact) << '\n';
    out.flush();
    return 0;
}

void HeadlessRunner::setModelFiles(const QString &saveModel, const QString &loadModel,
                                   const QString &predictFile)
{
    m_saveModel = saveModel;
    m_loadModel = loadModel;
    m_predictFile = predictFile;
}

void HeadlessRunner::addModelOptions(QCommandLineParser &parser)
{
    parser.addOptions({
        {"save-model", "With --headless: after training, write the model to NAME.safetensors "
                       "(PyTorch names) and NAME.json (docs/model-format.md).", "name"},
        {"load-model", "With --headless: start from a saved model's weights; with --predict, "
                       "predict with it without training.", "name"},
        {"predict", "With --headless: write the model's predictions and attention weights on "
                    "this CSV file to predictions.csv and prediction_attention.csv in the export directory "
                    "(default: the current one).", "file"},
    });
}

void HeadlessRunner::setCompare(const std::vector<attn::AttentionKind> &mechanisms, int runs,
                                const SweepOptions &sweep)
{
    m_compare = mechanisms;
    m_runs = runs;
    m_sweep = sweep;
}

void HeadlessRunner::addCompareOptions(QCommandLineParser &parser)
{
    parser.addOptions({
        {"compare", "With --headless: train every listed mechanism (comma-separated, e.g. "
                    "luong,bahdanau,none) for --runs seeds from --seed on and print one JSON object "
                    "per run, then a table of the best validation metric per mechanism.",
         "list"},
        {"runs", "With --compare: runs (seeds) per mechanism, 1 to 1000 (default 10).", "N"},
    });
}

QString HeadlessRunner::readCompareOptions(const QCommandLineParser &p, const RunSettings &settings,
                                           bool headless, std::vector<attn::AttentionKind> &mechanisms,
                                           int &runs)
{
    mechanisms.clear();
    runs = 10;
    if (!p.isSet("compare"))
        return p.isSet("runs") ? QStringLiteral("--runs needs --compare") : QString();
    if (!headless)
        return QStringLiteral("--compare needs --headless (the window has its own compare window)");
    for (const char *other : {"attention", "gif"})
        if (p.isSet(other))
            return QStringLiteral("--%1 and --compare exclude each other").arg(other);
    if (p.isSet("runs")) {
        bool ok = false;
        runs = p.value("runs").toInt(&ok);
        if (!ok || runs < 1 || runs > 1000)
            return QStringLiteral("--runs: expected a whole number from 1 to 1000, got '%1'")
                .arg(p.value("runs"));
    }
    try {
        mechanisms = attn::parseMechanismList(p.value("compare").toStdString(), settings.task);
    } catch (const std::invalid_argument &e) {
        return QStringLiteral("--compare: ") + QString::fromStdString(e.what());
    }
    return {};
}

int HeadlessRunner::runCompare(QTextStream &out, QTextStream &err)
{
    CompareRunner runner(m_settings, m_exportDir, m_compare, m_runs, m_sweep);
    return m_sweep.mergeDirs.isEmpty() ? runner.run(out, err) : runner.merge(out, err);
}
