// SPDX-License-Identifier: GPL-3.0-or-later
// AttentionViews: the tabs of the attention views (heatmap, feature weights, sentences,
// self-attention maps, series, explain), each an attn::AttentionView. It shows the tabs that apply to the task
// and mechanism, brings the run's own view to the front, and shows, clears, restyles and
// exports the views in one loop.
#pragma once

#include "app/session/runsettings.h"
#include "app/session/trainingworker.h"
#include "core/snapshot/snapshot.h"
#include "widgets/colormap.h"

#include <QTabWidget>

#include <functional>
#include <optional>
#include <utility>
#include <vector>

namespace attn {
class AttentionView;
class ExplainView;
class FeatureWeightsView;
class HeatmapView;
class SelfAttentionView;
class SentenceView;
}

class WhatIfJob;

class AttentionViews : public QTabWidget {
    Q_OBJECT
public:
    explicit AttentionViews(QWidget *parent = nullptr);

    attn::HeatmapView *heatmap() const { return m_heatmap; }
    attn::SentenceView *sentences() const { return m_sentences; }
    /// The Explain tab (attributions and faithfulness, --explain); shown for every task.
    attn::ExplainView *explain() const { return m_explain; }
    /// The view of the tab in front.
    attn::AttentionView *currentView() const;
    /// Shows the tabs of the views that apply to task and attention (the heatmap always).
    void showTabsFor(attn::TaskKind task, attn::AttentionKind attention);
    /// Clears every view (for a new run or session) and, when run's task or mechanism differs
    /// from the last call's, brings run's own view to the front.
    void clearFor(const RunSettings &run);
    /// Shows s in every view that can show a snapshot of run.
    void setSnapshot(const attn::EpochSnapshot &s, const RunSettings &run);
    void setColorMap(attn::ColorMapKind kind);
    /// The attention's colour scale in the heatmap (and so its exports) and the sentence view:
    /// 0..the largest weight shown (on) or the fixed 0..1 scale (off, the default).
    void setScaleToLargestWeight(bool on);
    /// The heatmap's colour map (every view that has one uses the same).
    attn::ColorMapKind colorMapKind() const;
    void setDark(bool dark);
    /// Where the Explain view's what-if takes its weights: the window's newest TrainedModel
    /// copy (never the worker's live model). The what-if runs in a WhatIfJob (app/gui/whatifjob.h).
    void setTrainedModelSource(std::function<TrainedModelPtr()> source);
    WhatIfJob *whatIfJob() const { return m_whatIf; }

private:
    void onWhatIfRequested(int epoch, int row, const std::vector<float> &weights);

    struct Entry {
        attn::AttentionView *view;
        /// The view's tab is shown (and is the run's own view) for these settings.
        std::function<bool(attn::TaskKind, attn::AttentionKind)> applies;
        /// The view takes this snapshot of a run of that task.
        std::function<bool(const attn::EpochSnapshot &, attn::TaskKind)> shows;
    };

    attn::HeatmapView *m_heatmap = nullptr;
    attn::SentenceView *m_sentences = nullptr;
    attn::ExplainView *m_explain = nullptr;
    std::vector<Entry> m_views; // in tab order; the heatmap first
    WhatIfJob *m_whatIf = nullptr;
    std::function<TrainedModelPtr()> m_modelSource;
    attn::EpochSnapshot m_shown; // the snapshot shown, for the what-if
    std::optional<std::pair<attn::TaskKind, attn::AttentionKind>> m_clearedFor; // the last clearFor's run
};
