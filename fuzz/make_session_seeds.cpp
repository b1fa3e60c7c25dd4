// SPDX-License-Identifier: GPL-3.0-or-later
// Writes the fuzz_session seed corpus with the app's own writer (saveSession): usage
// `fuzz_make_session_seeds DIR`. Small sessions (a few probe rows over a few steps) so that every
// seed fits libFuzzer's -max_len of fuzz/run-fuzzers.sh; kept in fuzz/corpus/fuzz_session/.
// Rerun this only when the session format changes.
#include "app/session/sessionfile.h"

#include <QDir>
#include <QString>

#include <cstdio>
#include <limits>

namespace {

/// Rows x cols values v, v + step, ...
attn::Grid grid(int rows, int cols, float v, float step)
{
    attn::Grid g{rows, cols, {}};
    for (int i = 0; i < rows * cols; ++i, v += step)
        g.values.push_back(v);
    return g;
}

/// Epoch e of a run over R = 2 probe rows and T = 3 steps.
attn::EpochSnapshot epoch(int e, int total)
{
    attn::EpochSnapshot s;
    s.epoch = e;
    s.totalEpochs = total;
    s.seconds = 0.5 * e;
    s.trainLoss = 1.0 / (1 + e);
    s.valLoss = 1.5 / (1 + e);
    s.metric = 0.25 * e;
    s.metricName = "mae";
    s.samplesPerSecond = 1000.0 + e;
    s.attention = grid(2, 3, 0.125f, 0.125f);
    s.groundTruth = grid(2, 3, 0.0f, 0.0f);
    s.groundTruth.values[1] = 1.0f;
    s.argmaxAttention = grid(2, 3, 0.0f, 0.0f);
    s.probeInputs = grid(2, 3, -1.5f, 0.75f);
    s.probePredictions = {0.5f, 2.25f};
    s.probeTargets = {0.0f, 2.0f};
    if (e > 0) {
        s.alignment = 0.5;
        s.groundTruthMass = 0.25;
    }
    return s;
}

bool save(const QString &path, const Session &session)
{
    QString error;
    if (saveSession(path, session, &error))
        return true;
    std::fprintf(stderr, "%s\n", qPrintable(error));
    return false;
}

} // namespace

int main(int argc, char **argv)
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s DIR\n", argv[0]);
        return 2;
    }
    const QDir dir(QString::fromLocal8Bit(argv[1]));
    bool ok = true;

    Session add; // the add task: untrained epoch 0 and two epochs, a model beside the session
    add.settings = RunSettings::defaults(attn::TaskKind::Add);
    add.settings.train.epochs = 2;
    for (int e = 0; e <= 2; ++e)
        add.history.push_back(epoch(e, 2));
    add.model = dir.filePath("models/add");
    ok = save(dir.filePath("add.attnsession"), add) && ok;

    Session sentiment; // self-attention over tokens: probe_tokens, padding mass, head maps
    sentiment.settings = RunSettings::defaults(attn::TaskKind::Sentiment);
    sentiment.settings.model.attention = attn::AttentionKind::SelfAttention;
    sentiment.settings.model.heads = 2;
    sentiment.settings.sentenceFiles = {dir.filePath("data/yelp.txt"), QStringLiteral("/elsewhere/imdb.txt")};
    attn::EpochSnapshot s = epoch(1, 1);
    s.metricName = "accuracy";
    s.probeTokens = {{"good", "caf\xc3\xa9", ""}, {"don't", "\"great\"", "a, b"}};
    s.probePaddingMass = {0.25f, 0.0f};
    s.headMaps = {{grid(3, 3, 0.0f, 0.1f), grid(3, 3, 1.0f, -0.1f)}, {grid(3, 3, 0.5f, 0.0f), grid(0, 0, 0, 0)}};
    sentiment.history.push_back(s);
    ok = save(dir.filePath("sentiment.attnsession"), sentiment) && ok;

    Session csv; // a CSV run that diverged: non-finite numbers, minus zero, extreme floats
    csv.settings = RunSettings::defaults(attn::TaskKind::Csv);
    csv.settings.dataFile = dir.filePath("data/series.csv");
    csv.settings.testDataFile = QStringLiteral("/elsewhere/test.csv");
    csv.settings.target = QStringLiteral("y");
    csv.settings.layout = QStringLiteral("series");
    csv.settings.window = 3;
    s = epoch(3, 4);
    s.trainLoss = std::numeric_limits<double>::infinity();
    s.valLoss = std::numeric_limits<double>::quiet_NaN();
    s.metric = -0.0;
    s.attention.values = {std::numeric_limits<float>::max(), std::numeric_limits<float>::denorm_min(),
                          -0.0f, std::numeric_limits<float>::quiet_NaN(),
                          -std::numeric_limits<float>::infinity(), 0.1f};
    csv.history.push_back(s);
    ok = save(dir.filePath("csv_diverged.attnsession"), csv) && ok;

    Session empty; // no epoch yet, no model
    empty.settings = RunSettings::defaults(attn::TaskKind::Max);
    ok = save(dir.filePath("empty.attnsession"), empty) && ok;

    if (ok)
        std::printf("seeds written to %s\n", argv[1]);
    return ok ? 0 : 1;
}
