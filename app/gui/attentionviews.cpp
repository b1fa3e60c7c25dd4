// SPDX-License-Identifier: GPL-3.0-or-later
// The attention view tabs and which task, mechanism and snapshot each view is for.
#include "app/gui/attentionviews.h"

#include "app/gui/whatifjob.h"

#include "widgets/attentionview.h"
#include "widgets/autoencoderview.h"
#include "widgets/explainview.h"
#include "widgets/featureweightsview.h"
#include "widgets/heatmapview.h"
#include "widgets/selfattentionview.h"
#include "widgets/seriesview.h"
#include "widgets/transformergridview.h"
#include "widgets/sentenceview.h"

using attn::AttentionKind;
using attn::EpochSnapshot;
using attn::TaskKind;

AttentionViews::AttentionViews(QWidget *parent)
    : QTabWidget(parent), m_heatmap(new attn::HeatmapView), m_sentences(new attn::SentenceView),
      m_explain(new attn::ExplainView)
{
    setDocumentMode(true);
    const auto always = [](TaskKind, AttentionKind) { return true; };
    const auto task = [](TaskKind t) {
        return [t](const EpochSnapshot &, TaskKind run) { return run == t; };
    };
    m_views = {
        {m_heatmap, always, [](const EpochSnapshot &, TaskKind) { return true; }},
        {new attn::FeatureWeightsView, [](TaskKind t, AttentionKind) { return t == TaskKind::Feature; },
         task(TaskKind::Feature)},
        {new attn::AutoencoderView,
         [](TaskKind t, AttentionKind a) { return t == TaskKind::Autoencoder && a != AttentionKind::None; },
         task(TaskKind::Autoencoder)},
        {m_sentences, [](TaskKind t, AttentionKind) { return t == TaskKind::Sentiment; },
         task(TaskKind::Sentiment)},
        {new attn::SelfAttentionView,
         [](TaskKind, AttentionKind a) {
             return a == AttentionKind::SelfAttention || a == AttentionKind::Transformer;
         },
         [](const EpochSnapshot &s, TaskKind) { return !s.headMaps.empty(); }},
        {new attn::SeriesView, [](TaskKind t, AttentionKind) { return t == TaskKind::Csv; },
         task(TaskKind::Csv)},
        {new attn::TransformerGridView,
         [](TaskKind, AttentionKind a) { return a == AttentionKind::Transformer; },
         [](const EpochSnapshot &s, TaskKind) { return !s.headMaps.empty() && s.headLayers > 1; }},
        // The autoencoder has no faithfulness measures (core/train/trainer.cpp): no Explain tab.
        {m_explain, [](TaskKind t, AttentionKind) { return t != TaskKind::Autoencoder; },
         [](const EpochSnapshot &, TaskKind) { return true; }},
    };
    const QString titles[] = {tr("Heatmap"), tr("Feature weights"), tr("Autoencoder"), tr("Sentences"),
                              tr("Self-attention maps"), tr("Series"), tr("Layers × heads"),
                              tr("Explain")};
    for (std::size_t i = 0; i < m_views.size(); ++i)
        addTab(m_views[i].view->widget(), titles[i]);
    m_whatIf = new WhatIfJob(this);
    connect(m_explain, &attn::ExplainView::whatIfRequested, this, &AttentionViews::onWhatIfRequested);
    connect(m_whatIf, &WhatIfJob::finished, this, [this](const WhatIfJob::Result &r) {
        m_explain->showWhatIf(r.row, r.weights, r.answer.original, r.answer.edited,
                              r.answer.modelEpoch, r.answer.error);
    });
}

void AttentionViews::setTrainedModelSource(std::function<TrainedModelPtr()> source)
{
    m_modelSource = std::move(source);
}

void AttentionViews::onWhatIfRequested(int epoch, int row, const std::vector<float> &weights)
{
    if (epoch != m_shown.epoch)
        return;
    m_whatIf->start(m_modelSource ? m_modelSource() : TrainedModelPtr(), m_shown, row, weights);
}

attn::AttentionView *AttentionViews::currentView() const
{
    for (const Entry &e : m_views)
        if (e.view->widget() == currentWidget())
            return e.view;
    return m_views.front().view;
}

void AttentionViews::showTabsFor(TaskKind task, AttentionKind attention)
{
    for (std::size_t i = 1; i < m_views.size(); ++i)
        setTabVisible(int(i), m_views[i].applies(task, attention));
}

void AttentionViews::clearFor(const RunSettings &run)
{
    // Another task or mechanism: its own view in front (the first one made for it, else the
    // heatmap). The same again (Train, Restart, Reset) keeps the tab the user is looking at.
    const std::pair<TaskKind, AttentionKind> kind{run.task, run.model.attention};
    if (kind != m_clearedFor) {
        QWidget *main = m_heatmap;
        for (std::size_t i = 1; i < m_views.size(); ++i)
            if (m_views[i].view != m_explain && m_views[i].applies(run.task, run.model.attention)) {
                main = m_views[i].view->widget();
                break;
            }
        setCurrentWidget(main);
        m_clearedFor = kind;
    }
    for (const Entry &e : m_views)
        e.view->clear();
    m_explain->setColumnLabel(run.task == TaskKind::Feature ? tr("feature") : tr("time step"));
}

void AttentionViews::setSnapshot(const EpochSnapshot &s, const RunSettings &run)
{
    m_shown = s;
    for (const Entry &e : m_views)
        if (e.shows(s, run.task))
            e.view->setSnapshot(s);
}

void AttentionViews::setColorMap(attn::ColorMapKind kind)
{
    for (const Entry &e : m_views)
        e.view->setColorMap(kind);
}

void AttentionViews::setScaleToLargestWeight(bool on)
{
    const attn::WeightScale scale{on ? attn::WeightScale::Mode::LargestWeight : attn::WeightScale::Mode::Fixed};
    m_heatmap->setWeightScale(scale);
    m_sentences->setWeightScale(scale);
}

attn::ColorMapKind AttentionViews::colorMapKind() const { return m_heatmap->colorMapKind(); }

void AttentionViews::setDark(bool dark)
{
    for (const Entry &e : m_views)
        e.view->setDark(dark);
}
