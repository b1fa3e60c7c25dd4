// SPDX-License-Identifier: GPL-3.0-or-later
// Tests of the `sentence<TAB>label` reader: the three shipped files read completely (1,000 lines,
// 500 / 500 labels each, no line merged by the imdb file's unbalanced quotes or its U+0085), CRLF
// and BOM handling, every error with its exact "FILE:LINE: message", and the limits
// (kMaxSentenceLineBytes, kMaxSentenceWords, kMaxSentences, kMaxSentenceFileBytes, regular
// files only) just over and at each limit.
#include "core/data/sentencefile.h"

#include <QTemporaryDir>
#include <QTest>

#include <filesystem>
#include <fstream>

#include <sys/stat.h>

using namespace attn;

namespace {
const std::string kData = ATTN_SENTIMENT_DATA; // resources/data/sentiment_labelled_sentences
}

class TestSentenceFile : public QObject {
    Q_OBJECT
private slots:
    void readsTheShippedFiles_data();
    void readsTheShippedFiles();
    void lineEndingsAndBlankLines();
    void errors_data();
    void errors();
    void fileErrors();
    void limits_data();
    void limits();
    void atTheLimits();
    void specialFilesAreRefusedBeforeReading();
};

void TestSentenceFile::readsTheShippedFiles_data()
{
    QTest::addColumn<QString>("file");
    QTest::newRow("amazon") << "amazon_cells_labelled.txt";
    QTest::newRow("yelp") << "yelp_labelled.txt";
    QTest::newRow("imdb") << "imdb_labelled.txt";
}

void TestSentenceFile::readsTheShippedFiles()
{
    QFETCH(QString, file);
    const auto lines = readSentenceFile(kData + "/" + file.toStdString());
    QCOMPARE(lines.size(), std::size_t(1000));
    int positive = 0;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        QCOMPARE(lines[i].line, int(i) + 1);
        positive += lines[i].label;
        QVERIFY(lines[i].text.find('\t') == std::string::npos);
        QVERIFY(lines[i].text.find('\n') == std::string::npos);
    }
    QCOMPARE(positive, 500);
    if (file == "imdb_labelled.txt") {
        // Line 20 starts with the quote that a quote-aware reader would pair with line 19's.
        QCOMPARE(lines[19].text.substr(0, 15), std::string("\" The structure"));
        QCOMPARE(lines[18].label, 1);
        // Line 179 contains U+0085 (NEL) and is still one line; its sentence keeps the two
        // spaces before the TAB.
        QCOMPARE(lines[178].text, std::string("The script is\xC2\x85was there a script?  "));
        QCOMPARE(lines[178].label, 0);
    }
}

void TestSentenceFile::lineEndingsAndBlankLines()
{
    const auto lines =
        parseSentenceFile("\xEF\xBB\xBFGood.\t1\r\n\r\n   \nBad, \"really.\t 0 \nLast\t1", "mem.txt");
    QCOMPARE(lines.size(), std::size_t(3));
    QCOMPARE(lines[0].text, std::string("Good."));
    QCOMPARE(lines[0].label, 1);
    QCOMPARE(lines[1].text, std::string("Bad, \"really."));
    QCOMPARE(lines[1].label, 0);
    QCOMPARE(lines[1].line, 4);
    QCOMPARE(lines[2].text, std::string("Last"));
    QCOMPARE(lines[2].line, 5);
}

void TestSentenceFile::errors_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("message");
    QTest::newRow("no tab") << QByteArray("Fine.\t1\nNo tab here 0\n")
                            << "f.txt:2: no TAB between sentence and label (expected sentence<TAB>label)";
    QTest::newRow("two tabs") << QByteArray("A\tB\t1\n")
                              << "f.txt:1: 2 TABs (expected exactly one, between sentence and label)";
    QTest::newRow("label 2") << QByteArray("Fine.\t1\n\nMeh.\t2\n") << "f.txt:3: label \"2\" is not 0 or 1";
    QTest::newRow("empty label") << QByteArray("Fine.\t\n") << "f.txt:1: label \"\" is not 0 or 1";
    QTest::newRow("word label") << QByteArray("Fine.\tpositive\n")
                                << "f.txt:1: label \"positive\" is not 0 or 1";
    QTest::newRow("empty sentence") << QByteArray("  \t1\n") << "f.txt:1: empty sentence before the TAB";
    QTest::newRow("nul") << QByteArray("Fine.\t1\nA\0B\t0\n", 14) << "f.txt:2: NUL byte: this is not a text file";
    QTest::newRow("latin-1") << QByteArray("Caf\xE9.\t1\n")
                             << "f.txt:1: invalid UTF-8 (the file must be UTF-8 text)";
    QTest::newRow("empty") << QByteArray("") << "f.txt: no labelled sentences (expected lines sentence<TAB>label)";
    QTest::newRow("blank") << QByteArray("\n  \n")
                           << "f.txt: no labelled sentences (expected lines sentence<TAB>label)";
}

