// SPDX-License-Identifier: GPL-3.0-or-later
// RunHistory: the run the window shows: its settings, every epoch's snapshot (for the timeline,
// the curves and the exports) and the newest model (for File > Save model and Predict), with the
// session (.attnsession) and model files that save and reopen them. Qt Core only.
#pragma once

#include "app/session/runsettings.h"
#include "app/session/sessionfile.h"
#include "app/session/trainingworker.h"
#include "core/snapshot/snapshot.h"

#include <QString>

#include <optional>
#include <vector>

class RunHistory {
public:
    /// A session read from disk with its model (null when it has none), not yet shown.
    struct Loaded {
        Session session;
        TrainedModelPtr model;
    };

    /// The settings of the run shown (set when a run starts or a session opens).
    const RunSettings &settings() const { return m_settings; }
    void setSettings(const RunSettings &settings) { m_settings = settings; }
    /// Every stored epoch's snapshot, oldest first.
    const std::vector<attn::EpochSnapshot> &snapshots() const { return m_snapshots; }
    bool empty() const { return m_snapshots.empty(); }
    int size() const { return int(m_snapshots.size()); }
    const attn::EpochSnapshot &at(int index) const { return m_snapshots[std::size_t(index)]; }
    const attn::EpochSnapshot &back() const { return m_snapshots.back(); }
    /// The epochs trained: the newest snapshot's epoch (epoch 0, the untrained one, does not
    /// count); 0 when empty. Live and reopened runs both count this way.
    int trainedEpochs() const { return m_snapshots.empty() ? 0 : m_snapshots.back().epoch; }
    /// The index of the epoch whose weights early stopping restored, else -1: the model's epoch
    /// when it is the newest snapshot's bestEpoch, before the newest epoch and stored. What a
    /// finished or reopened run shows. A stopped run's model holds its newest weights: -1, even
    /// when an earlier epoch had the lowest validation loss.
    int restoredIndex() const;
    /// The epochs the run was set to train: the newest snapshot's totalEpochs (resolved from
    /// "auto"), else the settings' (0 = auto, not yet resolved).
    int plannedEpochs() const;
    /// The run trained plannedEpochs() or early stopping ended it (restoredIndex() >= 0); false
    /// for a run stopped before, or none.
    bool ranToTheEnd() const;
    /// Stores the next epoch's snapshot.
    void append(const attn::EpochSnapshot &s) { m_snapshots.push_back(s); }
    /// Forgets every snapshot (a new run); the model stays until the run sends a new one.
    void clear() { m_snapshots.clear(); }
    /// The newest epoch's weights, or a loaded model; may be null.
    const TrainedModelPtr &model() const { return m_model; }
    void setModel(const TrainedModelPtr &model) { m_model = model; }

    /// Saves the settings, every snapshot and the model (NAME.safetensors and NAME.json beside
    /// NAME.attnsession) to path. Returns false and sets *error on failure.
    bool save(const QString &path, QString *error) const;
    /// Reads the session at path and its model (safe on any thread); nullopt with *error set when either is bad or
    /// the model belongs to another task than the session's run ("PATH: the model NAME was
    /// trained on the add task, the session's run is on the max task").
    static std::optional<Loaded> read(const QString &path, QString *error);
    /// Shows a session read by read(): its settings, snapshots and model replace this run's.
    void adopt(Loaded &&loaded);
    /// Writes the model to NAME.safetensors / NAME.json of path; false and *error on failure.
    bool saveModel(const QString &path, QString *error) const;
    /// Reads the model saved at path (NAME.json and its weights, the model built once); null
    /// with *error set on failure. Touches no RunHistory: safe on any thread.
    static TrainedModelPtr readModel(const QString &path, QString *error);

private:
    RunSettings m_settings;
    std::vector<attn::EpochSnapshot> m_snapshots;
    TrainedModelPtr m_model;
};
