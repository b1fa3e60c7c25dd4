// SPDX-License-Identifier: GPL-3.0-or-later
// AttentionViews: the tabs of the attention views (heatmap, feature weights, sentences,
// self-attention maps, series), each an attn::AttentionView. It shows the tabs that apply to the task
// and mechanism, brings the run's own view to the front, and shows, clears, restyles and
// exports the views in one loop.
#pragma once

#include "app/session/runsettings.h"
#include "core/snapshot/snapshot.h"
#include "widgets/colormap.h"

#include <QTabWidget>

#include <functional>
#include <vector>

namespace attn {
class AttentionView;
class FeatureWeightsView;
class HeatmapView;
class SelfAttentionView;
class SentenceView;
}

class AttentionViews : public QTabWidget {
    Q_OBJECT
public:
    explicit AttentionViews(QWidget *parent = nullptr);

    attn::HeatmapView *heatmap() const { return m_heatmap; }
    attn::SentenceView *sentences() const { return m_sentences; }
    /// The view of the tab in front.
    attn::AttentionView *currentView() const;
    /// Shows the tabs of the views that apply to task and attention (the heatmap always).
    void showTabsFor(attn::TaskKind task, attn::AttentionKind attention);
    /// Clears every view and brings run's own view to the front (for a new run or session).
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

private:
    struct Entry {
        attn::AttentionView *view;
        /// The view's tab is shown (and is the run's own view) for these settings.
        std::function<bool(attn::TaskKind, attn::AttentionKind)> applies;
        /// The view takes this snapshot of a run of that task.
        std::function<bool(const attn::EpochSnapshot &, attn::TaskKind)> shows;
    };

    attn::HeatmapView *m_heatmap = nullptr;
    attn::SentenceView *m_sentences = nullptr;
    std::vector<Entry> m_views; // in tab order; the heatmap first
};
