// SPDX-License-Identifier: GPL-3.0-or-later
// ExplainView: controls (probe row, what-if weight, apply, reset) above one QCustomPlot laid
// out as title / heatmap with its colour scale / the three ExplainCurves plots / legend. The
// heatmap is one QCPColorMap: key = step (or feature), value = the row of a method (row 0 at
// the top), every row on the same 0..max scale.
#include "widgets/explainview.h"

#include "widgets/explaincurves.h"
#include "widgets/plottheme.h"
#include "widgets/plotutil.h"

#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QMouseEvent>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

namespace attn {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool complete(const Grid &g)
{
    return !g.empty() && std::size_t(g.rows) * std::size_t(g.cols) == g.values.size();
}

// Row r of g as |g| / sum |g| (an attribution's share of the row); empty if r is not in g.
std::vector<float> shares(const Grid &g, int r)
{
    if (!complete(g) || r < 0 || r >= g.rows)
        return {};
    std::vector<float> out(std::size_t(g.cols));
    double sum = 0.0;
    for (int c = 0; c < g.cols; ++c)
        sum += std::abs(double(g.at(r, c)));
    for (int c = 0; c < g.cols; ++c)
        out[std::size_t(c)] = sum > 0 ? float(std::abs(double(g.at(r, c))) / sum) : 0.0f;
    return out;
}

std::vector<float> rowOf(const Grid &g, int r)
{
    if (!complete(g) || r < 0 || r >= g.rows)
        return {};
    return std::vector<float>(g.values.begin() + std::ptrdiff_t(r) * g.cols,
                              g.values.begin() + std::ptrdiff_t(r + 1) * g.cols);
}

} // namespace

std::vector<float> renormalisedWeights(const std::vector<float> &row, const std::vector<bool> &real,
                                       int step, double value)
{
    if (step < 0 || step >= int(row.size()) || step >= int(real.size()) || !real[std::size_t(step)])
        return row;
    const double v = std::clamp(value, 0.0, 1.0);
    double others = 0.0;
    int count = 0;
    for (std::size_t i = 0; i < row.size(); ++i)
        if (int(i) != step && i < real.size() && real[i]) {
            others += std::max(0.0, double(row[i]));
            ++count;
        }
    std::vector<float> out(row.size(), 0.0f);
    for (std::size_t i = 0; i < row.size(); ++i) {
        if (int(i) == step)
            out[i] = count > 0 ? float(v) : 1.0f; // the only real step keeps all the weight
        else if (i < real.size() && real[i])
            out[i] = float(others > 0 ? (1.0 - v) * std::max(0.0, double(row[i])) / others
                                      : (1.0 - v) / count);
    }
    return out;
}

