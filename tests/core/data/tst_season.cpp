// SPDX-License-Identifier: GPL-3.0-or-later
// detectSeason (core/data/season.h): the period of a seasonal series with a trend and noise,
// none for a trend or white noise, and 12 months for the airline passengers.
#include "core/data/season.h"

#include "core/data/sequencecsv.h"
#include "core/tensor/rng.h"

#include <QTest>

#include <cmath>
#include <numbers>

using namespace attn;

class TestSeason : public QObject {
    Q_OBJECT
private slots:
    void periodUnderTrendAndNoise();
    void noSeason();
    void airlineIsYearly();
};

void TestSeason::periodUnderTrendAndNoise()
{
    for (int period : {4, 7, 12, 24}) {
        Rng rng{std::uint64_t(period)};
        std::vector<double> v;
        for (int t = 0; t < 20 * period; ++t)
            // the season's step-to-step change (amplitude 2 pi) dominates the noise's (sqrt 2)
            v.push_back(0.5 * t + period * std::sin(2.0 * std::numbers::pi * t / period) +
                        rng.normal());
        QCOMPARE(detectSeason(v), period);
    }
}

void TestSeason::noSeason()
{
    std::vector<double> line, noise, shortSeries{1, 2, 1, 2, 1, 2, 1};
    Rng rng(5);
    for (int t = 0; t < 300; ++t) {
        line.push_back(2.0 * t + 1.0);
        noise.push_back(rng.normal());
    }
    QCOMPARE(detectSeason(line), 0);
    QCOMPARE(detectSeason(noise), 0);
    QCOMPARE(detectSeason(shortSeries), 0); // fewer than 8 values
}

void TestSeason::airlineIsYearly()
{
    CsvOptions o;
    o.layout = CsvLayout::Series;
    o.window = 1;
    const SequenceData d = loadSequences(std::string(ATTN_RESOURCE_DATA) +
                                             "/ts_airline_passengers/Airline.csv", o);
    std::vector<double> v;
    for (Eigen::Index r = 0; r < d.data.y.rows(); ++r)
        v.push_back(double(d.data.y(r, 0)));
    QCOMPARE(detectSeason(v), 12);
}

QTEST_APPLESS_MAIN(TestSeason)
#include "tst_season.moc"
