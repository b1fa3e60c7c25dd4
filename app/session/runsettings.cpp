// SPDX-License-Identifier: GPL-3.0-or-later
// Run settings: task defaults, command-line options and the Trainer factory.
#include "app/session/runsettings.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QStringList>

#include "core/data/csvtask.h"

#include <algorithm>

using namespace attn;

RunSettings RunSettings::defaults(TaskKind task)
{
    const TaskDefaults d = taskDefaults(task);
    RunSettings s;
    s.task = task;
    s.model = d.model;
    s.train.epochs = d.epochs;
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
    // "Fewer rows than one batch needs" is an error the user should see, not a silent shrink.
    spec.options.minSequences = std::max(1, settings.train.batchSize);
    spec.hidden = settings.model.hidden;
    spec.attention = settings.model.attention == AttentionKind::None ? AttentionKind::Luong
                                                                      : settings.model.attention;
    spec.attentionUnits = settings.model.attentionUnits;
    spec.batchSize = settings.train.batchSize;
    spec.learningRate = settings.train.learningRate;
    spec.epochs = settings.train.epochs;
    return spec;
}

TaskData makeCsvTaskData(const RunSettings &settings, CsvTaskInfo *info)
{
    Rng dataRng(settings.train.seed);
    return makeCsvTask(csvTaskSpec(settings), dataRng, info);
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
    if (settings.task == TaskKind::Csv) {
        auto task = std::make_shared<TaskData>(makeCsvTaskData(settings, &info));
        ModelConfig model = settings.model;
        model.inputs = task->model.inputs;   // F and O come from the file
        model.outputs = task->model.outputs;
        model.baselineReference = AttentionKind::Luong;
        TrainConfig train = settings.train;
        train.batchSize = task->batchSize; // never more than the training rows
        trainer = std::make_unique<Trainer>(task, model, train);
    } else {
        TaskSource source;
        if (settings.task == TaskKind::Sentiment) {
            source.directory =
                QDir(shippedDataDirectory()).filePath("sentiment_labelled_sentences").toStdString();
            for (const QString &file : settings.sentenceFiles)
                source.files.push_back(file.toStdString());
            source.tokenizer = settings.tokenizer;
        }
        Rng dataRng(settings.train.seed);
        auto task = std::make_shared<TaskData>(makeTask(settings.task, dataRng, settings.size, source));
        ModelConfig model = settings.model;
        model.baselineReference = taskDefaults(settings.task).model.attention;
        trainer = std::make_unique<Trainer>(task, model, settings.train);
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

namespace {

// "a, b or c" from the names of every task / attention kind.
template <typename Kind> QString choiceList(const std::vector<Kind> &kinds)
{
    QStringList names;
    for (Kind k : kinds)
        names << QString::fromStdString(toString(k));
    const QString last = names.takeLast();
    return names.isEmpty() ? last : names.join(", ") + " or " + last;
}

} // namespace

void addRunOptions(QCommandLineParser &parser)
{
    parser.addOptions({
        {"task", "Task to train: " + choiceList(allTaskKinds()) + " (default add).", "name"},
        {"epochs", "Number of epochs (default: the task's).", "N"},
        {"seed", "Random seed for data, weights and shuffling (default 7).", "S"},
        {"batch-size", "Mini-batch size (default: the task's).", "B"},
        {"hidden", "LSTM hidden units H (default: the task's).", "H"},
        {"units", "Attention output units U (default 128).", "U"},
        {"attention", "Attention: " + choiceList(allAttentionKinds()) + " (default: the task's).", "kind"},
        {"cell", "Recurrent cell: lstm or gru (default lstm).", "kind"},
        {"heads", "Self-attention heads K; H must be divisible by K (default 1).", "K"},
        {"causal", "Self-attention: each step sees only itself and the past."},
        {"attention-window", "Self-attention window width w: steps with |t - s| < w (default 0: all).", "w"},
        {"local-width", "Local attention window D: Gaussian sigma D/2 (default 4).", "D"},
        {"input-dropout", "Recurrent layer: dropout on the inputs, 0..0.9 (default 0).", "p"},
        {"recurrent-dropout", "Recurrent layer: dropout on the state, 0..0.9 (default 0).", "p"},
        {"vocabulary", "sentiment: keep the N most frequent words (default: all).", "N"},
        {"max-length", "sentiment: words per sentence T after padding/truncation (default 32).", "T"},
        {"padding", "sentiment: pad with zeros pre (before) or post (after) the words (default post).", "side"},
        {"truncation", "sentiment: cut long sentences pre (at the start) or post (default post).", "side"},
        {"data", "Train on your own CSV sequences (one per row, target last; a UCR NAME_TRAIN "
                 "file uses NAME_TEST beside it for validation).", "file"},
        {"test-data", "With --data: the validation file (default: 20% of --data).", "file"},
        {"target", "With --data: target column: first, last, a number or a header name.", "column"},
        {"window", "With --data: cut a single series into windows of T values to forecast the "
                   "next one.", "T"},
        {"layout", "With --data: wide (default), wide-multivariate (T*F values per row, "
                   "time-major), long (one step per row) or series.", "name"},
        {"features", "With --layout wide-multivariate: F values per time step (default 1).", "F"},
        {"sequence-id", "With --layout long: the sequence-id column (number or header name).", "column"},
        {"task-type", "With --data: regression, binary or multiclass (default: detected from "
                      "the target).", "type"},
        {"no-standardize", "With --data: use the values as they are (default: standardise each "
                           "feature on the training split)."},
        {"sentences", "sentiment: a sentence<TAB>label file to read instead of the shipped "
                      "amazon_cells + yelp (repeat for several files).", "file"},
        {"learning-rate", "Adam learning rate (default 0.001).", "lr"},
        {"train-size", "Training samples (default: the published size).", "N"},
        {"val-size", "Validation samples (default: the published size).", "N"},
    });
}

namespace {

// The whole-number settings with their bounds, shared by the command line, QSettings and session
// files so they can never accept different ranges.
struct IntSetting {
    const char *option; // --option
    const char *key;    // QSettings key in the group "run"
    int min, max;
    int &(*field)(RunSettings &);
};
const IntSetting kIntSettings[] = {
    {"epochs", "epochs", 1, 100000, [](RunSettings &s) -> int & { return s.train.epochs; }},
    {"batch-size", "batchSize", 1, 100000, [](RunSettings &s) -> int & { return s.train.batchSize; }},
    {"hidden", "hidden", 1, 4096, [](RunSettings &s) -> int & { return s.model.hiddenSetting(); }},
    {"units", "units", 1, 4096, [](RunSettings &s) -> int & { return s.model.attentionUnits; }},
    {"train-size", "trainSize", 0, 10000000, [](RunSettings &s) -> int & { return s.size.train; }},
    {"val-size", "valSize", 0, 10000000, [](RunSettings &s) -> int & { return s.size.validation; }},
    {"heads", "heads", 1, 256, [](RunSettings &s) -> int & { return s.model.heads; }},
    {"attention-window", "window", 0, 100000, [](RunSettings &s) -> int & { return s.model.window; }},
    {"local-width", "localWidth", 1, 100000, [](RunSettings &s) -> int & { return s.model.localHalfWidth; }},
    {"vocabulary", "vocabulary", 0, 10000000,
     [](RunSettings &s) -> int & { return s.tokenizer.vocabularyLimit; }},
    {"max-length", "maxLength", 1, 10000, [](RunSettings &s) -> int & { return s.tokenizer.maxLength; }},
    {"window", "seriesWindow", 0, 100000, [](RunSettings &s) -> int & { return s.window; }},
    {"features", "features", 1, 100000, [](RunSettings &s) -> int & { return s.features; }},
};

} // namespace

QString readRunOptions(const QCommandLineParser &p, RunSettings &s)
{
    if (p.isSet("data")) {
        if (p.isSet("task") && p.value("task") != "csv")
            return QStringLiteral("--data: trains the csv task, not --task %1").arg(p.value("task"));
        s = RunSettings::defaults(TaskKind::Csv);
        s.dataFile = p.value("data");
        s.testDataFile = p.value("test-data");
        s.target = p.value("target");
        s.sequenceId = p.value("sequence-id");
        s.standardize = !p.isSet("no-standardize");
        if (p.isSet("layout")) {
            if (!csvLayoutFromString(p.value("layout").toStdString()))
                return QStringLiteral("--layout: expected wide, wide-multivariate, long or series, got '%1'")
                    .arg(p.value("layout"));
            s.layout = p.value("layout");
        }
        if (p.isSet("task-type")) {
            const auto type = taskTypeFromString(p.value("task-type").toStdString());
            if (!type || *type == TaskType::Auto)
                return QStringLiteral("--task-type: expected regression, binary or multiclass, got '%1'")
                    .arg(p.value("task-type"));
            s.taskType = p.value("task-type");
        }
    } else {
        for (const char *option : {"test-data", "target", "window", "layout", "features",
                                   "sequence-id", "task-type", "no-standardize"})
            if (p.isSet(option))
                return QStringLiteral("--%1 needs --data FILE%2")
                    .arg(option, QString(option) == "window"
                                     ? " (the self-attention window width is --attention-window)"
                                     : "");
    }
    if (p.isSet("task") && !p.isSet("data")) {
        const auto kind = taskKindFromString(p.value("task").toStdString());
        if (!kind)
            return QStringLiteral("--task: expected %1, got '%2'")
                .arg(choiceList(allTaskKinds()), p.value("task"));
        s = RunSettings::defaults(*kind);
    }
    if (p.isSet("seed")) {
        bool ok = false;
        const qulonglong seed = p.value("seed").toULongLong(&ok);
        if (!ok)
            return QStringLiteral("--seed: expected a non-negative whole number, got '%1'")
                .arg(p.value("seed"));
        s.train.seed = seed;
    }
    if (p.isSet("attention")) {
        const auto kind = attentionKindFromString(p.value("attention").toStdString());
        if (!kind)
            return QStringLiteral("--attention: expected %1, got '%2'")
                .arg(choiceList(allAttentionKinds()), p.value("attention"));
        const std::vector<AttentionKind> applicable = applicableAttention(s.task);
        if (std::find(applicable.begin(), applicable.end(), *kind) == applicable.end())
            return QStringLiteral("--attention: %1 does not apply to the %2 task (expected %3)")
                .arg(p.value("attention"), QString::fromStdString(toString(s.task)),
                     choiceList(applicable));
        s.model.attention = *kind;
    }
    if (p.isSet("cell")) {
        const auto cell = recurrentCellFromString(p.value("cell").toStdString());
        if (!cell)
            return QStringLiteral("--cell: expected lstm or gru, got '%1'").arg(p.value("cell"));
        s.model.cell = *cell;
    }
    s.model.causal = s.model.causal || p.isSet("causal");
    for (const IntSetting &o : kIntSettings) {
        if (!p.isSet(o.option))
            continue;
        bool ok = false;
        const long long v = p.value(o.option).toLongLong(&ok);
        if (!ok || v < o.min || v > o.max)
            return QStringLiteral("--%1: expected a whole number from %2 to %3, got '%4'")
                .arg(o.option)
                .arg(o.min)
                .arg(o.max)
                .arg(p.value(o.option));
        o.field(s) = int(v);
    }
    const struct {
        const char *name;
        double *field;
    } rates[] = {{"input-dropout", &s.model.inputDropout},
                 {"recurrent-dropout", &s.model.recurrentDropout}};
    for (const auto &o : rates) {
        if (!p.isSet(o.name))
            continue;
        bool ok = false;
        const double v = p.value(o.name).toDouble(&ok);
        if (!ok || !(v >= 0.0 && v <= 0.9))
            return QStringLiteral("--%1: expected a number from 0 to 0.9, got '%2'")
                .arg(o.name, p.value(o.name));
        *o.field = v;
    }
    for (auto [name, field] : {std::pair{"padding", &s.tokenizer.padding},
                               std::pair{"truncation", &s.tokenizer.truncation}}) {
        if (!p.isSet(name))
            continue;
        const QString v = p.value(name);
        if (v != "pre" && v != "post")
            return QStringLiteral("--%1: expected pre or post, got '%2'").arg(name, v);
        *field = v == "pre" ? SequenceSide::Pre : SequenceSide::Post;
    }
    if (p.isSet("sentences")) {
        if (s.task != TaskKind::Sentiment)
            return QStringLiteral("--sentences: only the sentiment task reads sentence files "
                                  "(add --task sentiment)");
        s.sentenceFiles = p.values("sentences");
    }
    if (p.isSet("learning-rate")) {
        bool ok = false;
        const double lr = p.value("learning-rate").toDouble(&ok);
        if (!ok || !(lr > 0.0 && lr <= 10.0))
            return QStringLiteral("--learning-rate: expected a number in (0, 10], got '%1'")
                .arg(p.value("learning-rate"));
        s.train.learningRate = lr;
    }
    return {};
}

QVariantMap runSettingsToMap(const RunSettings &s)
{
    QVariantMap m;
    m["task"] = QString::fromStdString(toString(s.task));
    m["attention"] = QString::fromStdString(toString(s.model.attention));
    RunSettings copy = s; // the table hands out mutable references
    for (const IntSetting &i : kIntSettings)
        m[i.key] = i.field(copy);
    m["learningRate"] = s.train.learningRate;
    m["seed"] = QString::number(s.train.seed); // text: a 64-bit seed does not fit a JSON double
    m["cell"] = QString::fromStdString(toString(s.model.cell));
    m["causal"] = s.model.causal;
    m["inputDropout"] = s.model.inputDropout;
    m["recurrentDropout"] = s.model.recurrentDropout;
    m["padding"] = s.tokenizer.padding == SequenceSide::Pre ? "pre" : "post";
    m["truncation"] = s.tokenizer.truncation == SequenceSide::Pre ? "pre" : "post";
    m["sentenceFiles"] = s.sentenceFiles;
    m["dataFile"] = s.dataFile;
    m["testDataFile"] = s.testDataFile;
    m["target"] = s.target;
    m["layout"] = s.layout;
    m["sequenceId"] = s.sequenceId;
    m["taskType"] = s.taskType;
    m["standardize"] = s.standardize;
    return m;
}

RunSettings runSettingsFromMap(const QVariantMap &m, const RunSettings &fallback, QStringList *problems)
{
    const auto problem = [problems](const QString &key, const QString &expected) {
        if (problems)
            *problems << QStringLiteral("%1: expected %2").arg(key, expected);
    };
    RunSettings s = fallback;
    if (const auto task = anyTaskKindFromString(m.value("task").toString().toStdString()))
        s = RunSettings::defaults(*task);
    else if (m.contains("task"))
        problem("task", QStringLiteral("%1, got '%2'")
                            .arg(choiceList(allTaskKinds()), m.value("task").toString()));
    const std::vector<AttentionKind> applicable = applicableAttention(s.task);
    if (const auto kind = attentionKindFromString(m.value("attention").toString().toStdString());
        kind && std::find(applicable.begin(), applicable.end(), *kind) != applicable.end())
        s.model.attention = *kind;
    else if (m.contains("attention"))
        problem("attention", QStringLiteral("%1, got '%2'")
                                 .arg(choiceList(applicable), m.value("attention").toString()));
    for (const IntSetting &i : kIntSettings) {
        if (!m.contains(i.key))
            continue;
        bool ok = false;
        const int v = m.value(i.key).toInt(&ok);
        if (ok && v >= i.min && v <= i.max)
            i.field(s) = v;
        else
            problem(i.key, QStringLiteral("a whole number from %1 to %2, got '%3'")
                               .arg(i.min)
                               .arg(i.max)
                               .arg(m.value(i.key).toString()));
    }
    if (const auto cell = recurrentCellFromString(m.value("cell").toString().toStdString()))
        s.model.cell = *cell;
    else if (m.contains("cell"))
        problem("cell", QStringLiteral("lstm or gru, got '%1'").arg(m.value("cell").toString()));
    s.model.causal = m.value("causal", s.model.causal).toBool();
    s.standardize = m.value("standardize", s.standardize).toBool();
    for (auto [key, field] : {std::pair{"inputDropout", &s.model.inputDropout},
                              std::pair{"recurrentDropout", &s.model.recurrentDropout}}) {
        if (!m.contains(key))
            continue;
        bool ok = false;
        const double v = m.value(key).toDouble(&ok);
        if (ok && v >= 0.0 && v <= 0.9)
            *field = v;
        else
            problem(key, QStringLiteral("a number from 0 to 0.9, got '%1'").arg(m.value(key).toString()));
    }
    for (auto [key, field] : {std::pair{"padding", &s.tokenizer.padding},
                              std::pair{"truncation", &s.tokenizer.truncation}}) {
        const QString v = m.value(key).toString();
        if (v == "pre" || v == "post")
            *field = v == "pre" ? SequenceSide::Pre : SequenceSide::Post;
        else if (m.contains(key))
            problem(key, QStringLiteral("pre or post, got '%1'").arg(v));
    }
    if (m.contains("learningRate")) {
        bool ok = false;
        if (const double lr = m.value("learningRate").toDouble(&ok); ok && lr > 0.0 && lr <= 10.0)
            s.train.learningRate = lr;
        else
            problem("learningRate", QStringLiteral("a number in (0, 10], got '%1'")
                                        .arg(m.value("learningRate").toString()));
    }
    if (m.contains("seed")) {
        bool ok = false;
        if (const qulonglong seed = m.value("seed").toString().toULongLong(&ok); ok)
            s.train.seed = seed;
        else
            problem("seed", QStringLiteral("a non-negative whole number, got '%1'")
                                .arg(m.value("seed").toString()));
    }
    s.sentenceFiles = m.value("sentenceFiles").toStringList();
    s.dataFile = m.value("dataFile").toString();
    s.testDataFile = m.value("testDataFile").toString();
    s.target = m.value("target").toString();
    s.sequenceId = m.value("sequenceId").toString();
    const QString layout = m.value("layout").toString();
    if (layout.isEmpty() || csvLayoutFromString(layout.toStdString()))
        s.layout = layout;
    else
        problem("layout", QStringLiteral("wide, wide-multivariate, long or series, got '%1'").arg(layout));
    const QString type = m.value("taskType").toString();
    if (type.isEmpty() || taskTypeFromString(type.toStdString()))
        s.taskType = type == "auto" ? QString() : type;
    else
        problem("taskType", QStringLiteral("regression, binary or multiclass, got '%1'").arg(type));
    return s;
}

void saveRunSettings(QSettings &store, const RunSettings &s)
{
    QVariantMap m = runSettingsToMap(s);
    // The data sizes are given per run (command line), not carried over to the next start.
    m.remove("trainSize");
    m.remove("valSize");
    store.beginGroup("run");
    for (auto it = m.cbegin(); it != m.cend(); ++it)
        store.setValue(it.key(), it.value());
    store.endGroup();
}

RunSettings loadRunSettings(QSettings &store, const RunSettings &fallback)
{
    store.beginGroup("run");
    QVariantMap m;
    for (const QString &key : store.childKeys())
        m[key] = store.value(key);
    store.endGroup();
    m.remove("trainSize");
    m.remove("valSize");
    RunSettings s = runSettingsFromMap(m, fallback);
    // A CSV run whose file has gone since: start from the fallback instead of a broken task.
    if (s.task == TaskKind::Csv && !QFileInfo::exists(s.dataFile))
        return fallback;
    return s;
}
