// SPDX-License-Identifier: GPL-3.0-or-later
// Tests of the learning-rate warmup schedule (Vaswani et al. 2017, sec. 5.3, eq. 3, peak at the
// configured rate): the factor worked out by hand on both sides of the peak, the transformer's
// default warmup, and rejected settings. That the Trainer's steps use it: tst_trainer.
#include "core/train/learningrateschedule.h"

#include "core/tensor/errors.h"

#include <QTest>
#include <cmath>

using namespace attn;

class TestLearningRateSchedule : public QObject {
    Q_OBJECT
private slots:
    void factorByHand();
    void ratesByHand();
    void transformerDefault();
    void rejectsBadSettings();
};

void TestLearningRateSchedule::factorByHand()
{
    // w = 4: min(t / 4, sqrt(4 / t)) -> a linear rise 1/4, 1/2, 3/4, 1, then 2 / sqrt(t).
    QCOMPARE(LearningRateSchedule::factor(1, 4), 0.25);
    QCOMPARE(LearningRateSchedule::factor(2, 4), 0.5);
    QCOMPARE(LearningRateSchedule::factor(3, 4), 0.75);
    QCOMPARE(LearningRateSchedule::factor(4, 4), 1.0);
    QCOMPARE(LearningRateSchedule::factor(9, 4), 2.0 / 3.0);
    QCOMPARE(LearningRateSchedule::factor(16, 4), 0.5);
    QCOMPARE(LearningRateSchedule::factor(400, 4), 0.1);
    // The paper's own numbers: d_model 512, w 4000 -> peak 512^-0.5 4000^-0.5 = 7.0e-4 at step
    // 4000, the same eq. 3 value as (d w)^-0.5 factor(t, w) at every step.
    const double peak = 1.0 / std::sqrt(512.0 * 4000.0);
    for (long long t : {1LL, 1000LL, 3999LL, 4000LL, 4001LL, 100000LL}) {
        const double paper = std::pow(512.0, -0.5) *
                             std::min(std::pow(double(t), -0.5), double(t) * std::pow(4000.0, -1.5));
        QVERIFY(std::abs(peak * LearningRateSchedule::factor(t, 4000) - paper) < 1e-15);
    }
    // No warmup: a constant; steps before the first read as step 1.
    QCOMPARE(LearningRateSchedule::factor(1, 0), 1.0);
    QCOMPARE(LearningRateSchedule::factor(12345, 0), 1.0);
    QCOMPARE(LearningRateSchedule::factor(0, 4), 0.25);
}

void TestLearningRateSchedule::ratesByHand()
{
    LearningRateSchedule s(1e-3, 10);
    QCOMPARE(s.warmupSteps(), 10);
    QCOMPARE(s.learningRate(), 1e-3);
    QVERIFY(std::abs(s.at(1) - 1e-4) < 1e-18);
    QVERIFY(std::abs(s.at(5) - 5e-4) < 1e-18);
    QVERIFY(std::abs(s.at(10) - 1e-3) < 1e-18);
    QVERIFY(std::abs(s.at(40) - 5e-4) < 1e-18); // sqrt(10 / 40) = 1/2
    s.setLearningRate(2e-3); // the peak moves, the shape stays
    QVERIFY(std::abs(s.at(5) - 1e-3) < 1e-18);
    QVERIFY(std::abs(s.at(40) - 1e-3) < 1e-18);
    const LearningRateSchedule constant(3e-4, 0);
    QCOMPARE(constant.at(1), 3e-4);
    QCOMPARE(constant.at(1000000), 3e-4);
}

void TestLearningRateSchedule::transformerDefault()
{
    // The paper's share, 4,000 of 100,000 steps, rounded up, at most 4,000.
    QCOMPARE(LearningRateSchedule::transformerWarmup(25000), 1000);  // max: 10 x 2,500 batches
    QCOMPARE(LearningRateSchedule::transformerWarmup(25001), 1001);
    QCOMPARE(LearningRateSchedule::transformerWarmup(160), 7);       // sentiment: 10 x 16 batches
    QCOMPARE(LearningRateSchedule::transformerWarmup(100000), kTransformerWarmup);
    QCOMPARE(LearningRateSchedule::transformerWarmup(10000000), kTransformerWarmup);
    QCOMPARE(LearningRateSchedule::transformerWarmup(1), 1);
    QCOMPARE(LearningRateSchedule::transformerWarmup(0), 1);
}

void TestLearningRateSchedule::rejectsBadSettings()
{
    QVERIFY_THROWS_EXCEPTION(ConfigError, LearningRateSchedule(0.0, 10));
    QVERIFY_THROWS_EXCEPTION(ConfigError, LearningRateSchedule(-1e-3, 10));
    QVERIFY_THROWS_EXCEPTION(ConfigError, LearningRateSchedule(1e-3, -1));
    LearningRateSchedule s(1e-3, 10);
    QVERIFY_THROWS_EXCEPTION(ConfigError, s.setLearningRate(0.0));
    QCOMPARE(s.learningRate(), 1e-3);
}

QTEST_APPLESS_MAIN(TestLearningRateSchedule)
#include "tst_learningrateschedule.moc"
