// SPDX-License-Identifier: GPL-3.0-or-later
// Headless compare: shard selection, result files (write, read back, resume), JSON lines in
// grid order, the table, the exports, and the merge of every shard's result files.
#include "app/cli/comparerunner.h"

#include "app/session/compareworker.h"
#include "app/session/plural.h"
#include "app/session/savefile.h"
#include "app/session/sweepfile.h"
#include "widgets/comparecurvesview.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

#include <atomic>
#include <cmath>
#include <exception>
#include <map>

namespace {

QByteArray compareRunJsonLine(const attn::CompareRun &r, const QString &runId)
{
    QJsonObject o;
    o["mechanism"] = QString::fromStdString(attn::toString(r.mechanism));
    // JSON numbers are exact integers only up to 2^53 in most readers; larger seeds as text.
    o["seed"] = r.seed <= (std::uint64_t(1) << 53) ? QJsonValue(qint64(r.seed))
                                                   : QJsonValue(QString::number(r.seed));
    o["run_id"] = runId;
    o["best_metric"] = std::isnan(r.bestMetric) ? QJsonValue() : QJsonValue(r.bestMetric);
    o["best_epoch"] = r.bestEpoch;
    o["parameters"] = qint64(r.parameters);
    o["metric_name"] = QString::fromStdString(r.metricName);
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QString runName(const attn::CompareGrid &grid, int runId)
{
    const auto [mechanism, runIndex] = grid.cell(runId);
    return QStringLiteral("%1 seed %2").arg(QString::fromStdString(attn::toString(mechanism))).arg(grid.seed(runIndex));
}

} // namespace

CompareRunner::CompareRunner(const RunSettings &settings, const QString &exportDir,
                             const std::vector<attn::AttentionKind> &mechanisms, int runs,
                             const SweepOptions &sweep)
    : m_settings(settings), m_exportDir(exportDir), m_mechanisms(mechanisms), m_runs(runs), m_sweep(sweep)
{
}

int CompareRunner::run(QTextStream &out, QTextStream &err)
{
    const attn::CompareGrid grid{m_mechanisms, m_runs, m_settings.train.seed};
    const std::vector<int> ids = attn::shardRunIds(grid.size(), m_sweep.shard);
    const bool whole = int(ids.size()) == grid.size();
    const QString shardName = QStringLiteral("shard %1/%2").arg(m_sweep.shard.index).arg(m_sweep.shard.count);
    if (ids.empty()) {
        err << "attention-studio: " << shardName << " of a grid of " << countText(grid.size(), "run", "runs")
            << " is empty: nothing to train\n";
        return 0;
    }
    std::map<int, QString> runIds; // the stable id of every run of the shard
    for (int id : ids) {
        const auto [mechanism, runIndex] = grid.cell(id);
        runIds[id] = sweepRunId(m_settings, mechanism, grid.seed(runIndex));
    }
    const QDir resultDir(m_sweep.resultDir);
    const auto resultPath = [&](int id) { return resultDir.filePath(sweepRunFileName(runIds[id])); };
    const auto save = [&](const attn::CompareRun &r, QString *error) {
        return saveFileAtomically(resultPath(r.runId), sweepRunFileJson(m_settings, grid, r), error);
    };

    // Runs whose valid result file is there are read back, not trained again.
    std::map<int, attn::CompareRun> ready;
    std::vector<int> toTrain;
    const QString sweep = sweepId(m_settings, grid);
    for (int id : ids) {
        if (m_sweep.resultDir.isEmpty() || !QFileInfo::exists(resultPath(id))) {
            toTrain.push_back(id);
            continue;
        }
        SweepRunFile file;
        QString error;
        if (readSweepRunFile(resultPath(id), file, &error) && file.runId != runIds[id])
            error = QStringLiteral("%1: holds the run %2, not %3").arg(resultPath(id), file.runId, runIds[id]);
        if (!error.isEmpty()) {
            err << "attention-studio: --result-dir: " << error << "; training " << runName(grid, id)
                << " again\n";
            toTrain.push_back(id);
            continue;
        }
        file.run.runId = id;
        // The same run in another grid (more seeds, other mechanisms): keep its result, record
        // this sweep, so that the merge sees one sweep.
        if (file.sweepId != sweep || file.grid.size() != grid.size())
            if (!save(file.run, &error)) {
                err << "attention-studio: --result-dir: " << error << '\n';
                return 1;
            }
        ready[id] = std::move(file.run);
    }
    const std::size_t readBack = ready.size();

    // One JSON line per run in grid order, as soon as every run before it is there.
    std::size_t printed = 0;
    const auto print = [&] {
        while (printed < ids.size() && ready.count(ids[printed])) {
            out << compareRunJsonLine(ready[ids[printed]], runIds[ids[printed]]) << '\n';
            ++printed;
        }
        out.flush();
    };
    print();

    QString writeError;
    std::atomic<bool> stop{false};
    attn::CompareCallbacks callbacks;
    callbacks.batch = [&](const attn::ProgressInfo &) {
        return stop ? attn::Trainer::Control::Stop : attn::Trainer::Control::Continue;
    };
    callbacks.runFinished = [&](const attn::CompareRun &r) {
        if (!m_sweep.resultDir.isEmpty() && writeError.isEmpty() && !save(r, &writeError))
            stop = true; // a full disk: stop instead of training runs whose results are lost
        ready[r.runId] = r;
        print();
    };
    attn::CompareSchedule schedule;
    schedule.runIds = toTrain;
    schedule.threads = threadCount(m_settings); // the callbacks above come one at a time
    if (!toTrain.empty()) {
        try {
            attn::runCompare(grid, CompareWorker::trainerFactory(m_settings), callbacks, schedule);
        } catch (const std::exception &e) {
            err << "attention-studio: compare failed: " << e.what() << '\n';
            return 1;
        }
    }
    if (!writeError.isEmpty()) {
        err << "attention-studio: --result-dir: " << writeError << '\n';
        return 1;
    }
    if (!whole) {
        err << "attention-studio: " << shardName << ": " << countText(qint64(ids.size()), "run", "runs")
            << " of " << grid.size() << " (" << (ready.size() - readBack) << " trained, " << readBack
            << " read back from " << m_sweep.resultDir << "); merge every shard with --merge "
            << m_sweep.resultDir << '\n';
        return 0;
    }
    std::vector<attn::CompareRun> runs;
    for (int id : ids)
        runs.push_back(std::move(ready[id]));
    return finish(runs, m_settings.task, m_settings.train.epochs, grid, out, err);
}

int CompareRunner::merge(QTextStream &out, QTextStream &err)
{
    std::vector<SweepRunFile> files;
    QStringList paths;
    for (const QString &dir : m_sweep.mergeDirs)
        for (const QFileInfo &info : QDir(dir).entryInfoList({"*.json"}, QDir::Files, QDir::Name)) {
            SweepRunFile file;
            QString error;
            if (!readSweepRunFile(info.filePath(), file, &error)) {
                err << "attention-studio: --merge: " << error << '\n';
                return 2;
            }
            if (!files.empty() && file.sweepId != files.front().sweepId) {
                err << "attention-studio: --merge: " << paths.front() << " and " << info.filePath()
                    << " are results of different sweeps (other settings, mechanisms, runs or seeds); "
                       "merge one sweep at a time\n";
                return 2;
            }
            files.push_back(std::move(file));
            paths << info.filePath();
        }
    if (files.empty()) {
        err << "attention-studio: --merge: no result file (*.json) in " << m_sweep.mergeDirs.join(", ")
            << '\n';
        return 2;
    }
    const attn::CompareGrid grid = files.front().grid;
    std::map<int, const SweepRunFile *> byRun; // a run found in several folders counts once
    for (const SweepRunFile &f : files)
        byRun.emplace(f.run.runId, &f);
    if (int(byRun.size()) < grid.size()) {
        QStringList missing;
        for (int id = 0; id < grid.size() && missing.size() < 10; ++id)
            if (!byRun.count(id))
                missing << runName(grid, id);
        const int count = grid.size() - int(byRun.size());
        err << "attention-studio: --merge: " << count << " of " << countText(grid.size(), "run", "runs")
            << " missing: " << missing.join(", ") << (count > missing.size() ? ", ..." : "")
            << "; run their shards again (a shard skips the runs it has done)\n";
        return 1;
    }
    std::vector<attn::CompareRun> runs;
    for (const auto &[id, file] : byRun) {
        out << compareRunJsonLine(file->run, file->runId) << '\n';
        runs.push_back(file->run);
    }
    out.flush();
    return finish(runs, files.front().task, files.front().epochs, grid, out, err);
}

int CompareRunner::finish(const std::vector<attn::CompareRun> &runs, attn::TaskKind task, int epochs,
                          const attn::CompareGrid &grid, QTextStream &out, QTextStream &err)
{
    const std::string metric = runs.front().metricName;
    const auto rows = attn::summarize(runs, attn::higherIsBetter(metric));
    out << '\n'
        << "Best validation " << QString::fromStdString(attn::metricTitle(metric)) << " per run on the "
        << QString::fromStdString(attn::toString(task)) << " task, " << countText(grid.runs, "run", "runs")
        << " per mechanism ("
        << (grid.runs == 1 ? QStringLiteral("seed %1").arg(grid.seed(0))
                           : QStringLiteral("seeds %1..%2").arg(grid.seed(0)).arg(grid.seed(grid.runs - 1)))
        << "), " << epochs << " epochs each:\n\n"
        << QString::fromStdString(attn::compareTableMarkdown(rows, metric));
    out.flush();
    if (m_exportDir.isEmpty())
        return 0;
    if (!QDir().mkpath(m_exportDir)) {
        err << "attention-studio: --export-dir: cannot create directory '" << m_exportDir << "'\n";
        return 1;
    }
    const QDir dir(m_exportDir);
    const QByteArray table = QByteArray::fromStdString(attn::compareTableCsv(rows, metric));
    if (QString error; !saveFileAtomically(dir.filePath("compare.csv"), table, &error)) {
        err << "attention-studio: --export-dir: " << error << '\n';
        return 1;
    }
    attn::CompareCurvesView curves;
    const bool hasAlignment = attn::taskDefaults(task).alignment != attn::AlignmentKind::None;
    curves.setQuantity(hasAlignment ? attn::CompareCurvesView::Quantity::Alignment
                                    : attn::CompareCurvesView::Quantity::Metric);
    for (const attn::CompareRun &r : runs) // the statistics of every epoch are all a curve needs
        curves.setRunHistory(curves.addRun(QString::fromStdString(attn::toString(r.mechanism)), r.runIndex),
                             r.history);
    curves.resize(1000, 560);
    if (QString error; !curves.savePng(dir.filePath("compare.png"), 1000, 560, 1.0, &error)) {
        err << "attention-studio: --export-dir: " << error << '\n';
        return 1;
    }
    return 0;
}

void CompareRunner::addSweepOptions(QCommandLineParser &parser)
{
    parser.addOptions({
        {"shard", "With --compare and --result-dir: train only the K-th of N slices of the "
                  "grid (1-based, e.g. 3/10; docs/sweeps.md).", "K/N"},
        {"result-dir", "With --compare: write one result file per run to this directory and "
                       "skip the runs whose file is already there (a stopped sweep resumes).", "dir"},
        {"merge", "With --headless: print the table of the result files in these directories "
                  "(--merge DIR [DIR...]) as the unsharded --compare prints it.", "dir"},
    });
}

QString CompareRunner::readSweepOptions(const QCommandLineParser &p, bool headless, bool compare,
                                        SweepOptions &sweep)
{
    sweep = {};
    if (p.isSet("merge")) {
        if (!headless)
            return QStringLiteral("--merge needs --headless");
        for (const char *other : {"compare", "runs", "shard", "result-dir", "gif", "save-model",
                                  "load-model", "predict"})
            if (p.isSet(other))
                return QStringLiteral("--merge takes its runs from the result files; --%1 does not "
                                      "apply").arg(other);
        sweep.mergeDirs = p.values("merge") + p.positionalArguments();
        return {};
    }
    for (const char *option : {"shard", "result-dir"})
        if (p.isSet(option) && !compare)
            return QStringLiteral("--%1 needs --compare").arg(option);
    sweep.resultDir = p.value("result-dir");
    if (p.isSet("result-dir") && sweep.resultDir.isEmpty())
        return QStringLiteral("--result-dir: expected a directory, got ''");
    if (p.isSet("shard")) {
        try {
            sweep.shard = attn::parseShard(p.value("shard").toStdString());
        } catch (const std::invalid_argument &e) {
            return QStringLiteral("--shard: ") + QString::fromStdString(e.what());
        }
        if (sweep.resultDir.isEmpty())
            return QStringLiteral("--shard needs --result-dir DIR: the shards' results are merged "
                                  "from their files (--merge DIR)");
        if (sweep.shard.count > 1 && p.isSet("export-dir"))
            return QStringLiteral("--export-dir with --shard: export the merged table with --merge "
                                  "DIR --export-dir OUT");
    }
    return {};
}

QString CompareRunner::checkMergeDirs(const QStringList &dirs)
{
    for (const QString &dir : dirs)
        if (!QFileInfo(dir).isDir())
            return QStringLiteral("--merge: '%1' is not a directory").arg(dir);
    return {};
}
