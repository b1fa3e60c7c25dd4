// SPDX-License-Identifier: GPL-3.0-or-later
// SentenceView: the sentiment task's probe sentences, each word on a colour-map background at its
// attention weight on one colour scale shared by all sentences (fixed 0..1, or the largest word
// weight of all sentences; the legend says which), the uniform weight 1/L noted per sentence, text black or white for contrast, padding hidden; beside each sentence the predicted
// and true label, marked when wrong. Custom painted, so the same painting gives the PNG and PDF
// exports; a tooltip per word gives its exact weight.
#pragma once

#include "core/snapshot/snapshot.h"
#include "widgets/attentionview.h"
#include "widgets/colormap.h"
#include "widgets/sentencelayout.h"

#include <QAbstractScrollArea>
#include <QColor>
#include <QImage>
#include <QPointF>
#include <QRectF>
#include <QString>
#include <QStringList>

#include <qcustomplot.h>

#include <utility>
#include <vector>

class QPaintDevice;
class QPainter;

namespace attn {

class SentenceView : public QAbstractScrollArea, public AttentionView {
    Q_OBJECT

public:
    explicit SentenceView(QWidget *parent = nullptr);
    ~SentenceView() override;

    /// Shows s.probeTokens ((R, T) words, "" = padding) shaded by s.attention ((R, T); may be
    /// empty: the no-attention baseline, words unshaded), with s.probePredictions (R
    /// probabilities of "positive") and s.probeTargets (R labels 0/1) where present.
    void setSnapshot(const EpochSnapshot &s) override;
    /// Removes the sentences and shows the "no snapshot" title.
    void clear() override;

    /// The colour scale shared by all sentences (SentenceLayout::setWeightScale): fixed 0..1
    /// (the default) or 0..the largest word weight of all sentences shown, never a sentence's
    /// own maximum. The legend says which.
    void setWeightScale(const WeightScale &scale);
    const WeightScale &weightScale() const;
    /// The top of the shared scale now: 1, or the largest word weight of all sentences.
    double scaleTop() const;
    /// 1 / (words shown) of a sentence, noted beside it ("uniform 1/7 = 0.143"); NaN if invalid.
    double uniformWeight(int row) const;

    /// Colour map of the word backgrounds; viridis by default.
    void setColorMap(ColorMapKind kind) override;
    ColorMapKind colorMapKind() const;

    /// Dark (true) or light (false) page: background, text, rules; word colours stay.
    void setDark(bool dark) override;
    bool isDark() const;

    /// Number of sentences shown (probe rows with tokens).
    int sentenceCount() const;
    /// The words shown for a sentence, in order (padding hidden); empty for an invalid row.
    QStringList words(int row) const;
    /// The time step of the i-th word shown of a sentence; -1 if invalid.
    int wordStep(int row, int i) const;
    /// Attention weight of the i-th word shown (NaN without attention or if invalid).
    double wordWeight(int row, int i) const;
    /// The shade 0..1 the word is coloured with (weight / scaleTop(), clamped).
    double wordShade(int row, int i) const;
    /// Background and text colour of the i-th word shown (invalid QColor if invalid; the
    /// background is transparent without attention).
    QColor wordBackground(int row, int i) const;
    QColor wordForeground(int row, int i) const;
    /// Rectangle of the i-th word shown, in content coordinates at the current width (add the
    /// scroll offset to get viewport coordinates); null if invalid.
    QRectF wordRect(int row, int i) const;
    /// Tooltip of the i-th word shown: the word, sample and time step, its exact weight (4
    /// decimals) and its share of the sentence's largest word weight.
    QString wordToolTip(int row, int i) const;
    /// The word at a point in content coordinates: true and row/i set if on a word.
    bool wordAt(const QPointF &contentPos, int *row, int *i) const;

    /// "pred 0.91 → positive · true: positive", led by "✗ " when wrong; empty without a
    /// prediction for that row.
    QString predictionText(int row) const;
    /// The prediction (probability >= 0.5 means positive) differs from the true label.
    bool isWrong(int row) const;
    /// The legend line, e.g. "attention weight 0 … 1 (shading on the fixed 0..1 scale, shared
    /// by all sentences) ✗ wrong prediction".
    QString legendText() const;
    /// The title line, e.g. "Sentiment: attention over the words · epoch 7 / 10".
    QString titleText() const;

    /// Height the content needs at that width (logical pixels).
    int fittedHeight(int width) const;
    /// The content rendered into an image of exactly round(width*scale) x round(height*scale)
    /// pixels, laid out at width x height and drawn scale times larger; width 0 = the
    /// viewport's width, height 0 = fittedHeight(width). Records 96*scale dots per inch.
    QImage toImage(int width = 0, int height = 0, double scale = 1.0) const;
    /// toImage() written as PNG. False if the file cannot be written.
    bool savePng(const QString &path, int width = 0, int height = 0, double scale = 1.0,
                 QString *error = nullptr) const;
    /// The content as a one-page vector PDF of width x height points (0 as for toImage).
    bool savePdf(const QString &path, int width = 0, int height = 0, QString *error = nullptr) const;
    /// AttentionView: the const exports above, and this view as a widget.
    bool savePng(const QString &path, int width, int height, double scale,
                 QString *error = nullptr) override
    {
        return std::as_const(*this).savePng(path, width, height, scale, error);
    }
    bool savePdf(const QString &path, int width, int height, QString *error = nullptr) override
    {
        return std::as_const(*this).savePdf(path, width, height, error);
    }
    /// AttentionView: this view as a widget.
    QWidget *widget() override { return this; }

protected:
    void changeEvent(QEvent *event) override;
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    bool viewportEvent(QEvent *event) override;

private:
    void paintLayout(QPainter &p, const SentenceLayout::Geometry &l) const;
    const SentenceLayout::Geometry &currentLayout() const;
    void invalidateLayout();
    void updateScrollBar();

    SentenceLayout m_content; // words, weights, colours; their geometry at a width
    bool m_dark = false;
    mutable SentenceLayout::Geometry m_layout;
    mutable bool m_layoutValid = false;
};

} // namespace attn
