// SPDX-License-Identifier: GPL-3.0-or-later
// Run settings as a QVariantMap (session files) and in QSettings (the last run): every setting by
// name, read back with the same bounds as the command line and one line per invalid entry.
#include "app/session/runsettings.h"

#include "app/session/intsetting.h"
#include "app/session/runpreset.h"

#include <QFileInfo>

#include <algorithm>

using namespace attn;

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
    m["init"] = QString::fromStdString(toString(s.model.init));
    m["causal"] = s.model.causal;
    m["preNorm"] = s.model.preNorm;
    m["attentionOnInputs"] = s.model.attentionOnInputs;
    m["attentionNoise"] = s.model.attentionNoise;
    m["encoderDropout"] = s.model.encoderDropout;
    m["maskPadding"] = s.model.maskPadding;
    m["explainRows"] = s.train.explainRows; // 0: no faithfulness measures
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
    m["instanceNorm"] = s.instanceNorm;
    m["preset"] = s.preset;
    m["validationLast"] = s.validationLast;
    m["embeddingL2"] = s.train.embeddingL2;
    m["embeddingDropout"] = s.model.embeddingDropout;
    m["dropout"] = s.model.dropout;
    m["normalAttentionInit"] = s.model.normalAttentionInit;
    m["baselineUnits"] = s.model.baselineUnits;
    return m;
}

RunSettings runSettingsFromMap(const QVariantMap &m, const RunSettings &fallback, QStringList *problems)
{
    const auto problem = [problems](const QString &key, const QString &expected) {
        if (problems)
            *problems << QStringLiteral("%1: expected %2").arg(key, expected);
    };
    RunSettings s = fallback;
    const QString preset = m.value("preset").toString();
    if (const auto task = anyTaskKindFromString(m.value("task").toString().toStdString()))
        s = presetOrDefaults(*task, preset); // a preset's settings not stored below come back too
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
    if (const auto init = weightInitFromString(m.value("init").toString().toStdString()))
        s.model.init = *init;
    else if (m.contains("init"))
        problem("init", QStringLiteral("keras or pytorch, got '%1'").arg(m.value("init").toString()));
    s.model.causal = m.value("causal", s.model.causal).toBool();
    s.model.preNorm = m.value("preNorm", s.model.preNorm).toBool();
    s.model.attentionOnInputs = m.value("attentionOnInputs", s.model.attentionOnInputs).toBool();
    s.model.attentionNoise = std::clamp(m.value("attentionNoise", s.model.attentionNoise).toDouble(), 0.0, 10.0);
    s.model.maskPadding = m.value("maskPadding", s.model.maskPadding).toBool();
    s.model.normalAttentionInit = m.value("normalAttentionInit", s.model.normalAttentionInit).toBool();
    s.validationLast = m.value("validationLast", s.validationLast).toBool();
    if (!preset.isEmpty() && !runPresetFromString(preset))
        problem("preset", QStringLiteral("%1, got '%2'").arg(runPresetChoices(), preset));
    else if (s.task == TaskKind::Sentiment)
        s.preset = preset;
    if (m.contains("embeddingL2")) {
        bool ok = false;
        if (const double l2 = m.value("embeddingL2").toDouble(&ok); ok && l2 >= 0.0 && l2 <= 1.0)
            s.train.embeddingL2 = l2;
        else
            problem("embeddingL2", QStringLiteral("a number from 0 to 1, got '%1'")
                                       .arg(m.value("embeddingL2").toString()));
    }
    if (m.contains("baselineUnits")) {
        bool ok = false;
        if (const int w = m.value("baselineUnits").toInt(&ok); ok && w >= -1 && w <= kMaxBaselineUnits)
            s.model.baselineUnits = w;
        else
            problem("baselineUnits", QStringLiteral("a whole number from -1 to %1, got '%2'")
                                         .arg(kMaxBaselineUnits)
                                         .arg(m.value("baselineUnits").toString()));
    }
    s.standardize = m.value("standardize", s.standardize).toBool();
    s.instanceNorm = m.value("instanceNorm", s.instanceNorm).toBool();
    if (m.contains("explainRows")) {
        bool ok = false;
        const int rows = m.value("explainRows").toInt(&ok);
        if (ok && rows >= 0 && rows <= 100000)
            s.train.explainRows = rows;
        else
            problem("explainRows", QStringLiteral("a whole number from 0 to 100000, got '%1'")
                                       .arg(m.value("explainRows").toString()));
    }
    for (auto [key, field] : {std::pair{"inputDropout", &s.model.inputDropout},
                              std::pair{"recurrentDropout", &s.model.recurrentDropout},
                              std::pair{"encoderDropout", &s.model.encoderDropout},
                              std::pair{"embeddingDropout", &s.model.embeddingDropout},
                              std::pair{"dropout", &s.model.dropout}}) {
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
