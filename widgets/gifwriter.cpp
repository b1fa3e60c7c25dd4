// SPDX-License-Identifier: GPL-3.0-or-later
// GifWriter: giflib's streaming encoder (EGifOpen with a write callback into a QBuffer; close()
// writes it with saveBytes, so a failed export never leaves a half-written file behind and keeps
// the old one). The first frame's palette becomes the global colour table; later frames carry
// a local table unless theirs is identical.
// File layout (GIF89a): header, logical screen + global table, NETSCAPE2.0 loop extension,
// then per frame a graphics control extension (delay) and an image with its LZW data.
#include "widgets/gifwriter.h"

#include "widgets/imagefile.h"

#include <QCoreApplication>
#include <QHash>
#include <QBuffer>
#include <QFileInfo>

#include <gif_lib.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#if GIFLIB_MAJOR < 5 || (GIFLIB_MAJOR == 5 && GIFLIB_MINOR < 1)
#error "GifWriter needs giflib 5.1 or newer (EGifOpen with an error pointer, EGifCloseFile(gif, &err))"
#endif

namespace attn {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("attn::GifWriter", text);
}

/// giflib output callback: the device is the GifFileType's UserData.
int writeToDevice(GifFileType *gif, const GifByteType *data, int length)
{
    auto *device = static_cast<QIODevice *>(gif->UserData);
    return int(device->write(reinterpret_cast<const char *>(data), length));
}

// ---- palette by variance-minimising cuts ---------------------------------------------------

constexpr int kBits = 5;                    // histogram precision per channel
constexpr int kBins = 1 << (3 * kBits);     // 32768 colour bins
constexpr int kMaxColors = 256;

int binOf(QRgb c)
{
    return ((qRed(c) >> 3) << 10) | ((qGreen(c) >> 3) << 5) | (qBlue(c) >> 3);
}

int binChannel(int bin, int channel) // 5-bit component 0 = red, 1 = green, 2 = blue
{
    return (bin >> (10 - 5 * channel)) & 31;
}

/// Pixel statistics of a set of pixels: count, per-channel sums, sum of squared channels.
struct Moments {
    std::uint64_t count = 0;
    double sum[3] = {0.0, 0.0, 0.0};
    double sumSq = 0.0;

    void add(const Moments &m)
    {
        count += m.count;
        for (int ch = 0; ch < 3; ++ch)
            sum[ch] += m.sum[ch];
        sumSq += m.sumSq;
    }
    /// Sum of squared distances of the pixels to their mean colour.
    double sse() const
    {
        if (count == 0)
            return 0.0;
        const double n = double(count);
        return sumSq - (sum[0] * sum[0] + sum[1] * sum[1] + sum[2] * sum[2]) / n;
    }
};

struct Box {
    int begin = 0; // range [begin, end) of the bin list
    int end = 0;
    Moments m;
};

Box makeBox(const std::vector<int> &bins, const std::vector<Moments> &hist, int begin, int end)
{
    Box box{begin, end, {}};
    for (int i = begin; i < end; ++i)
        box.m.add(hist[std::size_t(bins[std::size_t(i)])]);
    return box;
}

