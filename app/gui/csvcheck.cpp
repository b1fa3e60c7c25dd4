// SPDX-License-Identifier: GPL-3.0-or-later
// The CSV import dialog's background check: preview content and makeCsvTaskData through the
// dialog's table cache, every error caught into the result; and the texts describing a result.
#include "app/gui/csvcheck.h"

#include <QCoreApplication>
#include <QFileInfo>

#include <exception>
#include <mutex>
#include <utility>

using namespace attn;

namespace {

std::mutex g_hookMutex;
std::function<void(int)> g_hook;

QString tr(const char *text) { return QCoreApplication::translate("CsvImportDialog", text); }

// "1 feature", "3 features".
QString count(qint64 n, const QString &one, const QString &many)
{
    return QStringLiteral("%1 %2").arg(n).arg(n == 1 ? one : many);
}

QString taskTypeName(TaskType type)
{
    switch (type) {
    case TaskType::Regression:
        return tr("regression");
    case TaskType::Binary:
        return tr("binary classification");
    case TaskType::MultiClass:
        return tr("multi-class classification");
    case TaskType::Auto:
        break;
    }
    return tr("auto");
}

} // namespace

void setCsvCheckHook(std::function<void(int generation)> hook)
{
    const std::lock_guard<std::mutex> lock(g_hookMutex);
    g_hook = std::move(hook);
}

CsvCheckResult runCsvCheck(const RunSettings &settings, int generation, CsvTableCache &tables,
                           const std::atomic<int> &latest)
{
    std::function<void(int)> hook;
    {
        const std::lock_guard<std::mutex> lock(g_hookMutex);
        hook = g_hook;
    }
    if (hook)
        hook(generation);

    CsvCheckResult r;
    r.generation = generation;
    if (latest.load() != generation)
        return r; // superseded while it waited for a thread: the dialog drops it
    r.settings = settings;
    CsvFormat format;
    try {
        format = csvTaskSpec(settings).options;
    } catch (const std::exception &) {
        // A bad layout or task type name: the check reports it; read the preview as auto.
    }
    std::shared_ptr<const CsvTable> table;
    QString parseError;
    try {
        table = tables.get(settings.dataFile.toStdString(), format);
    } catch (const std::exception &e) {
        parseError = QString::fromUtf8(e.what());
    }
    r.preview = CsvPreview::read(settings.dataFile, format, table.get(), parseError);

    const CsvTableReader reader = [&tables](const std::string &path, const CsvFormat &f) {
        return tables.get(path, f);
    };
    try {
        const TaskData data = makeCsvTaskData(settings, &r.info, reader);
        r.trainSize = data.train.size();
        r.validationSize = data.validation.size();
        r.testSize = data.test.size();
        r.steps = data.train.steps;
        r.features = data.train.features;
        r.validationY = data.validation.y;
    } catch (const CsvError &e) {
        r.error = QString::fromUtf8(e.what());
        r.errorFile = e.file;
        r.errorLine = e.line;
        r.errorColumn = e.column;
    } catch (const std::exception &e) {
        r.error = QString::fromUtf8(e.what());
    }
    return r;
}

QString csvCheckShape(const CsvCheckResult &r)
{
    const RunSettings &s = r.settings;
    const bool series = s.layout == QLatin1String("series");
    const QString origin = !s.taskType.isEmpty() ? tr("chosen")
                           : series                ? tr("a series forecasts its next value")
                                                   : tr("detected from the target");
    return tr("N = %1 training + %2 validation%3 %4, T = %5, F = %6\n%7 (%8)")
        .arg(r.trainSize)
        .arg(r.validationSize)
        .arg(r.testSize > 0 ? tr(" + %1 test").arg(r.testSize) : QString())
        .arg(series ? tr("windows") : tr("sequences"))
        .arg(count(r.steps, tr("step"), tr("steps")))
        .arg(count(r.features, tr("feature"), tr("features")))
        .arg(taskTypeName(r.info.taskType), origin);
}

QString csvCheckDetail(const CsvCheckResult &r, const QString &ucrTestFile)
{
    const RunSettings &s = r.settings;
    QString validation;
    if (s.layout == QLatin1String("series"))
        validation = tr("Validation: the latest 20% of the windows (no shuffle, so overlapping windows "
                        "do not leak).");
    else if (r.info.classNames.empty())
        validation = tr("Validation: 20% of the sequences, drawn with seed %1.").arg(s.train.seed);
    else
        validation = tr("Validation: 20% of each class, drawn with seed %1.").arg(s.train.seed);
    if (!s.testDataFile.isEmpty())
        validation += tr(" Test: %1, reported, never used for a choice.")
                          .arg(QFileInfo(s.testDataFile).fileName());
    else if (!ucrTestFile.isEmpty())
        validation += tr(" Test: %1, the published test split, reported, never used for a choice.")
                          .arg(ucrTestFile);
    return validation + QLatin1Char(' ') +
           (s.standardize ? tr("Inputs%1 standardised on the training split.")
                                .arg(r.info.taskType == TaskType::Regression ? tr(" and target") : QString())
                          : tr("Values used as they are in the file."));
}
