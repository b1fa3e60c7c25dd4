// SPDX-License-Identifier: GPL-3.0-or-later
// Entry point: parses the command line (Qt's QCommandLineParser), then either opens the main
// window or, with --headless, trains without one. Bad options exit with status 2.
#include "app/cli/headlessrunner.h"
#include "app/gui/mainwindow.h"
#include "app/session/metatypes.h"
#include "app/session/runsettings.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QSettings>
#include <QTextStream>
#include <cstdio>
#include <cstring>

int main(int argc, char *argv[])
{
    // Headless runs need no display: render on the offscreen platform unless told otherwise.
    bool headless = false;
    for (int i = 1; i < argc; ++i)
        headless = headless || std::strcmp(argv[i], "--headless") == 0;
    if (headless && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");

    QApplication app(argc, argv);
    QApplication::setApplicationName("attention-studio");
    QApplication::setApplicationDisplayName("Attention Studio");
    QApplication::setApplicationVersion(ATTN_VERSION);
    QApplication::setOrganizationName("attention-studio");
    registerMetaTypes();

    QTextStream out(stdout), err(stderr);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        "Trains LSTM + attention models and shows where they attend, epoch by epoch.");
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOption({"headless", "Train without a window; print one JSON object per epoch."});
    parser.addOption({"train", "Open the window and start training at once."});
    parser.addOption({"export-dir", "With --headless: write heatmap.png, loss.png and "
                                    "alignment.png of the last epoch, metrics.csv and the replay "
                                    "as frames/frame_NNN.png to this directory.",
                      "dir"});
    parser.addOption({"gif", "With --headless: write the replay (one frame per epoch) as an "
                             "animated GIF to this file.",
                      "file"});
    addRunOptions(parser);
    HeadlessRunner::addCompareOptions(parser);
    HeadlessRunner::addModelOptions(parser);
    if (!parser.parse(QApplication::arguments())) {
        err << "attention-studio: " << parser.errorText() << "\n"
            << "Try 'attention-studio --help'.\n";
        return 2;
    }
    if (parser.isSet("help")) {
        out << parser.helpText();
        return 0;
    }
    if (parser.isSet("version")) {
        out << "attention-studio " << ATTN_VERSION << "\n";
        return 0;
    }
    if (!parser.positionalArguments().isEmpty()) {
        err << "attention-studio: unexpected argument '" << parser.positionalArguments().first()
            << "'\nTry 'attention-studio --help'.\n";
        return 2;
    }
    RunSettings settings = RunSettings::defaults(attn::TaskKind::Add);
    if (const QString error = readRunOptions(parser, settings); !error.isEmpty()) {
        err << "attention-studio: " << error << "\n";
        return 2;
    }
    for (const char *option : {"export-dir", "gif", "save-model", "load-model", "predict"})
        if (parser.isSet(option) && !headless) {
            err << "attention-studio: --" << option
                << " needs --headless (the window has these in its File menu)\n";
            return 2;
        }
    std::vector<attn::AttentionKind> compare;
    int runs = 0;
    if (const QString error =
            HeadlessRunner::readCompareOptions(parser, settings, headless, compare, runs);
        !error.isEmpty()) {
        err << "attention-studio: " << error << "\n";
        return 2;
    }
    if (headless) {
        HeadlessRunner runner(settings, parser.value("export-dir"), parser.value("gif"));
        if (!compare.empty())
            runner.setCompare(compare, runs);
        runner.setModelFiles(parser.value("save-model"), parser.value("load-model"),
                             parser.value("predict"));
        return runner.run(out, err);
    }

    // The window starts from the last run's settings; options given on the command line win.
    QSettings store;
    RunSettings windowSettings = loadRunSettings(store, RunSettings::defaults(attn::TaskKind::Add));
    if (const QString error = readRunOptions(parser, windowSettings); !error.isEmpty()) {
        err << "attention-studio: " << error << "\n";
        return 2;
    }
    MainWindow window(windowSettings);
    window.show();
    if (parser.isSet("train"))
        window.startTraining();
    return QApplication::exec();
}
