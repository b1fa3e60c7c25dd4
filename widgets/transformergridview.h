// SPDX-License-Identifier: GPL-3.0-or-later
// TransformerGridView: every layer's and head's T x T self-attention map of one probe row as a
// grid of thumbnails (rows = layers, columns = heads; the layout of bertviz's model view), and
// the selected map enlarged beside it. Click a thumbnail to enlarge it. Reads
// EpochSnapshot::headMaps ([probe row][l K + k], layer-major) and headLayers (N); row = query
// step, column = key step, fixed 0..1 colour scale. PNG (any scale) and PDF export.
#pragma once

#include "core/snapshot/snapshot.h"
#include "widgets/attentionview.h"
#include "widgets/colormap.h"

#include <QRectF>
#include <QWidget>

class QComboBox;
class QPainter;

namespace attn {

class TransformerGridView : public QWidget, public AttentionView {
    Q_OBJECT

public:
    explicit TransformerGridView(QWidget *parent = nullptr);
    ~TransformerGridView() override;

    /// Shows the maps of s for the chosen probe row; the selection is kept when it still exists
    /// (else layer 0, head 0).
    void setSnapshot(const EpochSnapshot &s) override;
    void clear() override;
    void setDark(bool dark) override;
    void setColorMap(ColorMapKind kind) override;
    bool savePng(const QString &path, int width, int height, double scale,
                 QString *error = nullptr) override;
    bool savePdf(const QString &path, int width, int height, QString *error = nullptr) override;
    QWidget *widget() override { return this; }

    /// N and K of the shown snapshot (0 without maps).
    int layers() const { return m_layers; }
    int heads() const { return m_heads; }
    /// Probe row shown (clamped into range).
    void setProbeRow(int row);
    int probeRow() const { return m_row; }
    /// Enlarges the map of head `head` in layer `layer` (ignored when out of range).
    void selectMap(int layer, int head);
    int selectedLayer() const { return m_layer; }
    int selectedHead() const { return m_head; }
    /// The thumbnail of (layer, head) in widget coordinates at the current size (empty if none).
    QRectF thumbnailRect(int layer, int head) const;

signals:
    /// A thumbnail was clicked or selectMap() changed the enlarged map.
    void mapSelected(int layer, int head);

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;

private:
    struct Geometry {
        QRectF grid;     // the thumbnails' area
        double cell = 0; // a thumbnail's side
        QRectF large;    // the enlarged map
    };
    Geometry geometry(const QRectF &area) const;
    static QRectF cellRect(const Geometry &g, int layer, int head);
    /// The area below the sample selector, in widget coordinates.
    QRectF paintArea() const;
    void paintContent(QPainter &p, const QRectF &area) const;
    void paintMap(QPainter &p, const Grid &map, const QRectF &rect) const;
    const Grid *map(int layer, int head) const;
    void rebuildSamples();

    EpochSnapshot m_snapshot;
    bool m_hasSnapshot = false;
    int m_layers = 0;
    int m_heads = 0;
    int m_row = 0;
    int m_layer = 0;
    int m_head = 0;
    bool m_dark = false;
    mutable QCPColorGradient m_gradient; // color() is not const (it caches its lookup table)
    QComboBox *m_sampleSelector = nullptr;
};

} // namespace attn
