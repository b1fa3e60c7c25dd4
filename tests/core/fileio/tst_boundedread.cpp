// SPDX-License-Identifier: GPL-3.0-or-later
// readRegularFile / regularFileSize (core/fileio/boundedread.h): a regular file is read whole up
// to the limit; a directory, a device, a FIFO without a writer and a file over the limit are
// refused with their reason, without blocking and without reading them.
#include "core/fileio/boundedread.h"

#include <QTemporaryDir>
#include <QTest>

#include <fstream>
#include <sys/stat.h>

using namespace attn;

namespace {

void writeBytes(const std::string &path, const std::string &bytes)
{
    std::ofstream(path, std::ios::binary) << bytes;
}

template <typename Call> void expectRefused(Call call, const std::string &file, const std::string &message)
{
    try {
        call();
        QFAIL("no error");
    } catch (const FileReadError &e) {
        QCOMPARE(QString::fromStdString(e.file), QString::fromStdString(file));
        QCOMPARE(QString::fromStdString(e.message), QString::fromStdString(message));
        QCOMPARE(QString::fromStdString(e.what()), QString::fromStdString(file + ": " + message));
    }
}

} // namespace

class TestBoundedRead : public QObject {
    Q_OBJECT
private slots:
    void readsRegularFilesUpToTheLimit();
    void refusesWhatIsNotARegularFile();
};

void TestBoundedRead::readsRegularFilesUpToTheLimit()
{
    QTemporaryDir dir;
    const std::string path = dir.filePath("f.bin").toStdString();
    std::string bytes(200'000, '\0'); // more than one read() chunk, with NUL bytes
    for (std::size_t i = 0; i < bytes.size(); ++i)
        bytes[i] = char(i * 7);
    writeBytes(path, bytes);
    QVERIFY(readRegularFile(path, bytes.size()) == bytes); // exactly at the limit
    QCOMPARE(regularFileSize(path, bytes.size()), std::uint64_t(bytes.size()));
    expectRefused([&] { readRegularFile(path, bytes.size() - 1); }, path,
                  "file too large: 200000 bytes, more than 199999");
    expectRefused([&] { regularFileSize(path, 10); }, path, "file too large: 200000 bytes, more than 10");
    const std::string empty = dir.filePath("empty").toStdString();
    writeBytes(empty, "");
    QVERIFY(readRegularFile(empty, 0).empty());
}

void TestBoundedRead::refusesWhatIsNotARegularFile()
{
    QTemporaryDir dir;
    const std::string missing = dir.filePath("none").toStdString();
    expectRefused([&] { readRegularFile(missing, 100); }, missing,
                  "cannot open the file: No such file or directory");
    expectRefused([&] { regularFileSize(missing, 100); }, missing,
                  "cannot open the file: No such file or directory");
    const std::string folder = dir.path().toStdString();
    expectRefused([&] { readRegularFile(folder, 100); }, folder, "is a directory");
    const std::string device = "/dev/zero"; // endless: reading it would exhaust memory
    expectRefused([&] { readRegularFile(device, std::uint64_t(1) << 40); }, device,
                  "is not a regular file (a device, a pipe or a socket)");
    expectRefused([&] { regularFileSize(device, 100); }, device,
                  "is not a regular file (a device, a pipe or a socket)");
    // A FIFO with no writer: a blocking open would wait forever; this returns at once.
    const std::string fifo = dir.filePath("fifo").toStdString();
    QCOMPARE(::mkfifo(fifo.c_str(), 0600), 0);
    expectRefused([&] { readRegularFile(fifo, 100); }, fifo,
                  "is not a regular file (a device, a pipe or a socket)");
}

QTEST_APPLESS_MAIN(TestBoundedRead)
#include "tst_boundedread.moc"
