// SPDX-License-Identifier: GPL-3.0-or-later
// RunHistory's session files with their model: a session saved with a model of its own task
// opens with that model; a session whose model was trained on another task (a crafted file: an
// add session beside a max model) is refused with a message naming both tasks. Which epoch a
// run's model restored (only early stopping's, never a stopped run's) and whether it ran to the end.
#include "app/session/runhistory.h"

#include "core/savedmodel/trainedmodel.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

namespace {

/// The untrained weights of a small run of task (as the worker captures them at epoch 0).
TrainedModelPtr untrainedModel(attn::TaskKind task)
{
    RunSettings s = RunSettings::defaults(task);
    s.model.hidden = 8;
    s.model.attentionUnits = 8;
    s.size = {256, 64};
    attn::ModelSpec spec;
    auto trainer = makeTrainer(s, &spec);
    return attn::captureTrainedModel(trainer->model(), spec, 0);
}

} // namespace

class TestRunHistory : public QObject {
    Q_OBJECT
private slots:
    void sessionOpensWithItsModel();
    void modelOfAnotherTaskIsRefused();
    void restoredIndexIsTheBestStoredEpoch();

private:
    QTemporaryDir m_dir;
};

void TestRunHistory::sessionOpensWithItsModel()
{
    RunHistory history;
    history.setSettings(RunSettings::defaults(attn::TaskKind::Max));
    history.setModel(untrainedModel(attn::TaskKind::Max));
    const QString path = m_dir.filePath("max.attnsession");
    QString error;
    QVERIFY2(history.save(path, &error), qPrintable(error));
    const std::optional<RunHistory::Loaded> loaded = RunHistory::read(path, &error);
    QVERIFY2(loaded, qPrintable(error));
    QVERIFY(loaded->model);
    QVERIFY(loaded->model->spec.task == attn::TaskKind::Max);
    QVERIFY(loaded->session.settings.task == attn::TaskKind::Max);
}

void TestRunHistory::modelOfAnotherTaskIsRefused()
{
    // The session's settings say add; the model beside it (mixed.safetensors / mixed.json) is a
    // valid max model that loads on its own.
    RunHistory history;
    history.setSettings(RunSettings::defaults(attn::TaskKind::Add));
    history.setModel(untrainedModel(attn::TaskKind::Max));
    const QString path = m_dir.filePath("mixed.attnsession");
    QString error;
    QVERIFY2(history.save(path, &error), qPrintable(error));
    QVERIFY(QFile::exists(m_dir.filePath("mixed.json")));
    QVERIFY(attn::loadTrainedModel(m_dir.filePath("mixed").toStdString()).spec.task ==
            attn::TaskKind::Max);

    error.clear();
    QVERIFY(!RunHistory::read(path, &error));
    QCOMPARE(error, QString("%1: the model %2 was trained on the max task, the session's run is "
                            "on the add task")
                        .arg(path, m_dir.filePath("mixed")));
}

void TestRunHistory::restoredIndexIsTheBestStoredEpoch()
{
    RunHistory history;
    QCOMPARE(history.restoredIndex(), -1); // nothing stored
    QVERIFY(!history.ranToTheEnd());
    const auto add = [&history](int epoch, int best) {
        attn::EpochSnapshot s;
        s.epoch = epoch;
        s.bestEpoch = best;
        s.totalEpochs = 10;
        history.append(s);
    };
    const auto modelOf = [&history](int epoch) {
        auto model = std::make_shared<attn::TrainedModel>();
        model->epoch = epoch;
        history.setModel(model);
    };
    add(0, 0);
    add(1, 1);
    modelOf(1);
    QCOMPARE(history.restoredIndex(), -1); // the best is the newest: nothing was restored
    QVERIFY(!history.ranToTheEnd());       // 1 of 10 epochs
    add(2, 1);
    add(3, 1);
    modelOf(3); // stopped by the user: the model holds the newest weights, not the best
    QCOMPARE(history.restoredIndex(), -1);
    QVERIFY(!history.ranToTheEnd());
    modelOf(1); // early stopping put epoch 1's weights back
    QCOMPARE(history.restoredIndex(), 1); // stored at index 1
    QVERIFY(history.ranToTheEnd());
    history.setModel(nullptr); // a session saved without its model: nothing restored to show
    QCOMPARE(history.restoredIndex(), -1);
    modelOf(2); // a model of another epoch than the best (loaded from elsewhere)
    QCOMPARE(history.restoredIndex(), -1);
    add(4, 0);
    modelOf(1);
    QCOMPARE(history.restoredIndex(), -1); // no early stopping
    for (int epoch = 5; epoch <= 10; ++epoch)
        add(epoch, 0);
    QVERIFY(history.ranToTheEnd()); // all 10 epochs
    history.clear();
    add(5, 2); // a history whose best epoch is not stored
    modelOf(2);
    QCOMPARE(history.restoredIndex(), -1);
}

QTEST_GUILESS_MAIN(TestRunHistory)
#include "tst_runhistory.moc"
