// SPDX-License-Identifier: GPL-3.0-or-later
// ReplayExporter: renders a run's history of EpochSnapshots through its own offscreen
// HeatmapView, one frame per epoch, as images, as a numbered PNG series (frame_001.png, ...)
// or as a looping animated GIF (GifWriter), for the window's export actions and the headless
// command line. Frames are written one at a time, so long runs do not pile up in memory.
#pragma once

#include "core/snapshot/snapshot.h"
#include "widgets/colormap.h"
#include "widgets/weightscale.h"

#include <QImage>
#include <QList>
#include <QSize>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <vector>

namespace attn {

class HeatmapView;

/// Needs a QApplication (it owns a widget); use it from the GUI thread.
class ReplayExporter {
public:
    /// Called after each frame with (frames done, total); return false to cancel.
    using Progress = std::function<bool(int done, int total)>;

    ReplayExporter();
    ~ReplayExporter();
    ReplayExporter(const ReplayExporter &) = delete;
    ReplayExporter &operator=(const ReplayExporter &) = delete;

    /// Layout size of a frame (default 960 x 420); frames are frameSize() * scale() pixels.
    void setFrameSize(const QSize &size);
    QSize frameSize() const;
    /// Pixel scale (default 1; 2 gives high-DPI frames with the same layout). Clamped to
    /// 0.1..16.
    void setScale(double scale);
    double scale() const;
    /// Size in pixels of every frame: round(frameSize() * scale()).
    QSize pixelSize() const;
    /// A frame size width pixels wide and just tall enough for s's panels (no empty bands):
    /// pass it to setFrameSize() to export without wasted space.
    QSize fittedFrameSize(const EpochSnapshot &s, int width);

    /// Look of the frames (defaults: viridis, fixed 0..1 scale, light, inputs shown).
    void setColorMap(ColorMapKind kind);
    ColorMapKind colorMap() const;
    void setDark(bool dark);
    bool isDark() const;
    void setShowInputs(bool show);
    bool showInputs() const;
    /// The attention's colour scale (default fixed 0..1), as HeatmapView::setWeightScale.
    void setWeightScale(const WeightScale &scale);
    WeightScale weightScale() const;
    /// Takes colour map, colour scale, theme and input panel from a view, so exports are drawn
    /// exactly as the window shows them.
    void copyStyle(const HeatmapView &view);

    /// GIF timing in centiseconds: every frame (default 25 = 4 frames/s) and the last one,
    /// held longer so the converged map is seen before the loop restarts (default 150; never
    /// shorter than the frame delay).
    void setFrameDelay(int centiseconds);
    int frameDelay() const;
    void setLastFrameDelay(int centiseconds);
    int lastFrameDelay() const;

    void setProgressCallback(Progress progress);

    /// One frame: the heatmap of s, pixelSize() pixels.
    QImage renderFrame(const EpochSnapshot &s);
    /// One frame per snapshot, in order.
    QList<QImage> renderFrames(const std::vector<EpochSnapshot> &history);
    /// Writes frame_001.png ... (frameFileName) into dir, creating dir if needed; the file
    /// paths written go to *files if given. False with errorString() set if history is empty,
    /// dir cannot be created, a file cannot be written, or the progress callback cancelled.
    bool writePngSeries(const std::vector<EpochSnapshot> &history, const QString &dir,
                        QStringList *files = nullptr);
    /// Writes the history as a looping GIF at path (one frame per snapshot). False with
    /// errorString() set if history is empty, the file cannot be written (GifWriter's
    /// message), or the progress callback cancelled (no file is left behind then).
    bool writeGif(const std::vector<EpochSnapshot> &history, const QString &path);
    /// Why the last failing write failed.
    QString errorString() const;

    /// "frame_001.png" for index 1 of count frames: 1-based, zero-padded to at least three
    /// digits and to the digits of count.
    static QString frameFileName(int index, int count);

private:
    bool fail(const QString &message);
    bool reportProgress(int done, int total);

    std::unique_ptr<HeatmapView> m_view;
    QSize m_frameSize{960, 420};
    double m_scale = 1.0;
    int m_frameDelay = 25;
    int m_lastFrameDelay = 150;
    Progress m_progress;
    QString m_error;
};

} // namespace attn
