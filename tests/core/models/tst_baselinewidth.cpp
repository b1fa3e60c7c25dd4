// SPDX-License-Identifier: GPL-3.0-or-later
// The no-attention baseline's width rule (core/models/model.h, baselineWidth): for every task's
// published model the baseline's parameter count is within 5% of the attention model's (and no
// other width is closer), no layer is added when none is needed, and the rule finds the 350
// units of keras-attention's IMDB comparison.
#include "core/data/task.h"
#include "core/models/model.h"

#include <QTest>
#include <cmath>
#include <memory>

using namespace attn;

class TestBaselineWidth : public QObject {
    Q_OBJECT
private slots:
    void baselineMatchesParameterCount();
    void baselineReproducesKerasImdbWidth();
};

void TestBaselineWidth::baselineMatchesParameterCount()
{
    // Every task's published model against its no-attention baseline (sentiment with the
    // shipped data's sizes: V = 3,000-odd words, T = 32).
    for (TaskKind t : allTaskKinds()) {
        if (t == TaskKind::Autoencoder) // its none is the same autoencoder without the block (tasks.md)
            continue;
        ModelConfig c = taskDefaults(t).model;
        if (t == TaskKind::Sentiment) {
            c.vocabulary = 3240;
            c.steps = 32;
        } else {
            c.steps = t == TaskKind::Max ? 10 : 20;
        }
        const long long reference = parameterCount(c);
        ModelConfig none = c;
        none.attention = AttentionKind::None;
        const int width = baselineWidth(none);
        Rng rng(1);
        std::unique_ptr<Model> baseline = makeModel(none, rng, 1);
        const long long count = baseline->parameterCount();
        const double relative = std::abs(double(count - reference)) / double(reference);
        qInfo("%s: %s model %lld parameters, baseline (W = %d) %lld (%.2f%%)", toString(t).c_str(),
              toString(c.attention).c_str(), reference, width, count, 100 * relative);
        QVERIFY2(relative <= 0.05, toString(t).c_str());
        QCOMPARE(baseline->config().baselineUnits, width);
        // One unit wider or narrower is no closer (or no layer is needed at all).
        if (width > 0)
            for (int w : {width - 1, width + 1}) {
                none.baselineUnits = w;
                QVERIFY(std::abs(parameterCount(none) - reference) >= std::abs(count - reference));
            }
    }
    // Feed-forward attention adds H + T parameters: the sentiment baseline needs no hidden layer.
    ModelConfig s = taskDefaults(TaskKind::Sentiment).model;
    s.vocabulary = 3240;
    s.steps = 32;
    s.attention = AttentionKind::None;
    QCOMPARE(baselineWidth(s), 0);
    // The add task (Bahdanau, 51k attention parameters) does need one.
    ModelConfig a = taskDefaults(TaskKind::Add).model;
    a.attention = AttentionKind::None;
    QVERIFY(baselineWidth(a) > 100);
}

void TestBaselineWidth::baselineReproducesKerasImdbWidth()
{
    // keras-attention's IMDB comparison: Embedding(5000, 32) -> LSTM(100) -> attention (Luong
    // general score, 128 units) -> Dropout(0.5) -> Dense(1) against LSTM(100) -> Dense(350,
    // relu) -> Dropout(0.5) -> Dense(1). The rule finds the same 350.
    ModelConfig c{1, 100, AttentionKind::None, 128, 0.5, 1};
    c.vocabulary = 4999; // V + 1 = 5000 rows
    c.steps = 500;
    c.baselineReference = AttentionKind::Luong;
    QCOMPARE(baselineWidth(c), 350);
}

QTEST_APPLESS_MAIN(TestBaselineWidth)
#include "tst_baselinewidth.moc"
