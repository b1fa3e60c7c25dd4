// SPDX-License-Identifier: GPL-3.0-or-later
// Qt Test of GifWriter: frames written, then decoded back with giflib's own reader (DGifSlurp):
// frame count, screen size, the NETSCAPE2.0 loop extension, per-frame delays and pixel
// colours close to the source images (exact for <= 256 colours, and a viridis ramp stays
// smooth through the median-cut palette); clear errors for a missing directory, a frame of
// the wrong size, closing without frames; no file left behind by an unfinished write.
#include "widgets/gifwriter.h"

#include "widgets/colormap.h"
#include "tests/fullfilesystem.h"

#include <QFile>
#include <QImage>
#include <QTemporaryDir>
#include <QTest>

#include <gif_lib.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <memory>

using attn::GifWriter;

namespace {

struct GifCloser {
    void operator()(GifFileType *gif) const { DGifCloseFile(gif, nullptr); }
};
using GifPtr = std::unique_ptr<GifFileType, GifCloser>;

/// The whole file decoded by giflib, or null (with a test failure message) if it cannot be.
GifPtr slurp(const QString &path)
{
    int error = 0;
    GifPtr gif(DGifOpenFileName(QFile::encodeName(path).constData(), &error));
    if (!gif) {
        qWarning("DGifOpenFileName: %s", GifErrorString(error));
        return nullptr;
    }
    if (DGifSlurp(gif.get()) != GIF_OK) {
        qWarning("DGifSlurp: %s", GifErrorString(gif->Error));
        return nullptr;
    }
    return gif;
}

/// Colour of pixel (x, y) of decoded frame i (its local colour table, else the global one).
QRgb gifPixel(GifFileType *gif, int i, int x, int y)
{
    const SavedImage &image = gif->SavedImages[i];
    const ColorMapObject *map = image.ImageDesc.ColorMap ? image.ImageDesc.ColorMap : gif->SColorMap;
    const int index = image.RasterBits[y * image.ImageDesc.Width + x];
    const GifColorType c = map->Colors[index];
    return qRgb(c.Red, c.Green, c.Blue);
}

/// Largest per-channel difference.
int channelError(QRgb a, QRgb b)
{
    return std::max({std::abs(qRed(a) - qRed(b)), std::abs(qGreen(a) - qGreen(b)),
                     std::abs(qBlue(a) - qBlue(b))});
}

/// A frame with far more than 256 colours: a smooth 2-D colour field that shifts with k.
QImage richFrame(int k, QSize size)
{
    QImage image(size, QImage::Format_RGB32);
    for (int y = 0; y < size.height(); ++y)
        for (int x = 0; x < size.width(); ++x)
            image.setPixel(x, y, qRgb((x * 255) / (size.width() - 1), (y * 255) / (size.height() - 1),
                                      (40 * k + x / 2) % 256));
    return image;
}

/// Top half: the viridis colour bar (256 levels from left to right); bottom half: magma.
/// 512 colours, so the median cut must choose.
QImage rampFrame(QSize size)
{
    QImage image(size, QImage::Format_RGB32);
    QCPColorGradient viridis = attn::colorMapGradient(attn::ColorMapKind::Viridis);
    QCPColorGradient magma = attn::colorMapGradient(attn::ColorMapKind::Magma);
    for (int x = 0; x < size.width(); ++x) {
        const double t = double(x) / double(size.width() - 1);
        const QRgb top = viridis.color(t, QCPRange(0.0, 1.0));
        const QRgb bottom = magma.color(t, QCPRange(0.0, 1.0));
        for (int y = 0; y < size.height(); ++y)
            image.setPixel(x, y, y < size.height() / 2 ? top : bottom);
    }
    return image;
}

} // namespace

class TestGifWriter : public QObject {
    Q_OBJECT

private slots:
    void writesDecodableAnimation();
    void fewColoursAreExact();
    void viridisStaysSmooth();
    void quantizeLimitsThePalette();
    void missingDirectoryFails();
    void wrongFrameSizeFails();
    void closeWithoutFramesFails();
    void unfinishedWriteLeavesNoFile();
    void writeInOneGo();
    void fullDiskKeepsTheOldFile();
};

