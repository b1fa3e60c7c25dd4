// SPDX-License-Identifier: GPL-3.0-or-later
// The headless command line on a single series: windows of 12 months forecast the next value in
// the file's units beside the naive, seasonal naive and mean forecasts and MASE; the
// faithfulness measures are on by default for a forecast (--no-explain turns them off); without
// --window the file is read as File > Open guesses it, with the same result.
#include "tests/apprun.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

class TestHeadlessForecast : public QObject {
    Q_OBJECT
private slots:
    void forecastsASeries();
};

void TestHeadlessForecast::forecastsASeries()
{
    // A single series cut into windows of 12 months forecasts the next one (regression).
    const AppResult series = runApp({"--headless", "--data", ATTN_RESOURCE_DATA "/ts_airline_passengers/Airline.csv",
                                  "--window", "12", "--epochs", "1", "--hidden", "8", "--units", "8"});
    QVERIFY2(series.exitCode == 0, series.err.constData());
    const QJsonObject f = QJsonDocument::fromJson(series.out.trimmed().split('\n').last()).object();
    QCOMPARE(f["metric_name"].toString(), QString("mae"));
    // In passengers, beside the naive, seasonal naive (12 months) and mean forecasts, and MASE
    // against the naive forecast's MAE on the training windows.
    const QJsonObject b = f["baselines"].toObject();
    QVERIFY(b["naive_mae"].toDouble() > 10.0 && b["naive_mae"].toDouble() < 100.0);
    QVERIFY(b["seasonal_naive_mae"].isDouble());
    QVERIFY(b["mean_mae"].toDouble() > b["naive_mae"].toDouble());
    QVERIFY(f["metric"].toDouble() > 1.0); // not standardised units
    QVERIFY(f["mase"].toDouble() > 0.0);
    QVERIFY(!f.contains("test_metric"));
    // A forecast measures what it leans on by default (as --explain), unless --no-explain.
    QVERIFY(f["faithfulness"].isObject());
    QCOMPARE(f["faithfulness"]["rows"].toInt(), 26); // min(32, the 26 validation windows)
    // Without --window the file is guessed as File > Open guesses it: a date column and one value
    // column make a series in windows of 12, the same forecast.
    const AppResult quiet = runApp({"--headless", "--data", ATTN_RESOURCE_DATA "/ts_airline_passengers/Airline.csv",
                                 "--epochs", "1", "--hidden", "8", "--units", "8", "--no-explain"});
    QVERIFY2(quiet.exitCode == 0, quiet.err.constData());
    const QJsonObject q = QJsonDocument::fromJson(quiet.out.trimmed().split('\n').last()).object();
    QVERIFY(!q.contains("faithfulness"));
    QCOMPARE(q["mase"].toDouble(), f["mase"].toDouble());
    QCOMPARE(q["baselines"].toObject(), b);
}

QTEST_GUILESS_MAIN(TestHeadlessForecast)
#include "tst_headlessforecast.moc"
