// SPDX-License-Identifier: GPL-3.0-or-later
// saveSession/loadSession: a history with every snapshot field filled comes back bit for bit,
// settings paths are stored relative to the session's folder only when inside it, and each
// kind of damaged file is rejected with its exact message, nothing loaded in part.
#include "app/session/sessionfile.h"
#include "tests/fullfilesystem.h"
#include "tests/sessionsamples.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <bit>
#include <cerrno>
#include <cstring>
#include <cmath>
#include <functional>
#include <limits>
#include <random>

using attn::test::makeSnapshot;

namespace {

bool sameBits(double a, double b)
{
    return std::bit_cast<quint64>(a) == std::bit_cast<quint64>(b);
}

bool sameFloats(const std::vector<float> &a, const std::vector<float> &b)
{
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::bit_cast<quint32>(a[i]) != std::bit_cast<quint32>(b[i]))
            return false;
    return true;
}

bool sameGrid(const attn::Grid &a, const attn::Grid &b)
{
    return a.rows == b.rows && a.cols == b.cols && sameFloats(a.values, b.values);
}

bool sameOptional(const std::optional<double> &a, const std::optional<double> &b)
{
    return a.has_value() == b.has_value() && (!a || sameBits(*a, *b));
}

QJsonObject readJson(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

void writeText(const QString &path, const QByteArray &text)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(file.write(text), text.size());
}

} // namespace

class TestSessionFile : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void historyRoundTripsExactly();
    void nonFiniteNumbersRoundTrip();
    void settingsPathsAreRelativeInsideTheFolder();
    void badFilesGiveTheirMessage_data();
    void badFilesGiveTheirMessage();
    void unreadableAndNonJsonFiles();
    void failedSaveLeavesNoFile();
    void fullDiskKeepsTheOldSession();

private:
    /// A saved copy of m_session, edited by edit, at a new path.
    QString editedCopy(const QString &name, const std::function<void(QJsonObject &)> &edit);

    QTemporaryDir m_dir;
    Session m_session;
    QString m_path;
};

void TestSessionFile::initTestCase()
{
    QVERIFY(m_dir.isValid());
    std::mt19937 rng(20240607);
    m_session.settings = RunSettings::defaults(attn::TaskKind::Sentiment);
    m_session.settings.model.attention = attn::AttentionKind::SelfAttention;
    m_session.settings.model.heads = 2;
    m_session.settings.model.maskPadding = false; // not the default: must be read back
    m_session.settings.train.seed = 18446744073709551557ull; // needs all 64 bits
    for (int epoch = 1; epoch <= 3; ++epoch)
        m_session.history.push_back(makeSnapshot(epoch, rng));
    m_session.model = m_dir.filePath("models/sentiment");
    m_path = m_dir.filePath("run.attnsession");
    QString error;
    QVERIFY2(saveSession(m_path, m_session, &error), qPrintable(error));
}

