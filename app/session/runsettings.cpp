// SPDX-License-Identifier: GPL-3.0-or-later
// Run settings: task defaults and the Trainer factory. The QVariantMap and QSettings forms:
// runsettingsmap.cpp; the command-line options: runoptions.cpp.
#include "app/session/runsettings.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QStringList>
#include <QThread>

#include "core/data/autoencodertask.h"
#include "core/data/csvtask.h"

#include <algorithm>

using namespace attn;

RunSettings RunSettings::defaults(TaskKind task)
{
    const TaskDefaults d = taskDefaults(task);
    RunSettings s;
    s.task = task;
    s.model = d.model;
    s.train.epochs = task == TaskKind::Csv ? 0 : d.epochs; // a file's: sized to its rows
    s.train.batchSize = d.batchSize;
    s.train.learningRate = d.learningRate;
    s.train.seed = 7;
    return s;
}

QString shippedDataDirectory()
{
    if (const QString env = qEnvironmentVariable("ATTN_DATA_DIR"); !env.isEmpty())
        return env;
    const QString installed =
        QDir(QCoreApplication::applicationDirPath()).filePath("../share/attention-studio/data");
    if (QFileInfo(installed).isDir())
        return QDir::cleanPath(installed);
    return QStringLiteral(ATTN_SOURCE_DATA_DIR);
}

int threadCount(const RunSettings &settings)
{
    return settings.threads > 0 ? settings.threads : std::max(1, QThread::idealThreadCount());
}

CsvTaskSpec csvTaskSpec(const RunSettings &settings)
{
    CsvTaskSpec spec;
    spec.file = settings.dataFile.toStdString();
    spec.testFile = settings.testDataFile.toStdString();
    const bool ucr = spec.testFile.empty() && !ucrTestPath(spec.file).empty() &&
                     QFileInfo::exists(QString::fromStdString(ucrTestPath(spec.file)));
    if (ucr) {
        spec.testFile = ucrTestPath(spec.file);
        spec.options = ucrOptions();
    } else if (spec.testFile.empty() && !ucrTestPath(spec.file).empty() && settings.target.isEmpty() &&
               settings.layout.isEmpty() && settings.window == 0 && firstColumnHoldsLabels(spec.file)) {
        spec.options = ucrOptions(); // a lone NAME_TRAIN file: its labels first, as in a pair
    }
    if (!settings.target.isEmpty())
        spec.options.target = CsvColumn::parse(settings.target.toStdString());
    if (!settings.layout.isEmpty()) {
        const auto layout = csvLayoutFromString(settings.layout.toStdString());
        if (!layout)
            throw std::invalid_argument("layout: expected wide, wide-multivariate, long or series, got '" +
                                        settings.layout.toStdString() + "'");
        spec.options.layout = *layout;
    } else if (settings.window > 0) {
        spec.options.layout = CsvLayout::Series;
    }
    if (spec.options.layout == CsvLayout::Series) {
        spec.options.window = settings.window;
        spec.season = settings.season;
        spec.shuffle = false; // hold out the latest windows: shuffled overlapping ones would leak
    }
    spec.options.features = settings.features;
    if (!settings.sequenceId.isEmpty())
        spec.options.sequenceId = CsvColumn::parse(settings.sequenceId.toStdString());
    if (!settings.taskType.isEmpty()) {
        const auto type = taskTypeFromString(settings.taskType.toStdString());
        if (!type)
            throw std::invalid_argument("task type: expected auto, regression, binary or multiclass, got '" +
                                        settings.taskType.toStdString() + "'");
        spec.options.taskType = *type;
    }
    spec.standardize = settings.standardize;
    spec.instanceNorm = settings.instanceNorm;
    spec.hidden = settings.model.hidden;
    spec.attention = isBaseline(settings.model.attention) ? AttentionKind::Luong
                                                           : settings.model.attention;
    spec.attentionUnits = settings.model.attentionUnits;
    spec.batchSize = settings.train.batchSize;
    spec.learningRate = settings.train.learningRate;
    spec.epochs = settings.train.epochs;
    return spec;
}