void TestGifWriter::writesDecodableAnimation()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("anim.gif"));
    const QSize size(160, 90);
    const int n = 6;
    QList<QImage> frames;
    for (int k = 0; k < n; ++k)
        frames.push_back(richFrame(k, size));

    GifWriter writer;
    QVERIFY2(writer.open(path, size), qPrintable(writer.errorString()));
    QVERIFY(writer.isOpen());
    for (int k = 0; k < n; ++k)
        QVERIFY2(writer.addFrame(frames[k], k + 1 == n ? 200 : 15), qPrintable(writer.errorString()));
    QCOMPARE(writer.frameCount(), n);
    QVERIFY2(writer.close(), qPrintable(writer.errorString()));
    QVERIFY(!writer.isOpen());

    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.read(6), QByteArray("GIF89a"));
    file.close();

    GifPtr gif = slurp(path);
    QVERIFY(gif);
    QCOMPARE(gif->ImageCount, n);
    QCOMPARE(gif->SWidth, size.width());
    QCOMPARE(gif->SHeight, size.height());

    // NETSCAPE2.0 loop extension (loop forever) before the first image.
    const SavedImage &first = gif->SavedImages[0];
    bool loopFound = false;
    for (int i = 0; i + 1 < first.ExtensionBlockCount; ++i) {
        const ExtensionBlock &app = first.ExtensionBlocks[i];
        const ExtensionBlock &data = first.ExtensionBlocks[i + 1];
        if (app.Function == APPLICATION_EXT_FUNC_CODE && app.ByteCount == 11 &&
            std::memcmp(app.Bytes, "NETSCAPE2.0", 11) == 0) {
            QCOMPARE(data.Function, CONTINUE_EXT_FUNC_CODE);
            QCOMPARE(data.ByteCount, 3);
            QCOMPARE(int(data.Bytes[0]), 1);
            QCOMPARE(int(data.Bytes[1]) | (int(data.Bytes[2]) << 8), 0);
            loopFound = true;
        }
    }
    QVERIFY(loopFound);

    for (int k = 0; k < n; ++k) {
        const SavedImage &image = gif->SavedImages[k];
        QCOMPARE(image.ImageDesc.Left, 0);
        QCOMPARE(image.ImageDesc.Top, 0);
        QCOMPARE(image.ImageDesc.Width, size.width());
        QCOMPARE(image.ImageDesc.Height, size.height());
        GraphicsControlBlock gcb;
        QCOMPARE(DGifSavedExtensionToGCB(gif.get(), k, &gcb), GIF_OK);
        QCOMPARE(gcb.DelayTime, k + 1 == n ? 200 : 15);
        QCOMPARE(gcb.TransparentColor, NO_TRANSPARENT_COLOR);
    }

    // Pixels of the first and the last frame are close to the source (a 2-D colour field of
    // 14,400 colours through a 256-colour palette), and on average very close.
    for (int k : {0, n - 1}) {
        double total = 0.0;
        int worst = 0;
        for (int y = 0; y < size.height(); ++y)
            for (int x = 0; x < size.width(); ++x) {
                const int e = channelError(gifPixel(gif.get(), k, x, y), frames[k].pixel(x, y));
                worst = std::max(worst, e);
                total += e;
            }
        const double mean = total / double(size.width() * size.height());
        QVERIFY2(worst <= 40 && mean <= 8.0,
                 qPrintable(QStringLiteral("frame %1: worst %2, mean %3").arg(k).arg(worst).arg(mean)));
        QVERIFY(channelError(gifPixel(gif.get(), k, 10, 10), frames[k].pixel(10, 10)) <= 24);
    }
}

void TestGifWriter::fewColoursAreExact()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("blocks.gif"));
    // 200 distinct colours in 10 x 20 blocks, a different arrangement per frame.
    const QSize size(100, 80);
    QList<QImage> frames;
    for (int k = 0; k < 3; ++k) {
        QImage image(size, QImage::Format_ARGB32);
        for (int y = 0; y < size.height(); ++y)
            for (int x = 0; x < size.width(); ++x) {
                const int block = ((x / 10) + 10 * (y / 8) + 37 * k) % 200;
                image.setPixel(x, y, qRgb(block, 255 - block, (block * 7) % 256));
            }
        frames.push_back(image);
    }
    QString error;
    QVERIFY2(GifWriter::write(path, frames, 10, &error, 3), qPrintable(error));
    GifPtr gif = slurp(path);
    QVERIFY(gif);
    QCOMPARE(gif->ImageCount, 3);
    for (int k = 0; k < 3; ++k)
        for (int y = 0; y < size.height(); ++y)
            for (int x = 0; x < size.width(); ++x)
                QCOMPARE(gifPixel(gif.get(), k, x, y), frames[k].pixel(x, y) | 0xff000000u);
    // Loop count 3 is stored.
    const SavedImage &first = gif->SavedImages[0];
    bool found = false;
    for (int i = 0; i + 1 < first.ExtensionBlockCount; ++i)
        if (first.ExtensionBlocks[i].Function == APPLICATION_EXT_FUNC_CODE) {
            QCOMPARE(int(first.ExtensionBlocks[i + 1].Bytes[1]), 3);
            found = true;
        }
    QVERIFY(found);
}