ExplainView::ExplainView(QWidget *parent)
    : QWidget(parent), m_plot(new QCustomPlot(this))
{
    m_gradient = colorMapGradient(m_colorMapKind); // m_colorMapKind is declared after m_gradient
    m_gradient.setNanHandling(QCPColorGradient::nhTransparent);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 0);
    auto *controls = new QHBoxLayout;
    m_rowBox = new QSpinBox;
    m_rowBox->setRange(0, 0);
    m_rowBox->setToolTip(tr("The probe row shown (0-based, as in the heatmap)"));
    controls->addWidget(new QLabel(tr("Probe row")));
    controls->addWidget(m_rowBox);
    controls->addSpacing(24);
    controls->addWidget(new QLabel(tr("What-if: click a step of the attention row, weight")));
    m_weightBox = new QDoubleSpinBox;
    m_weightBox->setRange(0.0, 1.0);
    m_weightBox->setDecimals(3);
    m_weightBox->setSingleStep(0.05);
    m_weightBox->setEnabled(false);
    controls->addWidget(m_weightBox);
    m_apply = new QPushButton(tr("Apply"));
    m_reset = new QPushButton(tr("Reset"));
    m_apply->setEnabled(false);
    m_reset->setEnabled(false);
    controls->addWidget(m_apply);
    controls->addWidget(m_reset);
    controls->addStretch(1);
    layout->addLayout(controls);
    m_whatIf = new QLabel;
    m_whatIf->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_whatIf);
    layout->addWidget(m_plot, 1);

    QCPLayoutGrid *top = m_plot->plotLayout();
    top->clear();
    QFont titleFont = font();
    titleFont.setPointSizeF(titleFont.pointSizeF() + 2.0);
    titleFont.setBold(true);
    m_title = new QCPTextElement(m_plot, QString(), titleFont);
    top->addElement(0, 0, m_title);
    auto *heat = new QCPLayoutGrid;
    top->addElement(1, 0, heat);
    m_heatRect = new QCPAxisRect(m_plot);
    heat->addElement(0, 0, m_heatRect);
    m_scale = new QCPColorScale(m_plot);
    heat->addElement(0, 1, m_scale);
    m_scale->setType(QCPAxis::atRight);
    m_scale->setBarWidth(14);
    m_scale->setRangeDrag(false);
    m_scale->setRangeZoom(false);
    m_scale->setGradient(m_gradient);
    m_map = new QCPColorMap(m_heatRect->axis(QCPAxis::atBottom), m_heatRect->axis(QCPAxis::atLeft));
    m_map->setColorScale(m_scale);
    m_map->setGradient(m_gradient);
    m_map->setInterpolate(false);
    m_heatRect->axis(QCPAxis::atLeft)->setRangeReversed(true); // row 0 at the top
    m_heatRect->axis(QCPAxis::atBottom)->setTicker(integerTicker());
    auto *curvesRow = new QCPLayoutGrid;
    top->addElement(2, 0, curvesRow);
    // clear() deleted the default axis rect and its legend: a new one in its own row, made
    // before the curves so their graphs enter it.
    auto *legendRow = new QCPLayoutGrid;
    top->addElement(3, 0, legendRow);
    m_plot->legend = new QCPLegend;
    legendRow->addElement(0, 0, m_plot->legend);
    m_plot->legend->setLayer(QStringLiteral("legend"));
    QFont panelFont = font();
    panelFont.setBold(true);
    m_curves = std::make_unique<ExplainCurves>(m_plot, curvesRow, panelFont);
    m_plot->legend->setVisible(true);
    m_plot->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    m_plot->legend->setWrap(8);
    m_plot->legend->setBorderPen(Qt::NoPen);
    m_plot->legend->setBrush(Qt::NoBrush);
    legendRow->setMargins(QMargins(0, 0, 0, 4));
    top->setRowStretchFactor(0, 0.01);
    top->setRowStretchFactor(1, 1.0);
    top->setRowStretchFactor(2, 1.1);
    top->setRowStretchFactor(3, 0.01);
    top->setRowSpacing(4);

    connect(m_rowBox, &QSpinBox::valueChanged, this, &ExplainView::setProbeRow);
    connect(m_apply, &QPushButton::clicked, this, [this] { applyWeight(m_weightBox->value()); });
    connect(m_reset, &QPushButton::clicked, this, &ExplainView::resetWhatIf);
    connect(m_plot, &QCustomPlot::mousePress, this, &ExplainView::onPlotClick);
    m_columnLabel = tr("time step");
    applyTheme();
    clear();
}

ExplainView::~ExplainView() = default;

