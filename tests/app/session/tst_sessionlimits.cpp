// SPDX-License-Identifier: GPL-3.0-or-later
// The limits of session files (app/session/sessionlimits.h): loadSession refuses a directory, a
// device, a FIFO and a file over kMaxSessionFileBytes before reading, and each part over its limit
// with a message naming the file and the place; saveSession refuses to write the same parts, and
// a session just at every limit is saved and read back.
#include "app/session/intsetting.h"
#include "app/session/sessionfile.h"
#include "app/session/sessionlimits.h"
#include "tests/sessionsamples.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <functional>
#include <random>

#include <sys/stat.h>

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

void setSetting(QJsonObject &root, const QString &key, const QJsonValue &value)
{
    QJsonObject settings = root["settings"].toObject();
    settings[key] = value;
    root["settings"] = settings;
}

} // namespace

class TestSessionLimits : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void theLongestRunFits();
    void specialFilesAreRefusedBeforeReading();
    void partsOverALimitAreRefused_data();
    void partsOverALimitAreRefused();
    void saveRefusesWhatLoadRefuses_data();
    void saveRefusesWhatLoadRefuses();
    void aSessionAtTheLimitsRoundTrips();

private:
    /// A saved copy of m_session, edited by edit, at a new path.
    QString editedCopy(const QString &name, const std::function<void(QJsonObject &)> &edit);

    QTemporaryDir m_dir;
    Session m_session;
    QString m_path;
};

void TestSessionLimits::initTestCase()
{
    QVERIFY(m_dir.isValid());
    std::mt19937 rng(13);
    m_session.settings = RunSettings::defaults(attn::TaskKind::Sentiment);
    for (int epoch = 1; epoch <= 2; ++epoch)
        m_session.history.push_back(attn::test::makeSnapshot(epoch, rng));
    m_path = m_dir.filePath("run.attnsession");
    QString error;
    QVERIFY2(saveSession(m_path, m_session, &error), qPrintable(error));
}

QString TestSessionLimits::editedCopy(const QString &name, const std::function<void(QJsonObject &)> &edit)
{
    QFile in(m_path);
    if (!in.open(QIODevice::ReadOnly))
        return {};
    QJsonObject root = QJsonDocument::fromJson(in.readAll()).object();
    edit(root);
    const QString path = m_dir.filePath(name);
    QFile out(path);
    if (out.open(QIODevice::WriteOnly | QIODevice::Truncate))
        out.write(QJsonDocument(root).toJson(QJsonDocument::Compact));
    return path;
}

void TestSessionLimits::theLongestRunFits()
{
    // Epoch 0 and every epoch the epochs setting allows: a session of any run can be saved.
    for (const IntSetting &i : kIntSettings)
        if (QLatin1String(i.key) == QLatin1String("epochs"))
            QCOMPARE(kMaxSessionEpochs, i.max + 1);
    // Every token of a sentence file that reads fits a session.
    QVERIFY(qint64(kMaxSessionTokenChars) >= qint64(attn::kMaxSentenceLineBytes));
}

