// SPDX-License-Identifier: GPL-3.0-or-later
// AutoencoderView: the autoencoder task's attention (docs/tasks.md, "autoencoder") as bars: the
// attention over the F inputs (mean over the probe rows; the informative columns of the ground
// truth in a distinct colour, a dashed line at the uniform 1/F), and, when the block sits after
// the first encoder layer, its weights over the hidden units sorted from largest to smallest,
// under a line of text with the mass on the informative columns against chance. PNG (any scale)
// and PDF export, light and dark.
#pragma once

#include "core/snapshot/snapshot.h"
#include "widgets/attentionview.h"

#include <QColor>
#include <QString>
#include <QStringList>
#include <QWidget>

#include <qcustomplot.h>

#include <vector>

namespace attn {

class AutoencoderView : public QWidget, public AttentionView {
    Q_OBJECT

public:
    explicit AutoencoderView(QWidget *parent = nullptr);
    ~AutoencoderView() override;

    /// Shows s.attention ((probe rows R, F) weights over the inputs), s.groundTruth ((R, F), 1
    /// on the informative columns; may be empty) and s.hiddenAttention ((H1) mean weights of the
    /// block after the first layer; empty when the block is on the inputs). Queued replot.
    void setSnapshot(const EpochSnapshot &s) override;
    /// Removes the bars and shows the "no snapshot" title.
    void clear() override;

    /// Bars over the inputs shown (F), 0 when nothing is shown.
    int inputCount() const;
    /// Mean weight of input f over the probe rows; NaN if f is not shown.
    double inputValue(int f) const;
    /// The informative columns (non-zero ground truth in any probe row), ascending.
    std::vector<int> informativeColumns() const;
    /// Mean over the probe rows of the attention mass on the informative columns (NaN without
    /// ground truth), and its chance level (informative columns / F).
    double informativeMass() const;
    double chanceMass() const;
    /// The hidden units' weights shown, sorted from largest to smallest (empty when the block
    /// is on the inputs).
    const std::vector<double> &sortedHidden() const { return m_hidden; }
    /// The text under the title, e.g. "attention on the inputs · mass on the 8 informative
    /// columns 0.43 (chance 0.25) · validation alignment 0.41". Empty when nothing is shown.
    QString summaryText() const;

    void setDark(bool dark) override;
    bool savePng(const QString &path, int width = 0, int height = 0, double scale = 1.0,
                 QString *error = nullptr) override;
    bool savePdf(const QString &path, int width = 0, int height = 0, QString *error = nullptr) override;
    QWidget *widget() override { return this; }
    /// The bars keep their fixed colours under every colour map.
    void setColorMap(ColorMapKind) override {}

    QCustomPlot *plot() { return m_plot; }
    /// The inputs' axis rect and the hidden units' (hidden while the block is on the inputs).
    QCPAxisRect *inputRect() { return m_inputRect; }
    QCPAxisRect *hiddenRect() { return m_hiddenRect; }

private:
    void showSnapshot();
    void applyTheme();
    void wrapTexts();
    QStringList summaryParts() const;

    QCustomPlot *m_plot = nullptr;
    QCPTextElement *m_title = nullptr;
    QCPTextElement *m_summary = nullptr;
    QCPAxisRect *m_inputRect = nullptr;
    QCPAxisRect *m_hiddenRect = nullptr;
    QCPBars *m_inputBars = nullptr;       // the other columns
    QCPBars *m_informativeBars = nullptr; // the informative columns
    QCPGraph *m_uniform = nullptr;        // 1/F
    QCPBars *m_hiddenBars = nullptr;      // sorted hidden-unit weights
    QCPGraph *m_hiddenUniform = nullptr;  // 1/H1
    QStringList m_titleParts;
    EpochSnapshot m_snapshot;
    std::vector<double> m_values; // (F)
    std::vector<double> m_hidden; // (H1) sorted, largest first
    std::vector<int> m_informative;
    double m_mass = 0.0;
    bool m_hasSnapshot = false;
    bool m_dark = false;
    bool m_wrapping = false;
};

} // namespace attn
