// SPDX-License-Identifier: GPL-3.0-or-later
// Entry point: reads the command line before any window system is touched (CommandLine), then
// either trains with --headless on the offscreen platform, never opening a display, or opens
// the main window. Exit status: 0 success, 1 failure, 2 bad use.
#include "app/cli/commandline.h"
#include "app/cli/headlessrunner.h"
#include "app/gui/mainwindow.h"
#include "app/session/metatypes.h"
#include "app/session/runsettings.h"

#include <QApplication>
#include <QSettings>
#include <QTemporaryDir>
#include <QTextStream>
#include <memory>

int main(int argc, char *argv[])
{
    QCoreApplication::setApplicationName("attention-studio");
    QCoreApplication::setApplicationVersion(ATTN_VERSION);
    QCoreApplication::setOrganizationName("attention-studio");
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);

    QTextStream out(stdout), err(stderr);
    CommandLine commandLine;
    const CommandLine::Outcome outcome = commandLine.parse(arguments, out, err);
    if (outcome == CommandLine::Outcome::Exit)
        return commandLine.exitStatus();

    if (outcome == CommandLine::Outcome::Headless) {
        // Images are rendered offscreen. Without XDG_RUNTIME_DIR Qt warns on stderr and falls
        // back to a folder of its own; give it a private one instead, removed at exit.
        qputenv("QT_QPA_PLATFORM", "offscreen");
        std::unique_ptr<QTemporaryDir> runtimeDir;
        if (qEnvironmentVariableIsEmpty("XDG_RUNTIME_DIR")) {
            runtimeDir = std::make_unique<QTemporaryDir>();
            if (runtimeDir->isValid())
                qputenv("XDG_RUNTIME_DIR", QFile::encodeName(runtimeDir->path()));
        }
        QApplication app(argc, argv);
        registerMetaTypes();
        HeadlessRunner runner(commandLine.settings(), commandLine.value("export-dir"),
                              commandLine.value("gif"));
        runner.setCompare(commandLine.compare(), commandLine.runs(), commandLine.sweep());
        runner.setModelFiles(commandLine.value("save-model"), commandLine.value("load-model"),
                             commandLine.value("predict"));
        return runner.run(out, err);
    }

    // The window needs a display; say so instead of Qt's abort.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") && qEnvironmentVariableIsEmpty("DISPLAY") &&
        qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY")) {
        err << "attention-studio: no display to open the window on (DISPLAY is not set); "
               "use --headless to train without one\n";
        return 1;
    }
    QApplication app(argc, argv);
    QApplication::setApplicationDisplayName("Attention Studio");
    registerMetaTypes();
    // The window starts from the last run's settings; options given on the command line win.
    QSettings store;
    RunSettings windowSettings = loadRunSettings(store, RunSettings::defaults(attn::TaskKind::Add));
    if (const QString error = readRunOptions(commandLine.parser(), windowSettings); !error.isEmpty()) {
        err << "attention-studio: " << error << "\n";
        return 2;
    }
    MainWindow window(windowSettings);
    window.show();
    if (commandLine.isSet("train"))
        window.startTraining();
    return QApplication::exec();
}
