// SPDX-License-Identifier: GPL-3.0-or-later
// The CSV import dialog's background check: preview content and makeCsvTaskData through the
// dialog's table cache, every error caught into the result.
#include "app/gui/csvcheck.h"

#include <exception>
#include <mutex>
#include <utility>

using namespace attn;

namespace {

std::mutex g_hookMutex;
std::function<void(int)> g_hook;

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
