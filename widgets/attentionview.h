// SPDX-License-Identifier: GPL-3.0-or-later
// AttentionView: what every view of one epoch's attention offers the window, so that it can
// show, clear, restyle and export them all in one loop: HeatmapView, FeatureWeightsView,
// SentenceView and SelfAttentionView implement it (docs/architecture.md, widgets/).
#pragma once

#include "core/snapshot/snapshot.h"
#include "widgets/colormap.h"

#include <QString>

class QWidget;

namespace attn {

class AttentionView {
public:
    virtual ~AttentionView() = default;

    /// Shows one epoch's snapshot s.
    virtual void setSnapshot(const EpochSnapshot &s) = 0;
    /// Shows nothing (the view's "no snapshot" state).
    virtual void clear() = 0;
    /// Dark or light plot colours, following the application theme.
    virtual void setDark(bool dark) = 0;
    /// The colour map of the attention weights (views without one ignore it).
    virtual void setColorMap(ColorMapKind kind) = 0;
    /// Writes the view to path as PNG; width / height 0 = the view's size, scale = pixel ratio.
    /// Rendered in memory, then written atomically (widgets/imagefile.h): returns false when the
    /// file cannot be written, with *error "PATH: cannot write the file: REASON" and the old file
    /// kept.
    virtual bool savePng(const QString &path, int width, int height, double scale,
                         QString *error = nullptr) = 0;
    /// Writes the view to path as PDF (vector); width / height 0 = the view's size; errors as
    /// savePng.
    virtual bool savePdf(const QString &path, int width, int height, QString *error = nullptr) = 0;
    /// The view as a widget, to place it in a layout or tab.
    virtual QWidget *widget() = 0;

protected:
    AttentionView() = default;
    AttentionView(const AttentionView &) = default;
    AttentionView &operator=(const AttentionView &) = default;
};

} // namespace attn
