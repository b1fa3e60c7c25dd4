// SPDX-License-Identifier: GPL-3.0-or-later
// The app's model limits (core/models/modellimits.h): the size estimate bounds the real
// parameter count of every mechanism, cell and architecture from above (within 25%), and
// makeModel refuses sizes beyond the limits before allocating anything.
#include "core/models/modellimits.h"

#include "tests/allocationcounter.h"

#include <QTest>

using namespace attn;

Q_DECLARE_METATYPE(attn::ModelConfig)

class TestModelLimits : public QObject {
    Q_OBJECT
private slots:
    void estimateBoundsTheRealCount_data();
    void estimateBoundsTheRealCount();
    void refusedBeforeAllocating_data();
    void refusedBeforeAllocating();
};

void TestModelLimits::estimateBoundsTheRealCount_data()
{
    QTest::addColumn<ModelConfig>("config");
    auto sequence = [](AttentionKind kind, RecurrentCell cell, int vocabulary) {
        ModelConfig c{3, 12, kind, 10, 0.0, 2};
        c.cell = cell;
        c.steps = 7;
        c.heads = 3;
        c.vocabulary = vocabulary;
        c.inputs = vocabulary > 0 ? 1 : 3;
        c.embeddingDim = 8;
        c.modelWidth = 12; // the transformer's D, divisible by the 3 heads
        return c;
    };
    for (AttentionKind kind : allAttentionKinds()) {
        if (kind == AttentionKind::Feature)
            continue;
        for (RecurrentCell cell : {RecurrentCell::Lstm, RecurrentCell::Gru})
            for (int vocabulary : {0, 50})
                QTest::addRow("%s %s V=%d", toString(kind).c_str(), toString(cell).c_str(), vocabulary)
                    << sequence(kind, cell, vocabulary);
    }
    for (AttentionKind reference : {AttentionKind::Luong, AttentionKind::Bahdanau, AttentionKind::SelfAttention}) {
        ModelConfig c = sequence(AttentionKind::None, RecurrentCell::Lstm, 0);
        c.baselineReference = reference;
        QTest::addRow("none matching %s", toString(reference).c_str()) << c;
    }
    ModelConfig wide = sequence(AttentionKind::None, RecurrentCell::Gru, 0);
    wide.baselineUnits = 40;
    QTest::newRow("none W=40") << wide;
    ModelConfig feature{30, 100, AttentionKind::Feature, 128, 0.0, 1};
    feature.architecture = ModelArchitecture::Feature;
    feature.denseUnits = 16;
    QTest::newRow("feature F=30") << feature;
    for (bool onInputs : {false, true})
        for (AttentionKind kind : {AttentionKind::Feature, AttentionKind::None}) {
            ModelConfig ae{12, 20, kind, 128, 0.5, 12};
            ae.architecture = ModelArchitecture::Autoencoder;
            ae.codeUnits = 7;
            ae.attentionOnInputs = onInputs;
            QTest::addRow("autoencoder %s%s", toString(kind).c_str(), onInputs ? " on inputs" : "") << ae;
        }
}

void TestModelLimits::estimateBoundsTheRealCount()
{
    QFETCH(ModelConfig, config);
    const long long real = parameterCount(config);
    const ModelSize estimate = estimateModelSize(config);
    QVERIFY2(estimate.parameters >= real,
             qPrintable(QString("estimate %1 < real %2").arg(estimate.parameters).arg(real)));
    QVERIFY2(estimate.parameters <= real + real / 4,
             qPrintable(QString("estimate %1 > 1.25 x real %2").arg(estimate.parameters).arg(real)));
    QVERIFY(!estimate.largest.empty());
}

void TestModelLimits::refusedBeforeAllocating_data()
{
    QTest::addColumn<ModelConfig>("config");
    QTest::addColumn<QString>("message");
    ModelConfig c{1, 32, AttentionKind::Luong, 32, 0.0, 1};
    c.steps = 10;
    ModelConfig wideInputs = c;
    wideInputs.inputs = 20000;
    wideInputs.hidden = 1024;
    QTest::newRow("lstm input weights") << wideInputs
        << "the model would have about 87,236,673 parameters (largest: lstm.weight_ih_l0 (4096 x "
           "20002)), more than the 50,000,000 the app can train";
    ModelConfig hidden = c;
    hidden.hidden = 4096;
    QTest::newRow("hidden") << hidden << "hidden: 4096 is more than 1024";
    ModelConfig zero = c;
    zero.attentionUnits = 0;
    QTest::newRow("units 0") << zero << "attention_units: 0 is less than 1";
    ModelConfig baseline = c;
    baseline.attention = AttentionKind::None;
    baseline.baselineUnits = 1'000'000;
    QTest::newRow("baseline units") << baseline << "baseline_units: 1000000 is more than 100000";
    ModelConfig feature{20000, 100, AttentionKind::Feature, 128, 0.0, 1};
    feature.architecture = ModelArchitecture::Feature;
    feature.denseUnits = 16;
    QTest::newRow("feature F x F") << feature
        << "the model would have about 400,340,033 parameters (largest: attention.weight (20001 x "
           "20000)), more than the 50,000,000 the app can train";
    ModelConfig vocabulary = c;
    vocabulary.vocabulary = 2'000'000;
    QTest::newRow("vocabulary") << vocabulary << "vocabulary: 2000000 is more than 1000000";
}

void TestModelLimits::refusedBeforeAllocating()
{
    QFETCH(ModelConfig, config);
    QFETCH(QString, message);
    Rng rng(1);
    const long before = attn::test::g_allocations;
    try {
        checkModelSize(config);
        QFAIL("checkModelSize accepted the config");
    } catch (const ConfigError &e) {
        QCOMPARE(QString::fromStdString(e.what()), message);
    }
    // Only the message strings: no weight matrix, nothing that grows with the sizes.
    QVERIFY2(attn::test::g_allocations - before < 100, "the check allocated more than its message");
    try {
        (void)makeModel(config, rng, 0);
        QFAIL("makeModel built it");
    } catch (const ConfigError &e) {
        QCOMPARE(QString::fromStdString(e.what()), message);
    }
}

QTEST_APPLESS_MAIN(TestModelLimits)
#include "tst_modellimits.moc"