void TestSessionLimits::specialFilesAreRefusedBeforeReading()
{
    QString error;
    QVERIFY(QDir(m_dir.path()).mkpath("folder.attnsession"));
    const QString folder = m_dir.filePath("folder.attnsession");
    QVERIFY(!loadSession(folder, &error));
    QCOMPARE(error, folder + ": is a directory");

    // A device that never ends, a FIFO no one writes to (opening it would wait forever).
    const QString fifo = m_dir.filePath("pipe.attnsession");
    QCOMPARE(mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
    for (const QString &path : {QStringLiteral("/dev/zero"), fifo}) {
        QVERIFY(!loadSession(path, &error));
        QCOMPARE(error, path + ": is not a regular file (a device, a pipe or a socket)");
    }

    // Over the limit: refused from its size (a sparse file, no disk space used).
    const QString big = m_dir.filePath("big.attnsession");
    QVERIFY(QFile::copy(m_path, big));
    QVERIFY(QFile::resize(big, kMaxSessionFileBytes + 1));
    QVERIFY(!loadSession(big, &error));
    QCOMPARE(error, big + ": file too large: 536870913 bytes, more than 536870912");
    // The same limit on bytes already in memory.
    QVERIFY(!parseSession(QByteArray(kMaxSessionFileBytes + 1, ' '), big, &error));
    QCOMPARE(error, big + ": file too large: 536870913 bytes, more than 536870912");
}

void TestSessionLimits::partsOverALimitAreRefused_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("message");

    QString p = editedCopy("name.attnsession", [](QJsonObject &root) {
        setInEntry(root, 1, "metric_name", QString(kMaxSessionNameChars + 1, 'n'));
    });
    QTest::newRow("metric name") << p << p + ": history[1].metric_name: longer than 200 characters";
    p = editedCopy("epochs.attnsession", [](QJsonObject &root) {
        QJsonArray history; // checked before any entry is read
        for (int i = 0; i <= kMaxSessionEpochs; ++i)
            history.append(i);
        root["history"] = history;
    });
    QTest::newRow("epochs") << p << p + ": history: 100002 epochs, more than 100001";
    p = editedCopy("cells.attnsession", [](QJsonObject &root) {
        setInEntry(root, 0, "attention", QJsonObject{{"rows", 10000}, {"cols", 10000}, {"values", QJsonArray()}});
    });
    QTest::newRow("grid cells") << p << p + ": history[0].attention: 10000 x 10000 cells, more than 67108864";
    p = editedCopy("side.attnsession", [](QJsonObject &root) {
        setInEntry(root, 1, "probe_inputs",
                   QJsonObject{{"rows", 0}, {"cols", 100'000'000}, {"values", QJsonArray()}});
    });
    QTest::newRow("grid side") << p << p + ": history[1].probe_inputs: 0 x 100000000 cells, more than 67108864";
    p = editedCopy("head.attnsession", [](QJsonObject &root) {
        const QJsonObject grid{{"rows", 9000}, {"cols", 9000}, {"values", QJsonArray()}};
        setInEntry(root, 0, "head_maps", QJsonArray{QJsonArray{}, QJsonArray{grid}});
    });
    QTest::newRow("head map") << p << p + ": history[0].head_maps[1][0]: 9000 x 9000 cells, more than 67108864";
    p = editedCopy("token.attnsession", [](QJsonObject &root) {
        const QJsonArray row{"a", "b", QString(kMaxSessionTokenChars + 1, 't')};
        setInEntry(root, 0, "probe_tokens", QJsonArray{row, row});
    });
    QTest::newRow("token") << p << p + ": history[0].probe_tokens[0][2]: longer than 100000 characters";
    p = editedCopy("datafile.attnsession", [](QJsonObject &root) {
        setSetting(root, "dataFile", QString(kMaxSessionTextChars + 1, 'd'));
    });
    QTest::newRow("data file") << p << p + ": settings.dataFile: longer than 4096 characters";
    p = editedCopy("task.attnsession", [](QJsonObject &root) {
        setSetting(root, "task", QString(10'000'000, 'x')); // never copied into the message
    });
    QTest::newRow("task") << p << p + ": settings.task: longer than 4096 characters";
    p = editedCopy("files.attnsession", [](QJsonObject &root) {
        QJsonArray files;
        for (int i = 0; i <= kMaxSessionSentenceFiles; ++i)
            files.append(QStringLiteral("f%1.txt").arg(i));
        setSetting(root, "sentenceFiles", files);
    });
    QTest::newRow("sentence files") << p << p + ": settings.sentenceFiles: 1001 files, more than 1000";
    p = editedCopy("file.attnsession", [](QJsonObject &root) {
        setSetting(root, "sentenceFiles", QJsonArray{"a.txt", QString(kMaxSessionTextChars + 1, 's')});
    });
    QTest::newRow("sentence file") << p << p + ": settings.sentenceFiles[1]: longer than 4096 characters";
    p = editedCopy("model.attnsession",
                   [](QJsonObject &root) { root["model"] = QString(kMaxSessionTextChars + 1, 'm'); });
    QTest::newRow("model") << p << p + ": model: longer than 4096 characters";
    p = editedCopy("nul.attnsession", [](QJsonObject &root) {
        setSetting(root, "testDataFile", QStringLiteral("test.csv") + QChar(0) + QStringLiteral("../x"));
    });
    QTest::newRow("NUL in a path") << p << p + ": settings.testDataFile: contains a NUL character";
    p = editedCopy("nulmodel.attnsession",
                   [](QJsonObject &root) { root["model"] = QStringLiteral("m") + QChar(0); });
    QTest::newRow("NUL in the model") << p << p + ": model: contains a NUL character";
    p = editedCopy("format.attnsession",
                   [](QJsonObject &root) { root["format"] = QString(10'000'000, 'f'); });
    QTest::newRow("format") << p << p + ": not an Attention Studio session (format \"" + QString(57, 'f') + "...\")";
}

void TestSessionLimits::partsOverALimitAreRefused()
{
    QFETCH(QString, path);
    QFETCH(QString, message);
    QString error;
    QVERIFY(!loadSession(path, &error));
    QCOMPARE(error, message);
}