void TestSentenceFile::errors()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, message);
    try {
        parseSentenceFile(std::string_view(text.constData(), std::size_t(text.size())), "f.txt");
        QFAIL("expected a SentenceFileError");
    } catch (const SentenceFileError &e) {
        QCOMPARE(QString::fromStdString(e.what()), message);
        QCOMPARE(e.file, std::string("f.txt"));
    }
}

void TestSentenceFile::fileErrors()
{
    const std::string missing = kData + "/no_such_file.txt";
    try {
        readSentenceFile(missing);
        QFAIL("expected a SentenceFileError");
    } catch (const SentenceFileError &e) {
        QCOMPARE(std::string(e.what()), missing + ": cannot open the file: No such file or directory");
        QCOMPARE(e.line, 0);
        QCOMPARE(e.message, std::string("cannot open the file: No such file or directory"));
    }
    try {
        readSentenceFile(kData);
        QFAIL("expected a SentenceFileError");
    } catch (const SentenceFileError &e) {
        QCOMPARE(std::string(e.what()), kData + ": is a directory");
    }
    // It is a std::runtime_error, so callers that know nothing of it still get the message.
    try {
        readSentenceFile(kData + "/README.md");
        QFAIL("the README is not a sentence file");
    } catch (const std::runtime_error &e) {
        QVERIFY(std::string(e.what()).rfind(kData + "/README.md:1: no TAB", 0) == 0);
    }
}

void TestSentenceFile::limits_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("message");
    const QByteArray longLine = "Fine.\t1\n" + QByteArray(int(kMaxSentenceLineBytes) - 1, 'x') + "\t1\n";
    QTest::newRow("line over the limit")
        << longLine << "f.txt:2: line longer than 100000 bytes (a line may have at most 100000)";
    QByteArray words;
    for (int i = 0; i <= kMaxSentenceWords; ++i)
        words += "w ";
    QTest::newRow("too many words") << "Fine.\t1\n\n" + words + "\t0\n"
                                    << "f.txt:3: more than 10000 words in the sentence (a sentence "
                                       "may have at most 10000)";
    QByteArray many;
    many.reserve(4 * (kMaxSentences + 1));
    for (int i = 0; i <= kMaxSentences; ++i)
        many += "a\t1\n";
    QTest::newRow("too many sentences") << many << "f.txt:1000001: more than 1000000 sentences (a "
                                                   "file may hold at most 1000000)";
}

void TestSentenceFile::limits()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, message);
    try {
        parseSentenceFile(std::string_view(text.constData(), std::size_t(text.size())), "f.txt");
        QFAIL("expected a SentenceFileError");
    } catch (const SentenceFileError &e) {
        QCOMPARE(QString::fromStdString(e.what()), message);
    }
}

void TestSentenceFile::atTheLimits()
{
    // A line of exactly kMaxSentenceLineBytes bytes (CRLF not counted), a sentence of exactly
    // kMaxSentenceWords words, and as many sentences as a file may hold are read.
    std::string text = std::string(kMaxSentenceLineBytes - 2, 'y') + "\t1\r\n";
    std::string words;
    for (int i = 0; i < kMaxSentenceWords; ++i)
        words += "w,";
    text += words + "\t0\n";
    for (int i = 2; i < kMaxSentences; ++i)
        text += "b\t1\n";
    const auto lines = parseSentenceFile(text, "f.txt");
    QCOMPARE(lines.size(), std::size_t(kMaxSentences));
    QCOMPARE(lines[0].text.size(), kMaxSentenceLineBytes - 2);
    QCOMPARE(lines[1].text, words);
}

void TestSentenceFile::specialFilesAreRefusedBeforeReading()
{
    // A device that never ends, a FIFO that no one writes to (opening it would wait forever).
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string fifo = dir.filePath("pipe.txt").toStdString();
    QCOMPARE(mkfifo(fifo.c_str(), 0600), 0);
    for (const std::string &path : {std::string("/dev/zero"), fifo}) {
        try {
            readSentenceFile(path);
            QFAIL("expected a SentenceFileError");
        } catch (const SentenceFileError &e) {
            QCOMPARE(std::string(e.what()), path + ": is not a regular file (a device, a pipe or a socket)");
        }
    }
    // A file over the limit is refused from its size, before a byte is read (a sparse file: no
    // disk space used).
    const std::string big = dir.filePath("big.txt").toStdString();
    std::ofstream(big) << "Fine.\t1\n";
    std::filesystem::resize_file(big, kMaxSentenceFileBytes + 1);
    try {
        readSentenceFile(big);
        QFAIL("expected a SentenceFileError");
    } catch (const SentenceFileError &e) {
        QCOMPARE(std::string(e.what()), big + ": file too large: 268435457 bytes, more than 268435456");
    }
}

QTEST_APPLESS_MAIN(TestSentenceFile)
#include "tst_sentencefile.moc"
