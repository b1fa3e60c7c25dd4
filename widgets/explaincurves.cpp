// SPDX-License-Identifier: GPL-3.0-or-later
// ExplainCurves: three QCPAxisRects (tau, alignment, counterfactual change) in one panel row,
// one graph per method and measure, keyed by epoch; markers as in CurvesView (plot x, rect-ratio y).
#include "widgets/explaincurves.h"

#include "widgets/plotutil.h"

#include <algorithm>
#include <cmath>

namespace attn {

QString ExplainCurves::methodName(int method)
{
    switch (method) {
    case 0: return tr("attention");
    case 1: return tr("gradient");
    case 2: return tr("input \u00d7 gradient");
    case 3: return tr("leave-one-out");
    case 4: return tr("integrated gradients");
    default: return {};
    }
}

QColor ExplainCurves::methodColor(int method)
{
    static const QColor colors[kMethods] = {QColor(0x2c, 0xa0, 0x2c), QColor(0x1f, 0x77, 0xb4),
                                            QColor(0xff, 0x7f, 0x0e), QColor(0xd6, 0x27, 0x28),
                                            QColor(0x94, 0x67, 0xbd)};
    return method >= 0 && method < kMethods ? colors[method] : QColor(Qt::gray);
}

ExplainCurves::ExplainCurves(QCustomPlot *plot, QCPLayoutGrid *row, const QFont &titleFont)
    : m_plot(plot)
{
    const QString titles[3] = {tr("Kendall \u03c4 with attention"), tr("Alignment with ground truth"),
                               tr("Output change, counterfactual attention")};
    const QString labels[3] = {tr("mean \u03c4"), tr("alignment"), tr("median |change|")};
    for (int i = 0; i < 3; ++i) {
        auto *column = new QCPLayoutGrid;
        row->addElement(0, i, column);
        column->addElement(0, 0, new QCPTextElement(plot, titles[i], titleFont));
        auto *rect = new QCPAxisRect(plot);
        column->addElement(1, 0, rect);
        column->setRowSpacing(0);
        rect->axis(QCPAxis::atBottom)->setLabel(tr("epoch"));
        rect->axis(QCPAxis::atBottom)->setTicker(integerTicker());
        rect->axis(QCPAxis::atLeft)->setLabel(labels[i]);
        rect->axis(QCPAxis::atLeft)->ticker()->setTickCount(3); // the rects are short: few labels
        m_rects[std::size_t(i)] = rect;
        auto *line = new QCPItemStraightLine(plot);
        for (QCPItemPosition *pos : {line->point1, line->point2}) {
            pos->setTypeX(QCPItemPosition::ptPlotCoords);
            pos->setTypeY(QCPItemPosition::ptAxisRectRatio);
            pos->setAxes(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
            pos->setAxisRect(rect);
        }
        line->point1->setCoords(0.0, 0.0);
        line->point2->setCoords(0.0, 1.0);
        line->setClipAxisRect(rect);
        line->setClipToAxisRect(true);
        line->setPen(QPen(Qt::gray, 1.0, Qt::DashLine));
        line->setSelectable(false);
        line->setVisible(false);
        m_markers[std::size_t(i)] = line;
    }
    for (int m = 0; m < kMethods; ++m) {
        m_alignment[std::size_t(m)] = addCurve(m_rects[1], methodName(m), methodColor(m), Qt::SolidLine);
        if (m > 0) {
            m_tau[std::size_t(m)] = addCurve(m_rects[0], methodName(m), methodColor(m), Qt::SolidLine);
            m_tau[std::size_t(m)]->removeFromLegend(); // one legend entry per method
        }
    }
    m_permutation = addCurve(m_rects[2], tr("permuted attention"), QColor(0x55, 0x55, 0x55), Qt::SolidLine);
    m_uniform = addCurve(m_rects[2], tr("uniform attention"), QColor(0x8c, 0x56, 0x4b), Qt::DashLine);
    m_rects[0]->axis(QCPAxis::atLeft)->setRange(-1.05, 1.05);
    m_rects[1]->axis(QCPAxis::atLeft)->setRange(0.0, 1.05);
    m_rects[2]->axis(QCPAxis::atLeft)->setRange(0.0, 1.0);
}

QCPGraph *ExplainCurves::addCurve(QCPAxisRect *rect, const QString &name, const QColor &color,
                                  Qt::PenStyle style)
{
    QCPGraph *g = m_plot->addGraph(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
    g->setName(name);
    g->setPen(QPen(color, 2.0, style));
    g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, color, color, 4.0));
    g->setAntialiased(true);
    return g;
}

QCPGraph *ExplainCurves::tauGraph(int method) const
{
    return method >= 1 && method < kMethods ? m_tau[std::size_t(method)] : nullptr;
}

QCPGraph *ExplainCurves::alignmentGraph(int method) const
{
    return method >= 0 && method < kMethods ? m_alignment[std::size_t(method)] : nullptr;
}

void ExplainCurves::setPoints(const std::vector<std::pair<int, FaithfulnessSummary>> &points)
{
    const double nan = std::nan("");
    auto add = [nan](QCPGraph *g, int epoch, const std::optional<double> &v) {
        g->addData(epoch, v ? *v : nan); // NaN: a gap
    };
    for (QCPGraph *g : m_tau)
        if (g)
            g->data()->clear();
    for (QCPGraph *g : m_alignment)
        g->data()->clear();
    m_permutation->data()->clear();
    m_uniform->data()->clear();
    double top = 0.0;
    int first = 0, last = 1;
    for (const auto &[epoch, f] : points) {
        add(m_tau[1], epoch, f.tauGradient);
        add(m_tau[2], epoch, f.tauInputXGradient);
        add(m_tau[3], epoch, f.tauLeaveOneOut);
        add(m_tau[4], epoch, f.tauIntegratedGradients);
        add(m_alignment[0], epoch, f.alignmentAttention);
        add(m_alignment[1], epoch, f.alignmentGradient);
        add(m_alignment[2], epoch, f.alignmentInputXGradient);
        add(m_alignment[3], epoch, f.alignmentLeaveOneOut);
        add(m_alignment[4], epoch, f.alignmentIntegratedGradients);
        add(m_permutation, epoch, f.permutationMedianAbsChange);
        add(m_uniform, epoch, f.uniformAbsChange);
        for (const auto &v : {f.permutationMedianAbsChange, f.uniformAbsChange})
            if (v && std::isfinite(*v))
                top = std::max(top, *v);
        first = std::min(first, epoch);
        last = std::max(last, epoch);
    }
    for (QCPAxisRect *rect : m_rects)
        rect->axis(QCPAxis::atBottom)->setRange(first - 0.5, last + 0.5);
    m_rects[2]->axis(QCPAxis::atLeft)->setRange(0.0, top > 0 ? top * 1.1 : 1.0);
}

void ExplainCurves::setMarkerEpoch(int epoch)
{
    m_markerEpoch = epoch;
    for (QCPItemStraightLine *line : m_markers) {
        line->point1->setCoords(epoch, 0.0);
        line->point2->setCoords(epoch, 1.0);
        line->setVisible(epoch >= 0);
    }
}

} // namespace attn
