// SPDX-License-Identifier: GPL-3.0-or-later
// guessCsvSettings: the UCR pair, a single series or a wide file, from the first 64 KiB.
#include "app/session/csvguess.h"

#include "core/data/sequencecsv.h"
#include "core/io/csvparser.h"

#include <QFile>
#include <QFileInfo>

#include <algorithm>
#include <vector>

using namespace attn;

namespace {

/// Up to the first 64 KiB of path, cut after its last complete line; empty if it cannot be read.
std::string fileHead(const QString &path)
{
    constexpr qint64 kHeadBytes = 64 * 1024;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QByteArray head = f.read(kHeadBytes);
    if (!f.atEnd()) { // a longer file: the last line may be cut short
        const qsizetype end = head.lastIndexOf('\n');
        head.truncate(end < 0 ? 0 : end + 1);
    }
    return head.toStdString();
}

} // namespace

RunSettings guessCsvSettings(const QString &path, const RunSettings &base)
{
    RunSettings s = base;
    s.task = TaskKind::Csv;
    s.dataFile = path;
    s.testDataFile.clear();
    s.target.clear();
    s.window = 0;
    s.layout.clear();
    s.features = 1;
    s.sequenceId.clear();
    s.taskType.clear();
    const std::string file = path.toStdString();
    const std::string test = ucrTestPath(file);
    if (!test.empty() && QFileInfo::exists(QString::fromStdString(test)))
        return s; // csvTaskSpec reads the published pair with the UCR options
    s.layout = QStringLiteral("wide");
    if (!test.empty() && firstColumnHoldsLabels(file)) {
        s.target = QStringLiteral("first"); // a lone NAME_TRAIN file: its labels first, as a pair's
        return s;
    }
    try {
        const CsvTable table = parseCsv(fileHead(path), file);
        const int rows = int(table.rows.size());
        const int sample = std::min(rows, 100); // enough to tell a value column from a date column
        std::vector<int> numeric;
        int other = 0;
        for (int c = 0; c < table.columns(); ++c) {
            bool numbers = sample > 0;
            for (int r = 0; r < sample && numbers; ++r)
                numbers = table.rows.kind(std::size_t(r), c) == CellKind::Number;
            if (numbers)
                numeric.push_back(c);
            else
                ++other;
        }
        if (numeric.size() == 1 && other <= 1) {
            s.layout = QStringLiteral("series");
            s.window = std::max(1, std::min(12, rows / 4));
            if (base.window == 0 && s.train.explainRows == 0) // a new forecast: what it leans on
                s.train.explainRows = kForecastExplainRows;
            const int c = numeric.front();
            if (c != table.columns() - 1)
                s.target = table.header.empty() ? QString::number(c + 1)
                                                : QString::fromStdString(table.header[c]);
        }
    } catch (const std::exception &) {
        // Reading the file for the run says what is wrong; wide is as good a start as any.
    }
    return s;
}
