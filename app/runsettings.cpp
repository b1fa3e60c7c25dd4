// SPDX-License-Identifier: GPL-3.0-or-later
// Run settings: task defaults, command-line options and the Trainer factory.
#include "app/runsettings.h"

#include <QStringList>

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

std::unique_ptr<Trainer> makeTrainer(const RunSettings &settings)
{
    Rng dataRng(settings.train.seed);
    auto task = std::make_shared<TaskData>(makeTask(settings.task, dataRng, settings.size));
    return std::make_unique<Trainer>(task, settings.model, settings.train);
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
        {"learning-rate", "Adam learning rate (default 0.001).", "lr"},
        {"train-size", "Training samples (default: the published size).", "N"},
        {"val-size", "Validation samples (default: the published size).", "N"},
    });
}

namespace {

// Reads a positive integer option; returns false and sets error when it is not one.
bool readPositive(const QCommandLineParser &p, const QString &name, long long max, long long &out,
                  QString &error)
{
    if (!p.isSet(name))
        return true;
    bool ok = false;
    const long long v = p.value(name).toLongLong(&ok);
    if (!ok || v < 1 || v > max) {
        error = QStringLiteral("--%1: expected a whole number from 1 to %2, got '%3'")
                    .arg(name)
                    .arg(max)
                    .arg(p.value(name));
        return false;
    }
    out = v;
    return true;
}

} // namespace

QString readRunOptions(const QCommandLineParser &p, RunSettings &s)
{
    if (p.isSet("task")) {
        const auto kind = taskKindFromString(p.value("task").toStdString());
        if (!kind)
            return QStringLiteral("--task: expected %1, got '%2'")
                .arg(choiceList(allTaskKinds()), p.value("task"));
        s = RunSettings::defaults(*kind);
    }
    const struct {
        const char *name;
        long long max;
        int *field;
    } positives[] = {
        {"epochs", 100000, &s.train.epochs},          {"batch-size", 100000, &s.train.batchSize},
        {"hidden", 4096, &s.model.hidden},            {"units", 4096, &s.model.attentionUnits},
        {"train-size", 10000000, &s.size.train},      {"val-size", 10000000, &s.size.validation},
    };
    for (const auto &o : positives) {
        long long v = *o.field;
        QString error;
        if (!readPositive(p, o.name, o.max, v, error))
            return error;
        *o.field = int(v);
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
        s.model.attention = *kind;
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

void saveRunSettings(QSettings &store, const RunSettings &s)
{
    store.beginGroup("run");
    store.setValue("task", QString::fromStdString(toString(s.task)));
    store.setValue("attention", QString::fromStdString(toString(s.model.attention)));
    store.setValue("hidden", s.model.hidden);
    store.setValue("units", s.model.attentionUnits);
    store.setValue("epochs", s.train.epochs);
    store.setValue("batchSize", s.train.batchSize);
    store.setValue("learningRate", s.train.learningRate);
    store.setValue("seed", QString::number(s.train.seed));
    store.endGroup();
}

RunSettings loadRunSettings(QSettings &store, const RunSettings &fallback)
{
    store.beginGroup("run");
    RunSettings s = fallback;
    if (const auto task = taskKindFromString(store.value("task").toString().toStdString()))
        s = RunSettings::defaults(*task);
    if (const auto kind = attentionKindFromString(store.value("attention").toString().toStdString()))
        s.model.attention = *kind;
    const struct {
        const char *key;
        int max;
        int *field;
    } ints[] = {{"hidden", 4096, &s.model.hidden},
                {"units", 4096, &s.model.attentionUnits},
                {"epochs", 100000, &s.train.epochs},
                {"batchSize", 100000, &s.train.batchSize}};
    for (const auto &i : ints) {
        bool ok = false;
        const int v = store.value(i.key).toInt(&ok);
        if (ok && v >= 1 && v <= i.max)
            *i.field = v;
    }
    bool ok = false;
    if (const double lr = store.value("learningRate").toDouble(&ok); ok && lr > 0.0 && lr <= 10.0)
        s.train.learningRate = lr;
    if (const qulonglong seed = store.value("seed").toString().toULongLong(&ok); ok)
        s.train.seed = seed;
    store.endGroup();
    return s;
}