void TestSessionFile::historyRoundTripsExactly()
{
    const QJsonObject raw = readJson(m_path);
    QCOMPARE(raw["format"].toString(), QStringLiteral("attention-studio-session"));
    QCOMPARE(raw["version"].toInt(), 1);
    QCOMPARE(raw["model"].toString(), QStringLiteral("models/sentiment"));
    QCOMPARE(raw["settings"].toObject()["seed"].toString(), QStringLiteral("18446744073709551557"));
    // Floats are written in their short form, not as 17-digit doubles.
    QFile file(m_path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(file.readAll().contains("[0.9,0.1,"));

    QString error;
    const std::optional<Session> loaded = loadSession(m_path, &error);
    QVERIFY2(loaded, qPrintable(error));
    QCOMPARE(loaded->model, m_dir.filePath("models/sentiment"));
    QCOMPARE(runSettingsToMap(loaded->settings), runSettingsToMap(m_session.settings));
    QCOMPARE(loaded->settings.train.seed, m_session.settings.train.seed);
    QCOMPARE(loaded->history.size(), m_session.history.size());
    for (std::size_t i = 0; i < m_session.history.size(); ++i) {
        const attn::EpochSnapshot &a = m_session.history[i];
        const attn::EpochSnapshot &b = loaded->history[i];
        QCOMPARE(b.epoch, a.epoch);
        QCOMPARE(b.totalEpochs, a.totalEpochs);
        QVERIFY(sameBits(b.seconds, a.seconds));
        QVERIFY(sameBits(b.trainLoss, a.trainLoss));
        QVERIFY(sameBits(b.valLoss, a.valLoss));
        QVERIFY(sameBits(b.metric, a.metric));
        QCOMPARE(b.metricName, a.metricName);
        QVERIFY(sameOptional(b.alignment, a.alignment));
        QVERIFY(sameOptional(b.testLoss, a.testLoss));
        QVERIFY(sameOptional(b.testMetric, a.testMetric));
        QVERIFY(sameOptional(b.mase, a.mase));
        QVERIFY(sameOptional(b.testMase, a.testMase));
        QCOMPARE(b.bestEpoch, a.bestEpoch);
        QCOMPARE(b.season, a.season);
        QVERIFY(sameBits(b.samplesPerSecond, a.samplesPerSecond));
        QVERIFY(sameGrid(b.attention, a.attention));
        QVERIFY(sameGrid(b.groundTruth, a.groundTruth));
        QVERIFY(sameGrid(b.argmaxAttention, a.argmaxAttention));
        QVERIFY(sameGrid(b.probeInputs, a.probeInputs));
        QVERIFY(sameOptional(b.groundTruthMass, a.groundTruthMass));
        QCOMPARE(b.probeTokens, a.probeTokens);
        QVERIFY(sameFloats(b.probePredictions, a.probePredictions));
        QVERIFY(sameFloats(b.probeTargets, a.probeTargets));
        QVERIFY(sameFloats(b.probePaddingMass, a.probePaddingMass));
        QVERIFY(sameFloats(b.hiddenAttention, a.hiddenAttention));
        QCOMPARE(b.baselines.size(), a.baselines.size());
        for (std::size_t k = 0; k < a.baselines.size(); ++k) {
            QCOMPARE(b.baselines[k].key, a.baselines[k].key);
            QCOMPARE(b.baselines[k].label, a.baselines[k].label);
            QVERIFY(sameBits(b.baselines[k].value, a.baselines[k].value));
        }
        QCOMPARE(b.faithfulness.has_value(), a.faithfulness.has_value());
        if (a.faithfulness) {
            const attn::FaithfulnessSummary &fa = *a.faithfulness, &fb = *b.faithfulness;
            QCOMPARE(fb.rows, fa.rows);
            for (auto field : {&attn::FaithfulnessSummary::tauGradient,
                               &attn::FaithfulnessSummary::tauInputXGradient,
                               &attn::FaithfulnessSummary::tauLeaveOneOut,
                               &attn::FaithfulnessSummary::tauIntegratedGradients,
                               &attn::FaithfulnessSummary::alignmentAttention,
                               &attn::FaithfulnessSummary::alignmentGradient,
                               &attn::FaithfulnessSummary::alignmentInputXGradient,
                               &attn::FaithfulnessSummary::alignmentLeaveOneOut,
                               &attn::FaithfulnessSummary::alignmentIntegratedGradients,
                               &attn::FaithfulnessSummary::permutationMedianAbsChange,
                               &attn::FaithfulnessSummary::uniformAbsChange,
                               &attn::FaithfulnessSummary::decisionFlipShare})
                QVERIFY(sameOptional(fb.*field, fa.*field));
            QVERIFY(sameBits(fb.completenessGap, fa.completenessGap));
            QVERIFY(sameBits(fb.seconds, fa.seconds));
            for (auto grid : {&attn::FaithfulnessSummary::probeGradient,
                              &attn::FaithfulnessSummary::probeInputXGradient,
                              &attn::FaithfulnessSummary::probeLeaveOneOut,
                              &attn::FaithfulnessSummary::probeIntegratedGradients})
                QVERIFY(sameGrid(fb.*grid, fa.*grid));
        }
        QCOMPARE(b.headMaps.size(), a.headMaps.size());
        for (std::size_t r = 0; r < a.headMaps.size(); ++r) {
            QCOMPARE(b.headMaps[r].size(), a.headMaps[r].size());
            for (std::size_t k = 0; k < a.headMaps[r].size(); ++k)
                QVERIFY(sameGrid(b.headMaps[r][k], a.headMaps[r][k]));
        }
    }
    QVERIFY(!loaded->history[0].alignment);
    QVERIFY(!loaded->history[0].faithfulness);
    QVERIFY(loaded->history[1].faithfulness && std::isnan(*loaded->history[1].faithfulness->tauLeaveOneOut));
    QCOMPARE(loaded->history[0].probeTokens[0][1], std::string("food, ok"));
    QCOMPARE(loaded->history[0].probeTokens[0][3], std::string("\"great\""));

    // Many random floats of every magnitude, through the file and back.
    std::mt19937 rng(7);
    std::uniform_int_distribution<quint32> bits(0, 0x7f7fffffu); // every finite positive float
    Session many;
    many.settings = RunSettings::defaults(attn::TaskKind::Add);
    attn::EpochSnapshot s;
    s.attention = attn::Grid{100, 100, {}};
    for (int i = 0; i < 10000; ++i)
        s.attention.values.push_back((i % 2 ? -1.0f : 1.0f) * std::bit_cast<float>(bits(rng)));
    many.history.push_back(s);
    const QString path = m_dir.filePath("many.attnsession");
    QVERIFY2(saveSession(path, many, &error), qPrintable(error));
    const std::optional<Session> back = loadSession(path, &error);
    QVERIFY2(back, qPrintable(error));
    QVERIFY(sameFloats(back->history[0].attention.values, s.attention.values));
}

void TestSessionFile::nonFiniteNumbersRoundTrip()
{
    Session session;
    session.settings = RunSettings::defaults(attn::TaskKind::Max);
    attn::EpochSnapshot s;
    s.epoch = 4;
    s.trainLoss = std::numeric_limits<double>::infinity();
    s.valLoss = std::numeric_limits<double>::quiet_NaN();
    s.metric = -std::numeric_limits<double>::infinity();
    s.alignment = std::numeric_limits<double>::quiet_NaN(); // NaN, not "no alignment"
    s.attention = attn::Grid{1, 3, {std::numeric_limits<float>::quiet_NaN(),
                                    std::numeric_limits<float>::infinity(), 0.5f}};
    session.history.push_back(s);
    const QString path = m_dir.filePath("diverged.attnsession");
    QString error;
    QVERIFY2(saveSession(path, session, &error), qPrintable(error));
    QCOMPARE(readJson(path)["history"].toArray()[0].toObject()["val_loss"].toString(),
             QStringLiteral("NaN"));
    const std::optional<Session> loaded = loadSession(path, &error);
    QVERIFY2(loaded, qPrintable(error));
    const attn::EpochSnapshot &b = loaded->history[0];
    QCOMPARE(b.trainLoss, std::numeric_limits<double>::infinity());
    QVERIFY(std::isnan(b.valLoss));
    QCOMPARE(b.metric, -std::numeric_limits<double>::infinity());
    QVERIFY(b.alignment && std::isnan(*b.alignment));
    QVERIFY(std::isnan(b.attention.values[0]));
    QVERIFY(sameFloats({b.attention.values[1], b.attention.values[2]},
                       {std::numeric_limits<float>::infinity(), 0.5f}));
    QVERIFY(!b.groundTruthMass);
}

void TestSessionFile::settingsPathsAreRelativeInsideTheFolder()
{
    QTemporaryDir elsewhere;
    QVERIFY(elsewhere.isValid());
    Session session;
    session.settings = RunSettings::defaults(attn::TaskKind::Csv);
    session.settings.dataFile = m_dir.filePath("data/series.csv");
    session.settings.testDataFile = elsewhere.filePath("test.csv"); // outside: stays absolute
    session.settings.sentenceFiles = {m_dir.filePath("sub/../words.txt"), elsewhere.filePath("w.txt")};
    session.settings.target = "y";
    session.settings.layout = "long";
    session.settings.sequenceId = "id";
    session.settings.taskType = "binary";
    session.settings.standardize = false;
    session.settings.window = 12;
    session.model = elsewhere.filePath("model"); // the model path is always relative
    const QString path = m_dir.filePath("csv.attnsession");
    QString error;
    QVERIFY2(saveSession(path, session, &error), qPrintable(error));

    const QJsonObject raw = readJson(path);
    const QJsonObject settings = raw["settings"].toObject();
    QCOMPARE(settings["task"].toString(), QStringLiteral("csv"));
    QCOMPARE(settings["dataFile"].toString(), QStringLiteral("data/series.csv"));
    QCOMPARE(settings["testDataFile"].toString(), elsewhere.filePath("test.csv"));
    QCOMPARE(settings["sentenceFiles"].toArray(),
             QJsonArray({QStringLiteral("words.txt"), elsewhere.filePath("w.txt")}));
    QCOMPARE(raw["model"].toString(), QDir(m_dir.path()).relativeFilePath(elsewhere.filePath("model")));
    QVERIFY(raw["model"].toString().startsWith("../"));
    QCOMPARE(raw["history"].toArray().size(), 0);

    const std::optional<Session> loaded = loadSession(path, &error);
    QVERIFY2(loaded, qPrintable(error));
    QCOMPARE(loaded->settings.dataFile, m_dir.filePath("data/series.csv"));
    QCOMPARE(loaded->settings.testDataFile, elsewhere.filePath("test.csv"));
    QCOMPARE(loaded->settings.sentenceFiles,
             QStringList({m_dir.filePath("words.txt"), elsewhere.filePath("w.txt")}));
    QCOMPARE(loaded->model, elsewhere.filePath("model"));
    QVERIFY(loaded->settings.task == attn::TaskKind::Csv);
    QCOMPARE(loaded->settings.target, QStringLiteral("y"));
    QCOMPARE(loaded->settings.layout, QStringLiteral("long"));
    QCOMPARE(loaded->settings.sequenceId, QStringLiteral("id"));
    QCOMPARE(loaded->settings.taskType, QStringLiteral("binary"));
    QCOMPARE(loaded->settings.standardize, false);
    QCOMPARE(loaded->settings.window, 12);
    QVERIFY(loaded->history.empty());

    // The whole session folder moved: the files inside move with it.
    QTemporaryDir moved;
    QVERIFY(QFile::copy(path, moved.filePath("csv.attnsession")));
    const std::optional<Session> fromMoved = loadSession(moved.filePath("csv.attnsession"), &error);
    QVERIFY2(fromMoved, qPrintable(error));
    QCOMPARE(fromMoved->settings.dataFile, moved.filePath("data/series.csv"));
    QCOMPARE(fromMoved->settings.testDataFile, elsewhere.filePath("test.csv"));
}

QString TestSessionFile::editedCopy(const QString &name, const std::function<void(QJsonObject &)> &edit)
{
    QJsonObject root = readJson(m_path);
    edit(root);
    const QString path = m_dir.filePath(name);
    QFile file(path);
    if (file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        file.write(QJsonDocument(root).toJson());
    return path;
}

namespace {

/// root["history"][i][key] = value
void setInEntry(QJsonObject &root, int i, const QString &key, const QJsonValue &value)
{
    QJsonArray history = root["history"].toArray();
    QJsonObject entry = history[i].toObject();
    entry[key] = value;
    history[i] = entry;
    root["history"] = history;
}

} // namespace

void TestSessionFile::badFilesGiveTheirMessage_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("message");

    QString p = editedCopy("format.attnsession", [](QJsonObject &root) { root["format"] = "keras-model"; });
    QTest::newRow("format") << p << p + ": not an Attention Studio session (format \"keras-model\")";
    p = editedCopy("noformat.attnsession", [](QJsonObject &root) { root.remove("format"); });
    QTest::newRow("no format") << p << p + ": not an Attention Studio session (no \"format\")";
    p = editedCopy("version.attnsession", [](QJsonObject &root) { root["version"] = 2; });
    QTest::newRow("newer version") << p << p + ": written by a newer version (2); this one reads version 1";
    p = editedCopy("version0.attnsession", [](QJsonObject &root) { root["version"] = "1"; });
    QTest::newRow("version text") << p << p + ": version: expected a whole number from 1, got a string";
    p = editedCopy("hidden.attnsession", [](QJsonObject &root) {
        QJsonObject s = root["settings"].toObject();
        s["hidden"] = 0;
        root["settings"] = s;
    });
    QTest::newRow("settings") << p << p + ": settings.hidden: expected a whole number from 1 to 1024, got '0'";
    p = editedCopy("two.attnsession", [](QJsonObject &root) {
        QJsonObject s = root["settings"].toObject();
        s["units"] = 5000;
        s["padding"] = "middle";
        root["settings"] = s;
    });
    QTest::newRow("two settings") << p << p + ": settings.units: expected a whole number from 1 to 1024, "
                                              "got '5000'; settings.padding: expected pre or post, got 'middle'";
    p = editedCopy("notask.attnsession", [](QJsonObject &root) {
        QJsonObject s = root["settings"].toObject();
        s.remove("task");
        root["settings"] = s;
    });
    QTest::newRow("no task") << p << p + ": settings.task: missing";
    p = editedCopy("entry.attnsession", [](QJsonObject &root) {
        QJsonArray history = root["history"].toArray();
        history[1] = 5;
        root["history"] = history;
    });
    QTest::newRow("entry not an object") << p << p + ": history[1]: expected an object, got 5";
    p = editedCopy("grid.attnsession", [](QJsonObject &root) {
        QJsonArray values;
        for (int i = 0; i < 12; ++i)
            values.append(0.5);
        setInEntry(root, 2, "attention", QJsonObject{{"rows", 2}, {"cols", 5}, {"values", values}});
    });
    QTest::newRow("grid size") << p << p + ": history[2].attention: 12 values for 2 x 5";
    p = editedCopy("epoch.attnsession", [](QJsonObject &root) { setInEntry(root, 2, "epoch", 2); });
    QTest::newRow("epoch repeated") << p << p + ": history[2].epoch: 2 after 2 (epochs must increase)";
    p = editedCopy("target.attnsession",
                   [](QJsonObject &root) { setInEntry(root, 0, "probe_targets", QJsonArray{1, "x", 0}); });
    QTest::newRow("not a number") << p << p + ": history[0].probe_targets[1]: expected a number, got a string";
    p = editedCopy("loss.attnsession", [](QJsonObject &root) { setInEntry(root, 1, "train_loss", true); });
    QTest::newRow("boolean loss") << p << p + ": history[1].train_loss: expected a number, got true";
    p = editedCopy("heads.attnsession", [](QJsonObject &root) {
        QJsonArray maps = root["history"].toArray()[0].toObject()["head_maps"].toArray();
        QJsonArray heads = maps[2].toArray();
        QJsonObject grid = heads[1].toObject();
        grid["cols"] = -1;
        heads[1] = grid;
        maps[2] = heads;
        setInEntry(root, 0, "head_maps", maps);
    });
    QTest::newRow("head map") << p << p + ": history[0].head_maps[2][1].cols: expected a whole number from 0, got -1";
    p = editedCopy("missing.attnsession", [](QJsonObject &root) {
        QJsonArray history = root["history"].toArray();
        QJsonObject entry = history[1].toObject();
        entry.remove("probe_inputs");
        history[1] = entry;
        root["history"] = history;
    });
    QTest::newRow("missing grid") << p << p + ": history[1].probe_inputs: missing";
    // --explain's part: a damaged attribution grid and a missing measure are named.
    const auto editFaithfulness = [](const std::function<void(QJsonObject &)> &edit) {
        return [edit](QJsonObject &root) {
            QJsonArray history = root["history"].toArray();
            QJsonObject entry = history[2].toObject();
            QJsonObject f = entry["faithfulness"].toObject();
            edit(f);
            entry["faithfulness"] = f;
            history[2] = entry;
            root["history"] = history;
        };
    };
    p = editedCopy("attribution.attnsession", editFaithfulness([](QJsonObject &f) {
        QJsonObject g = f["probe_leave_one_out"].toObject();
        g["values"] = QJsonArray{0.5, 0.25};
        f["probe_leave_one_out"] = g;
    }));
    QTest::newRow("attribution grid")
        << p << p + ": history[2].faithfulness.probe_leave_one_out: 2 values for 3 x 5";
    p = editedCopy("tau.attnsession", editFaithfulness([](QJsonObject &f) {
        QJsonObject tau = f["kendall_tau"].toObject();
        tau.remove("gradient");
        f["kendall_tau"] = tau;
    }));
    QTest::newRow("missing tau") << p << p + ": history[2].faithfulness.kendall_tau.gradient: missing";
    p = editedCopy("nohistory.attnsession", [](QJsonObject &root) { root.remove("history"); });
    QTest::newRow("no history") << p << p + ": history: missing";
    p = editedCopy("model.attnsession", [](QJsonObject &root) { root["model"] = 3; });
    QTest::newRow("model") << p << p + ": model: expected a string, got 3";
}

void TestSessionFile::badFilesGiveTheirMessage()
{
    QFETCH(QString, path);
    QFETCH(QString, message);
    QString error;
    const std::optional<Session> loaded = loadSession(path, &error);
    QVERIFY(!loaded);
    QCOMPARE(error, message);
}

void TestSessionFile::unreadableAndNonJsonFiles()
{
    QString error;
    const QString absent = m_dir.filePath("absent.attnsession");
    QVERIFY(!loadSession(absent, &error));
    QCOMPARE(error, absent + ": cannot open the file: No such file or directory");

    // A missing comma at the end of line 3: Qt's offset is just past the character it could not
    // take, the opening quote of "model" in column 3 of line 4.
    const QString broken = m_dir.filePath("broken.attnsession");
    writeText(broken, "{\n  \"format\": \"attention-studio-session\",\n  \"version\": 1\n"
                      "  \"model\": \"x\"\n}\n");
    QVERIFY(!loadSession(broken, &error));
    QCOMPARE(error, broken + ": the file is damaged at line 4, column 4: unterminated object");

    // Columns count characters, not UTF-8 bytes.
    writeText(broken, "{\"format\": \"é\" x}");
    QVERIFY(!loadSession(broken, &error));
    QCOMPARE(error, broken + ": the file is damaged at line 1, column 17: unterminated object"); // x is column 16; 18 in bytes

    writeText(broken, "");
    QVERIFY(!loadSession(broken, &error));
    QCOMPARE(error, broken + ": the file is empty");

    writeText(broken, "[1, 2]");
    QVERIFY(!loadSession(broken, &error));
    QCOMPARE(error, broken + ": not an Attention Studio session (not a JSON object)");
}

void TestSessionFile::failedSaveLeavesNoFile()
{
    const QString path = m_dir.filePath("no/such/dir/run.attnsession");
    QString error;
    QVERIFY(!saveSession(path, m_session, &error));
    QVERIFY2(error.startsWith(path + ": "), qPrintable(error));
    QVERIFY(!QFile::exists(path));
    QVERIFY(!QDir(m_dir.filePath("no")).exists());

    // A path that is a directory cannot be replaced: the error names it, the directory stays.
    QVERIFY(QDir(m_dir.path()).mkpath("adir.attnsession"));
    QVERIFY(!saveSession(m_dir.filePath("adir.attnsession"), m_session, &error));
    QVERIFY2(error.startsWith(m_dir.filePath("adir.attnsession") + ": "), qPrintable(error));
    QVERIFY(QFileInfo(m_dir.filePath("adir.attnsession")).isDir());
}

void TestSessionFile::fullDiskKeepsTheOldSession()
{
    QTemporaryDir dir;
    const QString path = dir.filePath("run.attnsession");
    QString error;
    QVERIFY2(saveSession(path, m_session, &error), qPrintable(error));
    const QByteArray old = attn::test::fileBytes(path);
    Session grown = m_session;
    grown.history.push_back(grown.history.back());
    grown.history.back().epoch += 1; // epochs must increase, or saveSession refuses
    { // room for half the file: a real write failure (EFBIG), as on a nearly full disk
        attn::test::FileSizeLimit limit(std::size_t(old.size()) / 2);
        QVERIFY(limit.active() && !saveSession(path, grown, &error));
    }
    QCOMPARE(error, path + ": cannot write the file: " + QString::fromUtf8(std::strerror(EFBIG)));
    QCOMPARE(attn::test::fileBytes(path), old); // byte for byte, and it still opens:
    QVERIFY(loadSession(path, &error) && attn::test::entriesOf(dir.path()) == QStringList{"run.attnsession"});
}

QTEST_MAIN(TestSessionFile)
#include "tst_sessionfile.moc"
