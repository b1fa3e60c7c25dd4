// SPDX-License-Identifier: GPL-3.0-or-later
// Option declarations, parsing and the pre-flight check of a headless run's files; needs only
// QtCore, so it runs before QApplication exists (and without a display).
#include "app/cli/commandline.h"

#include "app/cli/headlessrunner.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryFile>

namespace {

/// Creates folder (and its parents) and checks a file can be created in it; returns the problem.
QString checkWritableFolder(const QString &option, const QString &folder)
{
    const QFileInfo info(folder);
    if (info.exists() && !info.isDir())
        return QStringLiteral("--%1: '%2' is not a directory").arg(option, folder);
    if (!QDir().mkpath(folder))
        return QStringLiteral("--%1: cannot create directory '%2'").arg(option, folder);
    QTemporaryFile probe(QDir(folder).filePath(QStringLiteral(".attention-studio-XXXXXX")));
    if (!probe.open())
        return QStringLiteral("--%1: cannot write in '%2': %3").arg(option, folder, probe.errorString());
    return {};
}

/// The folder of a file path given on the command line.
QString folderOf(const QString &file) { return QFileInfo(file).absolutePath(); }

QString checkReadableFile(const QString &option, const QString &file)
{
    QFile f(file);
    if (QFileInfo(file).isDir())
        return QStringLiteral("--%1: '%2' is a directory").arg(option, file);
    if (!f.open(QIODevice::ReadOnly))
        return QStringLiteral("--%1: cannot read '%2': %3").arg(option, file, f.errorString());
    return {};
}

} // namespace

CommandLine::CommandLine() : m_settings(RunSettings::defaults(attn::TaskKind::Add))
{
    m_parser.setApplicationDescription(
        "Trains LSTM + attention models and shows where they attend, epoch by epoch.\n"
        "Exit status: 0 success, 1 a failure (training, reading or writing a file), 2 bad use "
        "(an unknown option, a bad value or combination, an output path that cannot be written).");
    m_parser.addHelpOption();
    m_parser.addVersionOption();
    m_parser.addOption({"headless", "Train without a window (no display needed); print one JSON "
                                    "object per epoch."});
    m_parser.addOption({"train", "Open the window and start training at once."});
    m_parser.addOption({"export-dir", "With --headless: write heatmap.png, loss.png and "
                                      "alignment.png of the last epoch, metrics.csv and the replay "
                                      "as frames/frame_NNN.png to this directory.",
                        "dir"});
    m_parser.addOption({"gif", "With --headless: write the replay (one frame per epoch) as an "
                               "animated GIF to this file.",
                        "file"});
    addRunOptions(m_parser);
    HeadlessRunner::addCompareOptions(m_parser);
    CompareRunner::addSweepOptions(m_parser);
    HeadlessRunner::addModelOptions(m_parser);
}

CommandLine::Outcome CommandLine::badUse(QTextStream &err, const QString &message)
{
    err << "attention-studio: " << message << "\nTry 'attention-studio --help'.\n";
    m_exitStatus = 2;
    return Outcome::Exit;
}

CommandLine::Outcome CommandLine::parse(const QStringList &arguments, QTextStream &out,
                                        QTextStream &err)
{
    if (!m_parser.parse(arguments))
        return badUse(err, m_parser.errorText());
    if (m_parser.isSet("help")) {
        out << m_parser.helpText();
        return Outcome::Exit;
    }
    if (m_parser.isSet("version")) {
        out << "attention-studio " << ATTN_VERSION << "\n";
        return Outcome::Exit;
    }
    if (!m_parser.positionalArguments().isEmpty() && !m_parser.isSet("merge")) // --merge DIR DIR...
        return badUse(err, QStringLiteral("unexpected argument '%1'")
                               .arg(m_parser.positionalArguments().first()));
    if (const QString error = readRunOptions(m_parser, m_settings); !error.isEmpty())
        return badUse(err, error);
    const bool headless = m_parser.isSet("headless");
    for (const char *option : {"export-dir", "gif", "save-model", "load-model", "predict"})
        if (m_parser.isSet(option) && !headless)
            return badUse(err, QStringLiteral("--%1 needs --headless (the window has these in its "
                                              "File menu)")
                                   .arg(option));
    if (headless && m_parser.isSet("train"))
        return badUse(err, QStringLiteral("--train opens the window; --headless always trains"));
    if (const QString error =
            HeadlessRunner::readCompareOptions(m_parser, m_settings, headless, m_compare, m_runs);
        !error.isEmpty())
        return badUse(err, error);
    if (const QString error = CompareRunner::readSweepOptions(m_parser, headless, !m_compare.empty(), m_sweep);
        !error.isEmpty())
        return badUse(err, error);
    if (!headless)
        return Outcome::Window;
    if (const QString error = checkHeadlessPaths(); !error.isEmpty())
        return badUse(err, error);
    return Outcome::Headless;
}

QString CommandLine::checkHeadlessPaths() const
{
    if (m_parser.isSet("export-dir"))
        if (QString e = checkWritableFolder("export-dir", m_parser.value("export-dir")); !e.isEmpty())
            return e;
    if (m_parser.isSet("gif")) {
        const QString gif = m_parser.value("gif");
        if (QFileInfo(gif).isDir())
            return QStringLiteral("--gif: '%1' is a directory").arg(gif);
        if (QString e = checkWritableFolder("gif", folderOf(gif)); !e.isEmpty())
            return e;
    }
    if (m_parser.isSet("save-model"))
        if (QString e = checkWritableFolder("save-model", folderOf(m_parser.value("save-model")));
            !e.isEmpty())
            return e;
    if (m_parser.isSet("result-dir"))
        if (QString e = checkWritableFolder("result-dir", m_parser.value("result-dir")); !e.isEmpty())
            return e;
    if (QString e = CompareRunner::checkMergeDirs(m_sweep.mergeDirs); !e.isEmpty())
        return e;
    if (m_parser.isSet("predict")) {
        if (QString e = checkReadableFile("predict", m_parser.value("predict")); !e.isEmpty())
            return e;
        if (!m_parser.isSet("export-dir")) // predictions.csv goes to the current directory
            if (QString e = checkWritableFolder("predict", QDir::currentPath()); !e.isEmpty())
                return e;
    }
    return {};
}