/// Palette of at most 256 colours for the histogram (a greedy variant of Wu's quantiser):
/// repeatedly take the box of bins whose pixels are farthest from their mean (largest sum of
/// squared errors) and cut it, along the channel and at the place that leave the smallest
/// error in the two halves, until there are 256 boxes or none can be cut. Each colour is the
/// pixel mean of its box. Large flat areas (one bin) cost no colours; the colours go where
/// the image varies, e.g. evenly along a colour bar.
std::vector<QRgb> varianceCut(const std::vector<Moments> &hist)
{
    std::vector<int> bins;
    for (int b = 0; b < kBins; ++b)
        if (hist[std::size_t(b)].count > 0)
            bins.push_back(b);
    std::vector<Box> boxes{makeBox(bins, hist, 0, int(bins.size()))};

    while (int(boxes.size()) < kMaxColors) {
        int pick = -1;
        double worst = 0.0;
        for (int i = 0; i < int(boxes.size()); ++i) {
            const Box &b = boxes[std::size_t(i)];
            if (b.end - b.begin > 1 && b.m.sse() > worst) {
                worst = b.m.sse();
                pick = i;
            }
        }
        if (pick < 0)
            break;
        const Box box = boxes[std::size_t(pick)];
        const auto first = bins.begin() + box.begin;
        const auto last = bins.begin() + box.end;

        // Best cut over the three channels: bins sorted by the channel, cut between
        // positions i - 1 and i, error of the two halves from running moments.
        int bestChannel = 0;
        int bestSplit = box.begin + 1;
        double bestError = std::numeric_limits<double>::infinity();
        for (int ch = 0; ch < 3; ++ch) {
            std::stable_sort(first, last, [ch](int a, int b) { return binChannel(a, ch) < binChannel(b, ch); });
            Moments left;
            for (int i = box.begin + 1; i < box.end; ++i) {
                const int prev = bins[std::size_t(i - 1)];
                left.add(hist[std::size_t(prev)]);
                if (binChannel(prev, ch) == binChannel(bins[std::size_t(i)], ch))
                    continue; // cut only between different channel values
                Moments right = box.m;
                right.count -= left.count;
                for (int c = 0; c < 3; ++c)
                    right.sum[c] -= left.sum[c];
                right.sumSq -= left.sumSq;
                const double error = left.sse() + right.sse();
                if (error < bestError) {
                    bestError = error;
                    bestChannel = ch;
                    bestSplit = i;
                }
            }
        }
        if (!std::isfinite(bestError))
            bestSplit = box.begin + (box.end - box.begin) / 2; // all bins equal on every channel
        std::stable_sort(first, last, [bestChannel](int a, int b) {
            return binChannel(a, bestChannel) < binChannel(b, bestChannel);
        });
        boxes[std::size_t(pick)] = makeBox(bins, hist, box.begin, bestSplit);
        boxes.push_back(makeBox(bins, hist, bestSplit, box.end));
    }

    std::vector<QRgb> palette;
    for (const Box &box : boxes) {
        const double n = double(std::max<std::uint64_t>(box.m.count, 1));
        const auto mean = [&](int ch) { return std::clamp(int(std::lround(box.m.sum[ch] / n)), 0, 255); };
        palette.push_back(qRgb(mean(0), mean(1), mean(2)));
    }
    return palette;
}

int nearest(const std::vector<QRgb> &palette, int r, int g, int b)
{
    int best = 0;
    int bestDistance = 1 << 30;
    for (int i = 0; i < int(palette.size()); ++i) {
        const QRgb p = palette[std::size_t(i)];
        const int dr = qRed(p) - r;
        const int dg = qGreen(p) - g;
        const int db = qBlue(p) - b;
        const int d = dr * dr + dg * dg + db * db;
        if (d < bestDistance) {
            bestDistance = d;
            best = i;
        }
    }
    return best;
}

} // namespace

QImage GifWriter::quantize(const QImage &image)
{
    const QImage src = image.convertToFormat(QImage::Format_RGB32);
    const int w = src.width();
    const int h = src.height();
    QImage out(w, h, QImage::Format_Indexed8);
    if (src.isNull())
        return out;

    // Exact palette when the image has no more than 256 colours.
    QHash<QRgb, int> index;
    QList<QRgb> table;
    bool exact = true;
    for (int y = 0; y < h && exact; ++y) {
        const auto *line = reinterpret_cast<const QRgb *>(src.constScanLine(y));
        for (int x = 0; x < w; ++x) {
            const QRgb c = line[x] | 0xff000000u;
            if (index.contains(c))
                continue;
            if (table.size() == kMaxColors) {
                exact = false;
                break;
            }
            index.insert(c, int(table.size()));
            table.push_back(c);
        }
    }
    if (exact) {
        out.setColorTable(table);
        for (int y = 0; y < h; ++y) {
            const auto *line = reinterpret_cast<const QRgb *>(src.constScanLine(y));
            uchar *dst = out.scanLine(y);
            for (int x = 0; x < w; ++x)
                dst[x] = uchar(index.value(line[x] | 0xff000000u));
        }
        return out;
    }

    std::vector<Moments> hist(kBins);
    for (int y = 0; y < h; ++y) {
        const auto *line = reinterpret_cast<const QRgb *>(src.constScanLine(y));
        for (int x = 0; x < w; ++x) {
            Moments &bin = hist[std::size_t(binOf(line[x]))];
            const double r = qRed(line[x]);
            const double g = qGreen(line[x]);
            const double b = qBlue(line[x]);
            ++bin.count;
            bin.sum[0] += r;
            bin.sum[1] += g;
            bin.sum[2] += b;
            bin.sumSq += r * r + g * g + b * b;
        }
    }
    const std::vector<QRgb> palette = varianceCut(hist);
    // Every occupied bin goes to the palette colour nearest to its mean colour.
    std::vector<uchar> lut(kBins, 0);
    for (int b = 0; b < kBins; ++b) {
        const Moments &bin = hist[std::size_t(b)];
        if (bin.count == 0)
            continue;
        const double n = double(bin.count);
        lut[std::size_t(b)] = uchar(nearest(palette, int(std::lround(bin.sum[0] / n)),
                                            int(std::lround(bin.sum[1] / n)),
                                            int(std::lround(bin.sum[2] / n))));
    }
    out.setColorTable(QList<QRgb>(palette.begin(), palette.end()));
    for (int y = 0; y < h; ++y) {
        const auto *line = reinterpret_cast<const QRgb *>(src.constScanLine(y));
        uchar *dst = out.scanLine(y);
        for (int x = 0; x < w; ++x)
            dst[x] = lut[std::size_t(binOf(line[x]))];
    }
    return out;
}

