// SPDX-License-Identifier: GPL-3.0-or-later
// RunHistory's session and model files (app/session/sessionfile.h, core/io/modelfile.h).
#include "app/session/runhistory.h"

#include "core/savedmodel/trainedmodel.h"

#include <QDir>
#include <QFileInfo>

#include <exception>
#include <memory>
#include <utility>

int RunHistory::restoredIndex() const
{
    const int epoch = m_model ? m_model->epoch : 0;
    if (m_snapshots.empty() || epoch <= 0 || epoch >= trainedEpochs() || epoch != back().bestEpoch)
        return -1;
    for (int i = 0; i < size(); ++i)
        if (at(i).epoch == epoch)
            return i;
    return -1;
}

int RunHistory::plannedEpochs() const
{
    return !m_snapshots.empty() && back().totalEpochs > 0 ? back().totalEpochs : m_settings.train.epochs;
}

bool RunHistory::ranToTheEnd() const
{
    return trainedEpochs() > 0 && (trainedEpochs() >= plannedEpochs() || restoredIndex() >= 0);
}

bool RunHistory::save(const QString &path, QString *error) const
{
    Session session;
    session.settings = m_settings;
    session.history = m_snapshots;
    if (m_model) {
        const QFileInfo info(path);
        session.model = info.dir().filePath(info.completeBaseName());
        try {
            attn::saveTrainedModel(*m_model, session.model.toStdString());
        } catch (const std::exception &e) {
            *error = QString::fromUtf8(e.what());
            return false;
        }
    }
    return saveSession(path, session, error);
}

std::optional<RunHistory::Loaded> RunHistory::read(const QString &path, QString *error)
{
    std::optional<Session> session = loadSession(path, error);
    if (!session)
        return std::nullopt;
    Loaded loaded{std::move(*session), nullptr};
    if (!loaded.session.model.isEmpty()) {
        try {
            loaded.model = std::make_shared<const attn::TrainedModel>(
                attn::loadTrainedModel(loaded.session.model.toStdString()));
        } catch (const std::exception &e) {
            *error = QString::fromUtf8(e.what());
            return std::nullopt;
        }
        const attn::TaskKind modelTask = loaded.model->spec.task;
        const attn::TaskKind sessionTask = loaded.session.settings.task;
        if (modelTask != sessionTask) {
            *error = QStringLiteral("%1: the model %2 was trained on the %3 task, the session's "
                                    "run is on the %4 task")
                         .arg(path, loaded.session.model,
                              QString::fromStdString(attn::toString(modelTask)),
                              QString::fromStdString(attn::toString(sessionTask)));
            return std::nullopt;
        }
    }
    return loaded;
}

void RunHistory::adopt(Loaded &&loaded)
{
    m_settings = loaded.session.settings;
    m_model = std::move(loaded.model);
    m_snapshots = std::move(loaded.session.history);
}

bool RunHistory::saveModel(const QString &path, QString *error) const
{
    try {
        attn::saveTrainedModel(*m_model, path.toStdString());
    } catch (const std::exception &e) {
        *error = QString::fromUtf8(e.what());
        return false;
    }
    return true;
}

TrainedModelPtr RunHistory::readModel(const QString &path, QString *error)
{
    try {
        return std::make_shared<const attn::TrainedModel>(attn::loadTrainedModel(path.toStdString()));
    } catch (const std::exception &e) {
        *error = QString::fromUtf8(e.what());
        return nullptr;
    }
}