void TestSessionLimits::saveRefusesWhatLoadRefuses_data()
{
    QTest::addColumn<Session>("session");
    QTest::addColumn<QString>("reason");

    Session s = m_session;
    s.history[1].metricName = std::string(kMaxSessionNameChars + 1, 'n');
    QTest::newRow("metric name") << s << "history[1].metric_name: longer than 200 characters";
    s = m_session;
    s.history[0].metricName = std::string(kMaxSessionNameChars - 1, 'n') + "\xc3\xa9"; // 201 bytes, 200 characters
    s.history[0].attention = attn::Grid{10000, 10000, {}};
    QTest::newRow("grid cells") << s << "history[0].attention: 10000 x 10000 cells, more than 67108864";
    s = m_session;
    s.history[1].headMaps[2][1].cols = 0; // values left over
    QTest::newRow("grid values") << s << "history[1].head_maps[2][1]: 25 values for 5 x 0";
    s = m_session;
    s.history[0].probeTokens[2][4] = std::string(kMaxSessionTokenChars + 1, 't');
    QTest::newRow("token") << s << "history[0].probe_tokens[2][4]: longer than 100000 characters";
    s = m_session;
    s.settings.target = QString(kMaxSessionTextChars + 1, 'c');
    QTest::newRow("setting") << s << "settings.target: longer than 4096 characters";
    s = m_session;
    for (int i = 0; i <= kMaxSessionSentenceFiles; ++i)
        s.settings.sentenceFiles << QStringLiteral("/data/f%1.txt").arg(i);
    QTest::newRow("sentence files") << s << "settings.sentenceFiles: 1001 files, more than 1000";
    s = m_session;
    s.model = QStringLiteral("/") + QString(kMaxSessionTextChars, 'm'); // stored as ../../m...
    QTest::newRow("model") << s << "model: longer than 4096 characters";
    s = m_session;
    s.settings.sentenceFiles = {QStringLiteral("/a.txt"), QStringLiteral("/b") + QChar(0) + QStringLiteral(".txt")};
    QTest::newRow("NUL") << s << "settings.sentenceFiles[1]: contains a NUL character";
    s = m_session;
    s.history[1].epoch = 1;
    QTest::newRow("epochs") << s << "history[1].epoch: 1 after 1 (epochs must increase)";
    s = Session{};
    s.history.resize(std::size_t(kMaxSessionEpochs) + 1);
    QTest::newRow("too many epochs") << s << "history: 100002 epochs, more than 100001";
}

void TestSessionLimits::saveRefusesWhatLoadRefuses()
{
    QFETCH(Session, session);
    QFETCH(QString, reason);
    const QString path = m_dir.filePath("refused.attnsession");
    QString error;
    QVERIFY(!saveSession(path, session, &error));
    QCOMPARE(error, path + ": cannot be saved: " + reason);
    QVERIFY(!QFile::exists(path)); // nothing written
}

void TestSessionLimits::aSessionAtTheLimitsRoundTrips()
{
    Session s = m_session;
    s.history[0].metricName = std::string(kMaxSessionNameChars - 1, 'n') + "\xc3\xa9"; // 200 characters
    s.history[1].probeTokens[0][0] = std::string(kMaxSessionTokenChars, 't');
    s.history[1].attention = attn::Grid{0, int(kMaxSessionGridCells), {}}; // the longest side
    s.settings.dataFile = QStringLiteral("/") + QString(kMaxSessionTextChars - 1, 'd');
    for (int i = 0; i < kMaxSessionSentenceFiles; ++i)
        s.settings.sentenceFiles << m_dir.filePath(QStringLiteral("f%1.txt").arg(i));
    const QString path = m_dir.filePath("limits.attnsession");
    QString error;
    QVERIFY2(saveSession(path, s, &error), qPrintable(error));
    const std::optional<Session> back = loadSession(path, &error);
    QVERIFY2(back, qPrintable(error));
    QCOMPARE(back->history[0].metricName, s.history[0].metricName);
    QCOMPARE(back->history[1].probeTokens[0][0].size(), std::size_t(kMaxSessionTokenChars));
    QCOMPARE(back->history[1].attention.cols, int(kMaxSessionGridCells));
    QCOMPARE(back->settings.dataFile, s.settings.dataFile);
    QCOMPARE(back->settings.sentenceFiles.size(), qsizetype(kMaxSessionSentenceFiles));
}

QTEST_GUILESS_MAIN(TestSessionLimits)
#include "tst_sessionlimits.moc"