// ---- writer ---------------------------------------------------------------------------------

struct GifWriter::State {
    QString path;
    QByteArray bytes; // the whole GIF, written to path by close() (saveBytes)
    QBuffer file{&bytes};
    GifFileType *gif = nullptr;
    QSize size;
    int loopCount = 0;
    int frames = 0;
    std::vector<GifColorType> globalColors; // the first frame's table, padded to 2^k
};

namespace {

struct MapDeleter {
    void operator()(ColorMapObject *map) const { GifFreeMapObject(map); }
};
using ColorMapPtr = std::unique_ptr<ColorMapObject, MapDeleter>;

bool sameColors(const std::vector<GifColorType> &a, const std::vector<GifColorType> &b)
{
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](const GifColorType &x, const GifColorType &y) {
               return x.Red == y.Red && x.Green == y.Green && x.Blue == y.Blue;
           });
}

} // namespace

GifWriter::GifWriter() = default;

GifWriter::~GifWriter()
{
    discard();
}

bool GifWriter::open(const QString &path, const QSize &size, int loopCount)
{
    if (m_state)
        return fail(tr("A GIF file is already open: close() it first"));
    if (size.width() < 1 || size.height() < 1 || size.width() > 65535 || size.height() > 65535)
        return fail(tr("Cannot create GIF file %1: the frame size %2 x %3 is outside 1..65535")
                        .arg(path)
                        .arg(size.width())
                        .arg(size.height()));
    // The file is written only by close(); a folder that cannot take it fails here already,
    // before any frame is rendered.
    if (const QFileInfo folder(QFileInfo(path).absolutePath()); !folder.isDir() || !folder.isWritable())
        return fail(tr("Cannot create GIF file %1: %2")
                        .arg(path, folder.exists() ? tr("the folder is not writable")
                                                   : tr("no such folder")));
    auto state = std::make_unique<State>();
    state->path = path;
    state->file.open(QIODevice::WriteOnly);
    int error = 0;
    state->gif = EGifOpen(&state->file, writeToDevice, &error);
    if (!state->gif)
        return failGif(tr("Cannot create GIF file %1").arg(path), error);
    EGifSetGifVersion(state->gif, true); // GIF89a: needed for the extensions
    state->size = size;
    state->loopCount = std::clamp(loopCount, 0, 65535);
    m_state = std::move(state);
    m_error.clear();
    return true;
}

