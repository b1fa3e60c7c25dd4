// SPDX-License-Identifier: GPL-3.0-or-later
// GifWriter: writes QImage frames of one size as a looping animated GIF89a through giflib
// (Debian's libgif-dev, giflib 5.2). Each frame is reduced to at most 256 colours by its own
// palette (exact when the frame has no more than 256 colours, variance-minimising cuts of its
// colour histogram otherwise; no dithering, so flat heatmap cells stay flat and a colour bar
// stays smooth), carries a graphics control extension with its delay, and the file starts
// with the NETSCAPE2.0 loop extension.
#pragma once

#include <QImage>
#include <QList>
#include <QSize>
#include <QString>

#include <memory>

namespace attn {

class GifWriter {
public:
    GifWriter();
    ~GifWriter(); // an unfinished file (open() without a successful close()) is discarded
    GifWriter(const GifWriter &) = delete;
    GifWriter &operator=(const GifWriter &) = delete;

    /// Starts a GIF of size.width() x size.height() pixels at path (replaced only when close()
    /// succeeds). loopCount 0 loops forever, n > 0 plays n + 1 times (the NETSCAPE2.0
    /// convention). False with errorString() set if size is empty or larger than 65535, if a
    /// file is already open, or if the file cannot be created (e.g. missing directory).
    bool open(const QString &path, const QSize &size, int loopCount = 0);
    /// Appends a frame shown for delayCentiseconds (1/100 s, clamped to 0..65535). The frame
    /// must have exactly the size given to open(); alpha is ignored. False with errorString()
    /// set on a size mismatch, when no file is open, or on a giflib write error.
    bool addFrame(const QImage &frame, int delayCentiseconds);
    /// Writes the trailer and the finished file (built in memory) to path with saveBytes
    /// (widgets/imagefile.h). False with errorString() set if no file is open, no frame was
    /// added, or the file cannot be written ("PATH: cannot write the file: REASON", the old
    /// file kept).
    bool close();

    bool isOpen() const;
    /// Frames added since open().
    int frameCount() const;
    /// Why the last failing call failed ("Cannot create GIF file <path>: <reason>", giflib's
    /// own error text for encoder errors); empty after a successful open().
    QString errorString() const;

    /// Writes frames (all of one size) as a GIF in one go: open(), addFrame() each, close().
    /// On failure returns false and, if error is not null, sets *error.
    static bool write(const QString &path, const QList<QImage> &frames, int delayCentiseconds,
                      QString *error = nullptr, int loopCount = 0);

    /// The palette reduction applied to each frame: an Indexed8 image of the same size with at
    /// most 256 colours in its colour table; exact when image has at most 256 distinct
    /// colours (alpha dropped); otherwise the 5-bit-per-channel colour histogram is cut into
    /// 256 boxes, each time cutting the box with the largest squared error where the two
    /// halves' error is smallest (greedy Wu), and each pixel gets the palette colour nearest
    /// to its histogram bin's mean (no dithering).
    static QImage quantize(const QImage &image);

private:
    struct State;
    bool fail(const QString &message);
    bool failGif(const QString &what, int gifError);
    void discard();

    std::unique_ptr<State> m_state;
    QString m_error;
};

} // namespace attn