void TestGifWriter::viridisStaysSmooth()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("ramps.gif"));
    const QImage ramp = rampFrame(QSize(512, 40));
    QString error;
    QVERIFY2(GifWriter::write(path, {ramp}, 10, &error), qPrintable(error));
    GifPtr gif = slurp(path);
    QVERIFY(gif);
    // Along the viridis bar: every colour within a few levels of the source, and the decoded
    // ramp never steps by much more than the source does (no visible banding).
    int worst = 0;
    int largestStep = 0;
    for (int x = 0; x < ramp.width(); ++x) {
        const QRgb decoded = gifPixel(gif.get(), 0, x, 10);
        worst = std::max(worst, channelError(decoded, ramp.pixel(x, 10)));
        if (x > 0)
            largestStep = std::max(largestStep, channelError(decoded, gifPixel(gif.get(), 0, x - 1, 10)));
    }
    int sourceStep = 0;
    for (int x = 1; x < ramp.width(); ++x)
        sourceStep = std::max(sourceStep, channelError(ramp.pixel(x, 10), ramp.pixel(x - 1, 10)));
    // 512 source colours share 256 palette entries: no band may span more than three of the
    // source's 256 levels (a fixed 6x6x6 colour cube would step by up to 51).
    QVERIFY2(worst <= 6, qPrintable(QString::number(worst)));
    QVERIFY2(largestStep <= 3 * sourceStep,
             qPrintable(QStringLiteral("%1 vs source %2").arg(largestStep).arg(sourceStep)));
}

void TestGifWriter::quantizeLimitsThePalette()
{
    const QImage rich = richFrame(2, QSize(200, 120));
    const QImage q = GifWriter::quantize(rich);
    QCOMPARE(q.format(), QImage::Format_Indexed8);
    QCOMPARE(q.size(), rich.size());
    QVERIFY(q.colorCount() <= 256);
    QVERIFY(q.colorCount() > 200); // a rich image gets (nearly) the whole palette
    // A flat image is exact with one colour.
    QImage flat(50, 20, QImage::Format_RGB32);
    flat.fill(qRgb(12, 34, 56));
    const QImage f = GifWriter::quantize(flat);
    QCOMPARE(f.colorCount(), 1);
    QCOMPARE(f.pixel(7, 7), qRgb(12, 34, 56));
}

void TestGifWriter::missingDirectoryFails()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("no/such/dir/anim.gif"));
    GifWriter writer;
    QVERIFY(!writer.open(path, QSize(10, 10)));
    QVERIFY(!writer.isOpen());
    QVERIFY2(writer.errorString().startsWith(QStringLiteral("Cannot create GIF file ") + path + ": "),
             qPrintable(writer.errorString()));
    QVERIFY(writer.errorString().size() > (QStringLiteral("Cannot create GIF file ") + path + ": ").size());
    QString error;
    QVERIFY(!GifWriter::write(path, {richFrame(0, QSize(10, 10))}, 10, &error));
    QVERIFY2(error.contains(path), qPrintable(error));
    QVERIFY(!QFile::exists(path));
}

void TestGifWriter::wrongFrameSizeFails()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("sizes.gif"));
    GifWriter writer;
    QVERIFY(writer.open(path, QSize(40, 30)));
    QVERIFY(writer.addFrame(richFrame(0, QSize(40, 30)), 10));
    QVERIFY(!writer.addFrame(richFrame(1, QSize(41, 30)), 10));
    QCOMPARE(writer.errorString(), QStringLiteral("Frame 2 is 41 x 30 pixels, the GIF is 40 x 30"));
    // The writer is still usable after a rejected frame.
    QVERIFY(writer.addFrame(richFrame(1, QSize(40, 30)), 10));
    QVERIFY(writer.close());
    GifPtr gif = slurp(path);
    QVERIFY(gif);
    QCOMPARE(gif->ImageCount, 2);

    GifWriter bad;
    QVERIFY(!bad.open(path, QSize(0, 10)));
    QVERIFY(bad.errorString().contains(QStringLiteral("0 x 10")));
    QVERIFY(!bad.addFrame(richFrame(0, QSize(40, 30)), 10));
    QCOMPARE(bad.errorString(), QStringLiteral("Cannot add a frame: no GIF file is open"));
}