void ExplainView::appendEpoch(const EpochSnapshot &s)
{
    if (!s.faithfulness)
        return;
    while (!m_points.empty() && m_points.back().first >= s.epoch)
        m_points.pop_back();
    m_points.emplace_back(s.epoch, *s.faithfulness);
    m_curves->setPoints(m_points);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void ExplainView::setHistory(const std::vector<EpochSnapshot> &history)
{
    m_points.clear();
    for (const EpochSnapshot &s : history)
        if (s.faithfulness)
            m_points.emplace_back(s.epoch, *s.faithfulness);
    m_curves->setPoints(m_points);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void ExplainView::setSnapshot(const EpochSnapshot &s)
{
    if (!m_hasSnapshot || s.epoch != m_snapshot.epoch) {
        m_edited.clear();
        m_whatIfText.clear();
    }
    m_snapshot = s;
    m_hasSnapshot = true;
    m_curves->setMarkerEpoch(s.epoch);
    const int P = s.faithfulness ? s.faithfulness->probeGradient.rows : 0;
    {
        const QSignalBlocker block(m_rowBox);
        m_rowBox->setRange(0, std::max(0, P - 1));
    }
    m_row = std::clamp(m_row, 0, std::max(0, P - 1));
    showSnapshot();
}

void ExplainView::clear()
{
    m_snapshot = EpochSnapshot{};
    m_hasSnapshot = false;
    m_points.clear();
    m_curves->setPoints(m_points);
    m_curves->setMarkerEpoch(-1);
    m_step = -1;
    m_edited.clear();
    m_whatIfText.clear();
    showSnapshot();
}

void ExplainView::setColumnLabel(const QString &label)
{
    m_columnLabel = label;
    showSnapshot();
}

void ExplainView::setProbeRow(int row)
{
    const int P = m_snapshot.faithfulness ? m_snapshot.faithfulness->probeGradient.rows : 0;
    const int clamped = std::clamp(row, 0, std::max(0, P - 1));
    if (clamped != m_row) {
        m_edited.clear();
        m_whatIfText.clear();
        m_step = -1;
    }
    m_row = clamped;
    const QSignalBlocker block(m_rowBox);
    m_rowBox->setValue(m_row);
    showSnapshot();
}

int ExplainView::probeRow() const { return m_row; }

QString ExplainView::title() const { return m_title->text(); }

std::vector<float> ExplainView::rowValues(Row row) const
{
    if (!m_hasSnapshot || !m_snapshot.faithfulness)
        return {};
    const FaithfulnessSummary &f = *m_snapshot.faithfulness;
    switch (row) {
    case Attention: return rowOf(m_snapshot.attention, m_row);
    case Gradient: return shares(f.probeGradient, m_row);
    case InputXGradient: return shares(f.probeInputXGradient, m_row);
    case LeaveOneOut: return shares(f.probeLeaveOneOut, m_row);
    case IntegratedGradients: return shares(f.probeIntegratedGradients, m_row);
    case GroundTruth: return rowOf(m_snapshot.groundTruth, m_row);
    case EditedAttention: return m_edited;
    }
    return {};
}

std::vector<bool> ExplainView::realSteps() const
{
    const int U = m_snapshot.faithfulness ? m_snapshot.faithfulness->probeGradient.cols : 0;
    std::vector<bool> real(std::size_t(std::max(0, U)), true);
    if (m_row < int(m_snapshot.probeTokens.size())) { // sentiment: "" is padding
        const auto &words = m_snapshot.probeTokens[std::size_t(m_row)];
        for (std::size_t t = 0; t < real.size() && t < words.size(); ++t)
            real[t] = !words[t].empty();
    }
    return real;
}

std::vector<ExplainView::Row> ExplainView::rows() const { return m_rows; }

void ExplainView::showSnapshot()
{
    const PlotTheme theme = PlotTheme::forDark(m_dark);
    m_rows.clear();
    const bool measured = m_hasSnapshot && m_snapshot.faithfulness &&
                          complete(m_snapshot.faithfulness->probeGradient);
    if (measured)
        for (Row r : {Attention, Gradient, InputXGradient, LeaveOneOut, IntegratedGradients,
                      GroundTruth, EditedAttention})
            if (!rowValues(r).empty())
                m_rows.push_back(r);
    const int U = measured ? m_snapshot.faithfulness->probeGradient.cols : 0;
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    double top = 0.0;
    if (m_rows.empty()) {
        m_map->data()->clear();
        m_map->setVisible(false);
    } else {
        m_map->setVisible(true);
        m_map->data()->setSize(U, int(m_rows.size()));
        m_map->data()->setRange(QCPRange(0, std::max(1, U - 1)), QCPRange(0, std::max<int>(1, int(m_rows.size()) - 1)));
        if (U == 1 || m_rows.size() == 1) // a range needs two cells; centre single cells on 0
            m_map->data()->setRange(QCPRange(0, U == 1 ? 0 : U - 1), QCPRange(0, double(m_rows.size()) - 1));
        for (std::size_t i = 0; i < m_rows.size(); ++i) {
            const std::vector<float> v = rowValues(m_rows[i]);
            for (int c = 0; c < U; ++c) {
                const double value = c < int(v.size()) ? double(v[std::size_t(c)]) : kNaN;
                m_map->data()->setCell(c, int(i), value);
                if (m_rows[i] != GroundTruth && std::isfinite(value))
                    top = std::max(top, value);
            }
            const QString name = m_rows[i] == GroundTruth     ? tr("ground truth")
                                 : m_rows[i] == EditedAttention ? tr("edited attention")
                                                                : ExplainCurves::methodName(int(m_rows[i]));
            ticker->addTick(double(i), name);
        }
    }
    if (top <= 0)
        top = 1.0;
    m_scale->setDataRange(QCPRange(0.0, top));
    // Short: the heatmap is only a few rows tall, and the title says what the share is.
    m_scale->axis()->setLabel(tr("share"));
    m_map->setDataRange(QCPRange(0.0, top));
    m_scale->setVisible(!m_rows.empty());
    QCPAxis *x = m_heatRect->axis(QCPAxis::atBottom), *y = m_heatRect->axis(QCPAxis::atLeft);
    y->setTicker(ticker);
    y->setRange(-0.5, std::max<double>(0.5, double(m_rows.size()) - 0.5));
    x->setRange(-0.5, std::max(0.5, U - 0.5));
    x->setLabel(m_columnLabel);

    QString text;
    if (!m_hasSnapshot)
        text = tr("No epoch finished yet");
    else if (!measured)
        text = tr("Epoch %1: no attributions. Tick Explain before training (or run with --explain)")
                   .arg(m_snapshot.epoch);
    else {
        text = tr("Epoch %1 / %2, probe row %3: attention and attributions (|a| as a share of the row)")
                   .arg(m_snapshot.epoch)
                   .arg(m_snapshot.totalEpochs)
                   .arg(m_row);
        if (m_snapshot.attention.empty())
            text += QStringLiteral("      ") + tr("this model has no attention");
    }
    m_title->setText(text);
    m_title->setTextColor(measured ? theme.foreground : theme.muted);
    const bool editable = measured && !m_snapshot.attention.empty();
    m_weightBox->setEnabled(editable && m_step >= 0);
    m_apply->setEnabled(editable && m_step >= 0);
    m_reset->setEnabled(!m_edited.empty());
    m_whatIf->setText(whatIfText());
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

double ExplainView::cellValue(int row, int col) const
{
    const auto it = std::find(m_rows.begin(), m_rows.end(), Row(row));
    if (it == m_rows.end() || col < 0 || col >= m_map->data()->keySize())
        return kNaN;
    return m_map->data()->cell(col, int(it - m_rows.begin()));
}

QColor ExplainView::cellColor(int row, int col) const
{
    const double v = cellValue(row, col);
    if (!std::isfinite(v))
        return {};
    QCPColorGradient gradient = m_gradient; // color() is not const
    return QColor::fromRgba(gradient.color(v, m_map->dataRange()));
}

QCPRange ExplainView::colorRange() const { return m_map->dataRange(); }

void ExplainView::selectStep(int step)
{
    const std::vector<float> a = rowValues(Attention);
    const std::vector<bool> real = realSteps();
    if (step < 0 || step >= int(a.size()) || step >= int(real.size()) || !real[std::size_t(step)]) {
        m_step = -1;
    } else {
        m_step = step;
        const std::vector<float> &shown = m_edited.empty() ? a : m_edited;
        const QSignalBlocker block(m_weightBox);
        m_weightBox->setValue(double(shown[std::size_t(step)]));
    }
    showSnapshot();
}

bool ExplainView::applyWeight(double weight)
{
    const std::vector<float> a = rowValues(Attention);
    if (m_step < 0 || a.empty())
        return false;
    m_edited = renormalisedWeights(m_edited.empty() ? a : m_edited, realSteps(), m_step, weight);
    m_whatIfText = tr("Computing the output under the edited attention...");
    showSnapshot();
    emit whatIfRequested(m_snapshot.epoch, m_row, m_edited);
    return true;
}

void ExplainView::showWhatIf(int row, const std::vector<float> &weights, double original,
                             double edited, int modelEpoch, const QString &error)
{
    if (row != m_row || weights != m_edited || m_edited.empty())
        return;
    if (!error.isEmpty()) {
        m_whatIfText = tr("What-if failed: %1").arg(error);
    } else {
        m_whatIfText = tr("Probe row %1, output %2 with the attention as trained, %3 with the edited "
                          "attention (weights of epoch %4)")
                           .arg(row)
                           .arg(original, 0, 'g', 4)
                           .arg(edited, 0, 'g', 4)
                           .arg(modelEpoch);
        if (row < int(m_snapshot.probeTargets.size()))
            m_whatIfText += tr("; target %1").arg(double(m_snapshot.probeTargets[std::size_t(row)]), 0, 'g', 4);
        if (modelEpoch != m_snapshot.epoch)
            m_whatIfText += tr(" (the epoch shown is %1: only the newest weights are kept)").arg(m_snapshot.epoch);
    }
    m_whatIf->setText(m_whatIfText);
}

void ExplainView::resetWhatIf()
{
    m_edited.clear();
    m_whatIfText.clear();
    if (m_step >= 0) {
        const std::vector<float> a = rowValues(Attention);
        const QSignalBlocker block(m_weightBox);
        if (m_step < int(a.size()))
            m_weightBox->setValue(double(a[std::size_t(m_step)]));
    }
    showSnapshot();
}

QString ExplainView::whatIfText() const { return m_whatIfText; }

void ExplainView::onPlotClick(QMouseEvent *event)
{
    if (m_rows.empty() || !m_heatRect->rect().contains(event->position().toPoint()))
        return;
    const double key = m_heatRect->axis(QCPAxis::atBottom)->pixelToCoord(event->position().x());
    const double value = m_heatRect->axis(QCPAxis::atLeft)->pixelToCoord(event->position().y());
    const int col = int(std::lround(key)), row = int(std::lround(value));
    if (row >= 0 && row < int(m_rows.size()) &&
        (m_rows[std::size_t(row)] == Attention || m_rows[std::size_t(row)] == EditedAttention))
        selectStep(col);
}

void ExplainView::setDark(bool dark)
{
    m_dark = dark;
    applyTheme();
    showSnapshot();
}

void ExplainView::setColorMap(ColorMapKind kind)
{
    m_colorMapKind = kind;
    m_gradient = colorMapGradient(kind);
    m_gradient.setNanHandling(QCPColorGradient::nhTransparent);
    m_map->setGradient(m_gradient);
    m_scale->setGradient(m_gradient);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

bool ExplainView::savePng(const QString &path, int width, int height, double scale, QString *error)
{
    return savePlotPng(m_plot, path, width, height, scale, error);
}

bool ExplainView::savePdf(const QString &path, int width, int height, QString *error)
{
    return savePlotPdf(m_plot, path, width, height, m_title->text(), error);
}

void ExplainView::applyTheme()
{
    PlotTheme::forDark(m_dark).apply(m_plot);
    for (QCPItemStraightLine *line : m_curves->markers())
        line->setPen(QPen(PlotTheme::forDark(m_dark).muted, 1.0, Qt::DashLine));
}

} // namespace attn
