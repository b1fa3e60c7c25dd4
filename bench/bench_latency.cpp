// SPDX-License-Identifier: GPL-3.0-or-later
// bench_latency: how responsive the window stays while the worker trains. Opens the real main
// window on the `add` task with its published defaults, starts training, and for a while
// measures the GUI event loop's lateness: a 16 ms precise timer records how late each tick
// fires (tick interval minus 16 ms), while snapshots and progress arrive and are drawn.
// Prints the 50th/99th percentile and maximum lateness in ms and, last, one JSON line.
#include "app/gui/mainwindow.h"
#include "app/session/metatypes.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QSettings>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <vector>

namespace {

double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return 0.0;
    std::sort(v.begin(), v.end());
    const auto i = std::size_t(p * double(v.size() - 1) + 0.5);
    return v[std::min(i, v.size() - 1)];
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName("attention-studio-bench"); // keep the user's settings
    // Quitting closes the window, which would ask whether to save the unsaved run.
    QSettings().setValue(MainWindow::kAskSaveOnQuit, false);
    registerMetaTypes();
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption({"seconds", "How long to measure while training (default 20).", "s", "20"});
    parser.process(app);
    const double seconds = std::max(1.0, parser.value("seconds").toDouble());

    MainWindow window(RunSettings::defaults(attn::TaskKind::Add));
    window.show();
    window.startTraining();

    constexpr int intervalMs = 16; // one 60 Hz frame, rounded down
    std::vector<double> lateness;  // ms per tick beyond the interval
    QElapsedTimer clock;
    QElapsedTimer total;
    QTimer tick;
    tick.setTimerType(Qt::PreciseTimer);
    tick.setInterval(intervalMs);
    QObject::connect(&tick, &QTimer::timeout, [&] {
        const double elapsed = double(clock.nsecsElapsed()) * 1e-6;
        clock.restart();
        // Measure only while the worker trains (not while it generates the data set).
        if (window.controller()->state() == TrainingWorker::State::Running && window.history().size() > 0)
            lateness.push_back(std::max(0.0, elapsed - intervalMs));
        if (total.elapsed() > qint64(seconds * 1000.0) + 60000 ||
            (lateness.size() > 0 && double(lateness.size()) * intervalMs >= seconds * 1000.0))
            app.quit();
    });
    clock.start();
    total.start();
    tick.start();
    QApplication::exec();

    const std::size_t epochs = window.history().empty() ? 0 : window.history().size() - 1;
    const double p50 = percentile(lateness, 0.50), p99 = percentile(lateness, 0.99);
    const double worst = lateness.empty() ? 0.0 : *std::max_element(lateness.begin(), lateness.end());
    const auto overFrame = std::count_if(lateness.begin(), lateness.end(),
                                         [](double ms) { return ms > 1000.0 / 60.0; });
    std::printf("event-loop lateness while training add (%zu ticks of %d ms, %zu epochs finished, "
                "platform %s)\n",
                lateness.size(), intervalMs, epochs, qPrintable(QApplication::platformName()));
    std::printf("  p50 %.2f ms, p99 %.2f ms, max %.2f ms; %lld ticks later than one 60 Hz frame\n",
                p50, p99, worst, static_cast<long long>(overFrame));
    std::printf("{\"ticks\":%zu,\"interval_ms\":%d,\"epochs\":%zu,\"p50_ms\":%.3f,\"p99_ms\":%.3f,"
                "\"max_ms\":%.3f,\"over_frame\":%lld}\n",
                lateness.size(), intervalMs, epochs, p50, p99, worst, static_cast<long long>(overFrame));
    return lateness.empty() ? 1 : 0;
}