void TestGifWriter::closeWithoutFramesFails()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("empty.gif"));
    GifWriter writer;
    QVERIFY(writer.open(path, QSize(20, 20)));
    QVERIFY(!writer.close());
    QCOMPARE(writer.errorString(), QStringLiteral("Cannot write GIF file %1: no frame was added").arg(path));
    QVERIFY(!QFile::exists(path));
    QVERIFY(!writer.close());
    QCOMPARE(writer.errorString(), QStringLiteral("Cannot close: no GIF file is open"));
    QString error;
    QVERIFY(!GifWriter::write(path, {}, 10, &error));
    QCOMPARE(error, QStringLiteral("Cannot write GIF file %1: no frames").arg(path));
}

void TestGifWriter::unfinishedWriteLeavesNoFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("unfinished.gif"));
    {
        GifWriter writer;
        QVERIFY(writer.open(path, QSize(30, 20)));
        QVERIFY(writer.addFrame(richFrame(0, QSize(30, 20)), 10));
        QVERIFY(!writer.open(path, QSize(30, 20))); // already open
        QVERIFY(writer.errorString().contains(QStringLiteral("already open")));
    } // destroyed without close()
    QVERIFY(!QFile::exists(path));
    // An existing file is replaced only by a finished GIF.
    {
        QFile old(path);
        QVERIFY(old.open(QIODevice::WriteOnly));
        old.write("old");
    }
    {
        GifWriter writer;
        QVERIFY(writer.open(path, QSize(30, 20)));
        QVERIFY(writer.addFrame(richFrame(0, QSize(30, 20)), 10));
    }
    QFile old(path);
    QVERIFY(old.open(QIODevice::ReadOnly));
    QCOMPARE(old.readAll(), QByteArray("old"));
}

void TestGifWriter::writeInOneGo()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("once.gif"));
    QList<QImage> frames;
    for (int k = 0; k < 4; ++k)
        frames.push_back(richFrame(k, QSize(64, 48)));
    QString error;
    QVERIFY2(GifWriter::write(path, frames, 7, &error), qPrintable(error));
    GifPtr gif = slurp(path);
    QVERIFY(gif);
    QCOMPARE(gif->ImageCount, 4);
    GraphicsControlBlock gcb;
    QCOMPARE(DGifSavedExtensionToGCB(gif.get(), 3, &gcb), GIF_OK);
    QCOMPARE(gcb.DelayTime, 7);
    // Mismatched sizes are reported, not written.
    frames.push_back(richFrame(4, QSize(65, 48)));
    QVERIFY(!GifWriter::write(dir.filePath(QStringLiteral("bad.gif")), frames, 7, &error));
    QCOMPARE(error, QStringLiteral("Frame 5 is 65 x 48 pixels, the GIF is 64 x 48"));
    QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("bad.gif"))));
}

void TestGifWriter::fullDiskKeepsTheOldFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("replay.gif"));
    QString error;
    QVERIFY2(GifWriter::write(path, {richFrame(0, QSize(60, 40))}, 10, &error), qPrintable(error));
    const QByteArray old = attn::test::fileBytes(path);
    const QList<QImage> frames = {richFrame(1, QSize(200, 120)), richFrame(2, QSize(200, 120))};
    { // room for the old file only: the new one fails part-way (EFBIG, as on a full disk)
        attn::test::FileSizeLimit limit(std::size_t(old.size()));
        QVERIFY(limit.active());
        QVERIFY(!GifWriter::write(path, frames, 10, &error));
    }
    QCOMPARE(error, path + ": cannot write the file: " + QString::fromUtf8(std::strerror(EFBIG)));
    QCOMPARE(attn::test::fileBytes(path), old);
    QCOMPARE(attn::test::entriesOf(dir.path()), QStringList{"replay.gif"});
}

QTEST_MAIN(TestGifWriter)
#include "tst_gifwriter.moc"