bool GifWriter::addFrame(const QImage &frame, int delayCentiseconds)
{
    if (!m_state)
        return fail(tr("Cannot add a frame: no GIF file is open"));
    State &s = *m_state;
    if (frame.size() != s.size)
        return fail(tr("Frame %1 is %2 x %3 pixels, the GIF is %4 x %5")
                        .arg(s.frames + 1)
                        .arg(frame.width())
                        .arg(frame.height())
                        .arg(s.size.width())
                        .arg(s.size.height()));

    QImage indexed = quantize(frame);
    const QList<QRgb> table = indexed.colorTable();
    // giflib wants a power-of-two table of at least two entries; the padding is never used.
    const int mapSize = 1 << GifBitSize(std::max(int(table.size()), 2));
    std::vector<GifColorType> colors(std::size_t(mapSize), GifColorType{0, 0, 0});
    for (int i = 0; i < int(table.size()); ++i)
        colors[std::size_t(i)] = GifColorType{GifByteType(qRed(table[i])), GifByteType(qGreen(table[i])),
                                              GifByteType(qBlue(table[i]))};
    ColorMapPtr map(GifMakeMapObject(mapSize, colors.data()));
    if (!map)
        return failGif(tr("Cannot encode frame %1").arg(s.frames + 1), E_GIF_ERR_NOT_ENOUGH_MEM);

    if (s.frames == 0) {
        if (EGifPutScreenDesc(s.gif, s.size.width(), s.size.height(), 8, 0, map.get()) == GIF_ERROR)
            return failGif(tr("Cannot write the GIF header"), s.gif->Error);
        // NETSCAPE2.0 application extension: sub-block 1 = loop count (little-endian).
        const char appId[] = "NETSCAPE2.0";
        const GifByteType loop[3] = {1, GifByteType(s.loopCount & 0xff),
                                     GifByteType((s.loopCount >> 8) & 0xff)};
        if (EGifPutExtensionLeader(s.gif, APPLICATION_EXT_FUNC_CODE) == GIF_ERROR ||
            EGifPutExtensionBlock(s.gif, 11, appId) == GIF_ERROR ||
            EGifPutExtensionBlock(s.gif, 3, loop) == GIF_ERROR ||
            EGifPutExtensionTrailer(s.gif) == GIF_ERROR)
            return failGif(tr("Cannot write the GIF loop extension"), s.gif->Error);
        s.globalColors = colors;
    }

    GraphicsControlBlock gcb;
    gcb.DisposalMode = DISPOSE_DO_NOT; // every frame covers the whole screen
    gcb.UserInputFlag = false;
    gcb.DelayTime = std::clamp(delayCentiseconds, 0, 65535);
    gcb.TransparentColor = NO_TRANSPARENT_COLOR;
    GifByteType extension[4];
    EGifGCBToExtension(&gcb, extension);
    if (EGifPutExtension(s.gif, GRAPHICS_EXT_FUNC_CODE, 4, extension) == GIF_ERROR)
        return failGif(tr("Cannot write frame %1").arg(s.frames + 1), s.gif->Error);

    const ColorMapObject *localMap = sameColors(colors, s.globalColors) ? nullptr : map.get();
    if (EGifPutImageDesc(s.gif, 0, 0, s.size.width(), s.size.height(), false, localMap) == GIF_ERROR)
        return failGif(tr("Cannot write frame %1").arg(s.frames + 1), s.gif->Error);
    for (int y = 0; y < s.size.height(); ++y)
        if (EGifPutLine(s.gif, indexed.scanLine(y), s.size.width()) == GIF_ERROR)
            return failGif(tr("Cannot write frame %1").arg(s.frames + 1), s.gif->Error);
    ++s.frames;
    return true;
}

bool GifWriter::close()
{
    if (!m_state)
        return fail(tr("Cannot close: no GIF file is open"));
    if (m_state->frames == 0) {
        const QString path = m_state->path;
        discard();
        return fail(tr("Cannot write GIF file %1: no frame was added").arg(path));
    }
    int error = 0;
    const int status = EGifCloseFile(m_state->gif, &error); // frees the GifFileType either way
    m_state->gif = nullptr;
    if (status == GIF_ERROR) {
        const QString path = m_state->path;
        discard();
        return failGif(tr("Cannot write GIF file %1").arg(path), error);
    }
    // Rendered in memory, written atomically: a full disk keeps the old file and says why.
    QString message;
    const bool ok = saveBytes(m_state->path, m_state->bytes, &message);
    m_state.reset();
    return ok || fail(message);
}

bool GifWriter::isOpen() const
{
    return bool(m_state);
}

int GifWriter::frameCount() const
{
    return m_state ? m_state->frames : 0;
}

QString GifWriter::errorString() const
{
    return m_error;
}

bool GifWriter::write(const QString &path, const QList<QImage> &frames, int delayCentiseconds,
                      QString *error, int loopCount)
{
    GifWriter writer;
    const QSize size = frames.isEmpty() ? QSize() : frames.front().size();
    bool ok = !frames.isEmpty() || writer.fail(tr("Cannot write GIF file %1: no frames").arg(path));
    ok = ok && writer.open(path, size, loopCount);
    for (const QImage &frame : frames)
        ok = ok && writer.addFrame(frame, delayCentiseconds);
    ok = ok && writer.close();
    if (!ok && error)
        *error = writer.errorString();
    return ok;
}

bool GifWriter::fail(const QString &message)
{
    m_error = message;
    return false;
}

bool GifWriter::failGif(const QString &what, int gifError)
{
    m_error = what + QStringLiteral(": ") + QString::fromUtf8(GifErrorString(gifError));
    discard(); // the GIF stream is broken (or was never started): drop the unfinished file
    return false;
}

void GifWriter::discard()
{
    if (!m_state)
        return;
    if (m_state->gif)
        EGifCloseFile(m_state->gif, nullptr);
    m_state->gif = nullptr;
    m_state.reset();
}

} // namespace attn
