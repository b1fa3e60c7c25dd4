// SPDX-License-Identifier: GPL-3.0-or-later
// writeFileAtomically / writeFilesAtomically against real write failures (RLIMIT_FSIZE: the
// write fails with EFBIG part-way, as on a nearly full disk) and injected ones (ENOSPC): the old
// file stays byte for byte, no temporary file is left, and the error names the file and reason.
#include "core/fileio/atomicfile.h"
#include "tests/fullfilesystem.h"

#include <QTemporaryDir>
#include <QTest>

#include <cerrno>
#include <cstring>
#include <string>

#include <sys/stat.h>

using namespace attn;
using attn::test::entriesOf;
using attn::test::fileBytes;

class TestAtomicFile : public QObject {
    Q_OBJECT
private slots:
    void writesAndReplaces();
    void keepsTheOldFileWhenTheDiskFills();
    void keepsTheOldFileOnInjectedFailure();
    void namesAMissingFolder();
    void keepsTheOldMode();
    void replacesAPairOnlyWhenBothAreWritten();
};

void TestAtomicFile::writesAndReplaces()
{
    QTemporaryDir dir;
    const std::string path = dir.filePath("a.csv").toStdString();
    writeFileAtomically(path, "first\n");
    QCOMPARE(fileBytes(dir.filePath("a.csv")), QByteArray("first\n"));
    const std::string big(300000, 'x');
    writeFileAtomically(path, big);
    QCOMPARE(fileBytes(dir.filePath("a.csv")), QByteArray::fromStdString(big));
    writeFileAtomically(path, "");
    QCOMPARE(fileBytes(dir.filePath("a.csv")), QByteArray(""));
    QCOMPARE(entriesOf(dir.path()), QStringList{"a.csv"});
}

void TestAtomicFile::keepsTheOldFileWhenTheDiskFills()
{
    QTemporaryDir dir;
    const QString path = dir.filePath("session.json");
    const std::string old(20000, 'o'); // larger than the limit: only growth is refused
    writeFileAtomically(path.toStdString(), old);
    try {
        attn::test::FileSizeLimit limit(8192);
        QVERIFY(limit.active());
        writeFileAtomically(path.toStdString(), std::string(100000, 'n'));
        QFAIL("no IoError past the file size limit");
    } catch (const IoError &e) {
        QCOMPARE(QString::fromStdString(e.file), path);
        QCOMPARE(QString::fromStdString(e.reason), QString::fromUtf8(std::strerror(EFBIG)));
        QCOMPARE(QString::fromUtf8(e.what()),
                 path + ": cannot write the file: " + QString::fromUtf8(std::strerror(EFBIG)));
    }
    QCOMPARE(fileBytes(path), QByteArray::fromStdString(old));
    QCOMPARE(entriesOf(dir.path()), QStringList{"session.json"});
}

void TestAtomicFile::keepsTheOldFileOnInjectedFailure()
{
    QTemporaryDir dir;
    const QString path = dir.filePath("metrics.csv");
    writeFileAtomically(path.toStdString(), "epoch,loss\n1,0.5\n");
    failNthFileWriteForTesting(1, ENOSPC);
    QVERIFY_THROWS_EXCEPTION(IoError, writeFileAtomically(path.toStdString(), "epoch\n"));
    QCOMPARE(fileBytes(path), QByteArray("epoch,loss\n1,0.5\n"));
    QCOMPARE(entriesOf(dir.path()), QStringList{"metrics.csv"});
    // The hook fired once: the next write succeeds.
    writeFileAtomically(path.toStdString(), "epoch\n");
    QCOMPARE(fileBytes(path), QByteArray("epoch\n"));
}

void TestAtomicFile::namesAMissingFolder()
{
    QTemporaryDir dir;
    const std::string path = dir.filePath("no/such/dir/x.png").toStdString();
    try {
        writeFileAtomically(path, "x");
        QFAIL("no IoError for a missing folder");
    } catch (const IoError &e) {
        QCOMPARE(e.what(), path + ": cannot write the file: No such file or directory");
    }
}

void TestAtomicFile::keepsTheOldMode()
{
    QTemporaryDir dir;
    const std::string path = dir.filePath("model.json").toStdString();
    writeFileAtomically(path, "{}\n");
    QCOMPARE(::chmod(path.c_str(), 0600), 0);
    writeFileAtomically(path, "{\"a\": 1}\n");
    struct stat st {};
    QCOMPARE(::stat(path.c_str(), &st), 0);
    QCOMPARE(int(st.st_mode & 07777), 0600);
}

void TestAtomicFile::replacesAPairOnlyWhenBothAreWritten()
{
    QTemporaryDir dir;
    const std::string weights = dir.filePath("m.safetensors").toStdString();
    const std::string architecture = dir.filePath("m.json").toStdString();
    writeFilesAtomically({{weights, "old weights"}, {architecture, "old json"}});
    failNthFileWriteForTesting(2, ENOSPC); // the second file of the pair fails
    try {
        writeFilesAtomically({{weights, "new weights"}, {architecture, "new json"}});
        QFAIL("no IoError for the second file");
    } catch (const IoError &e) {
        QCOMPARE(e.file, architecture);
        QCOMPARE(e.reason, std::string(std::strerror(ENOSPC)));
    }
    QCOMPARE(fileBytes(QString::fromStdString(weights)), QByteArray("old weights"));
    QCOMPARE(fileBytes(QString::fromStdString(architecture)), QByteArray("old json"));
    QCOMPARE(entriesOf(dir.path()), (QStringList{"m.json", "m.safetensors"}));
    writeFilesAtomically({{weights, "new weights"}, {architecture, "new json"}});
    QCOMPARE(fileBytes(QString::fromStdString(architecture)), QByteArray("new json"));
}

QTEST_GUILESS_MAIN(TestAtomicFile)
#include "tst_atomicfile.moc"
