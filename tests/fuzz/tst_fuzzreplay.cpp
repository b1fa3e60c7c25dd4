// SPDX-License-Identifier: GPL-3.0-or-later
// Replays every seed (fuzz/corpus/<target>/) and every kept crash input (fuzz/regressions/
// <target>/) through the fuzz targets' own entry points in the normal g++ build, so a
// regression shows up in CI without clang or libFuzzer. fuzz/fuzz_<target>.cpp are compiled here
// with LLVMFuzzerTestOneInput renamed per target. Built twice (tests/CMakeLists.txt):
// tst_fuzzreplay for the core targets (also in the core-only build) and, with
// ATTN_FUZZ_REPLAY_SESSION, tst_fuzzreplay_session for fuzz_session (app/session on Qt Core).
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTest>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <iterator>
#include <memory>

// The entry points, renamed by tests/CMakeLists.txt (-DLLVMFuzzerTestOneInput=...).
#ifdef ATTN_FUZZ_REPLAY_SESSION
extern "C" int attnFuzzSessionTestOneInput(const std::uint8_t *data, std::size_t size);
#else
extern "C" int attnFuzzCsvTestOneInput(const std::uint8_t *data, std::size_t size);
extern "C" int attnFuzzModelfileTestOneInput(const std::uint8_t *data, std::size_t size);
extern "C" int attnFuzzSentencesTestOneInput(const std::uint8_t *data, std::size_t size);
extern "C" int attnFuzzModelspecTestOneInput(const std::uint8_t *data, std::size_t size);
#endif

namespace {

using EntryPoint = int (*)(const std::uint8_t *, std::size_t);

struct Target {
    const char *name;
    EntryPoint entry;
    int minimumSeeds; // the seeds in fuzz/corpus/<name>/ today: fewer means some went missing
};

const Target kTargets[] = {
#ifdef ATTN_FUZZ_REPLAY_SESSION
    {"fuzz_session", &attnFuzzSessionTestOneInput, 4},
#else
    {"fuzz_csv", &attnFuzzCsvTestOneInput, 11},
    {"fuzz_modelfile", &attnFuzzModelfileTestOneInput, 6},
    {"fuzz_sentences", &attnFuzzSentencesTestOneInput, 7},
    {"fuzz_modelspec", &attnFuzzModelspecTestOneInput, 7},
#endif
};

/// The input files of one folder (README.md is documentation, not an input), sorted.
QStringList inputs(const QString &dir)
{
    QStringList files;
    const QFileInfoList entries =
        QDir(dir).entryInfoList(QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot, QDir::Name);
    for (const QFileInfo &e : entries)
        if (e.fileName() != QLatin1String("README.md"))
            files << e.absoluteFilePath();
    return files;
}

QString folder(const char *kind, const char *target)
{
    return QStringLiteral(ATTN_FUZZ_DIR "/%1/%2").arg(QLatin1String(kind), QLatin1String(target));
}

} // namespace

class TestFuzzReplay : public QObject {
    Q_OBJECT
private slots:
    void corpusIsThere();
    void replay_data();
    void replay();
};

void TestFuzzReplay::corpusIsThere()
{
    for (const Target &t : kTargets) {
        const int seeds = int(inputs(folder("corpus", t.name)).size());
        QVERIFY2(seeds >= t.minimumSeeds,
                 qPrintable(QStringLiteral("%1: %2 seeds in %3, expected at least %4")
                                .arg(QLatin1String(t.name))
                                .arg(seeds)
                                .arg(folder("corpus", t.name))
                                .arg(t.minimumSeeds)));
        QVERIFY2(QFileInfo(folder("regressions", t.name)).isDir(),
                 qPrintable(folder("regressions", t.name)));
    }
}

void TestFuzzReplay::replay_data()
{
    QTest::addColumn<int>("target");
    QTest::addColumn<QString>("file");
    for (int i = 0; i < int(std::size(kTargets)); ++i)
        for (const char *kind : {"corpus", "regressions"})
            for (const QString &file : inputs(folder(kind, kTargets[i].name)))
                QTest::newRow(qPrintable(QStringLiteral("%1/%2/%3")
                                             .arg(QLatin1String(kTargets[i].name),
                                                  QLatin1String(kind),
                                                  QFileInfo(file).fileName())))
                    << i << file;
}

void TestFuzzReplay::replay()
{
    QFETCH(int, target);
    QFETCH(QString, file);
    QFile f(file);
    QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(file));
    const QByteArray bytes = f.readAll();
    // A copy in a buffer of exactly its size, as libFuzzer passes it: reading past the end is
    // then a read past the allocation, not into a QByteArray's spare capacity.
    std::unique_ptr<std::uint8_t[]> exact(new std::uint8_t[std::size_t(bytes.size())]);
    std::copy(bytes.begin(), bytes.end(), exact.get());
    int status = -1;
    try {
        status = kTargets[target].entry(exact.get(), std::size_t(bytes.size()));
    } catch (const std::exception &e) {
        QFAIL(qPrintable(QStringLiteral("uncaught exception: %1").arg(QString::fromUtf8(e.what()))));
    } catch (...) {
        QFAIL("uncaught exception of an unknown type");
    }
    QCOMPARE(status, 0);
}

QTEST_GUILESS_MAIN(TestFuzzReplay)
#include "tst_fuzzreplay.moc"