TaskData makeCsvTaskData(const RunSettings &settings, CsvTaskInfo *info,
                         const CsvTableReader &reader)
{
    Rng dataRng(settings.train.seed);
    CsvTaskSpec spec = csvTaskSpec(settings);
    spec.reader = reader;
    return makeCsvTask(spec, dataRng, info);
}

std::string runMetricName(const RunSettings &settings)
{
    if (settings.task == TaskKind::Csv) {
        try {
            return metricName(makeCsvTaskData(settings).loss);
        } catch (const std::exception &) {
            // a file that cannot be read: makeTrainer will say why when the run starts
        }
    }
    return metricName(taskDefaults(settings.task).loss);
}

namespace {

/// Class labels that are all numbers were read as numbers (csv: "1", "2"); any word: as text.
bool textLabels(const std::vector<std::string> &names)
{
    return std::any_of(names.begin(), names.end(), [](const std::string &n) {
        return parseNumber(n).kind == CellKind::Text;
    });
}

} // namespace

std::unique_ptr<Trainer> makeTrainer(const RunSettings &settings, ModelSpec *spec)
{
    std::unique_ptr<Trainer> trainer;
    CsvTaskInfo info;
    TrainConfig train = settings.train;
    train.threads = threadCount(settings);
    if (settings.task == TaskKind::Csv) {
        auto task = std::make_shared<TaskData>(makeCsvTaskData(settings, &info));
        ModelConfig model = settings.model;
        model.inputs = task->model.inputs;   // F and O come from the file
        model.outputs = task->model.outputs;
        model.instanceNorm = task->model.instanceNorm; // a forecast's (CsvTaskSpec::instanceNorm)
        model.instanceNormFeature = task->model.instanceNormFeature;
        model.baselineReference = AttentionKind::Luong;
        train.batchSize = task->batchSize; // never more than the training rows
        if (train.epochs == 0) { // sized to the file (autoEpochs), with early stopping
            train.epochs = task->epochs;
            if (train.patience == 0)
                train.patience = task->patience;
        }
        trainer = std::make_unique<Trainer>(task, model, train);
    } else {
        TaskSource source;
        if (settings.task == TaskKind::Sentiment) {
            source.directory =
                QDir(shippedDataDirectory()).filePath("sentiment_labelled_sentences").toStdString();
            for (const QString &file : settings.sentenceFiles)
                source.files.push_back(file.toStdString());
            source.tokenizer = settings.tokenizer;
            source.validationLast = settings.validationLast;
        }
        Rng dataRng(settings.train.seed);
        auto task = std::make_shared<TaskData>(
            settings.task == TaskKind::Autoencoder && !settings.dataFile.isEmpty()
                ? makeAutoencoderCsvTask(settings.dataFile.toStdString(), dataRng)
                : makeTask(settings.task, dataRng, settings.size, source));
        ModelConfig model = settings.model;
        if (settings.task == TaskKind::Autoencoder) // F = O: the file's columns
            model.inputs = model.outputs = task->model.inputs;
        model.baselineReference = taskDefaults(settings.task).model.attention;
        if (train.epochs == 0) // auto: the task's published epochs
            train.epochs = task->epochs;
        trainer = std::make_unique<Trainer>(task, model, train);
    }
    if (spec) {
        const TaskData &task = trainer->task();
        ModelSpec s;
        s.task = settings.task;
        s.model = trainer->model().config();
        s.loss = task.loss;
        s.steps = task.train.steps;
        s.features = task.train.features;
        if (settings.task == TaskKind::Csv) {
            s.taskType = info.taskType;
            s.classNames = info.classNames;
            s.textClasses = textLabels(info.classNames);
            s.scaling = info.scaling;
            s.csv = csvTaskSpec(settings).options;
        } else if (task.loss == LossKind::BinaryCrossEntropy) {
            s.taskType = TaskType::Binary;
            s.classNames = {"0", "1"};
        } else if (task.loss == LossKind::SoftmaxCrossEntropy) {
            s.taskType = TaskType::MultiClass;
            for (int k = 0; k < s.model.outputs; ++k)
                s.classNames.push_back(std::to_string(k));
        }
        s.words = task.words;
        s.tokenizer = settings.tokenizer;
        *spec = std::move(s);
    }
    return trainer;
}
