// SPDX-License-Identifier: GPL-3.0-or-later
// The attention-studio command line, read before any window system is touched: every option
// declared in one QCommandLineParser, --help, --version and bad use answered without a display,
// and the output paths of a headless run checked before it trains.
#pragma once

#include "app/cli/comparerunner.h"
#include "app/session/runsettings.h"
#include "core/models/model.h"

#include <QCommandLineParser>
#include <QStringList>
#include <QTextStream>

#include <vector>

class CommandLine {
public:
    /// What main() does next.
    enum class Outcome {
        Window,   // open the main window (settings() are only the command line's overrides)
        Headless, // train without a window
        Exit,     // done: help or version printed (status 0) or bad use reported (status 2)
    };

    CommandLine();
    /// Parses arguments (argv as strings, program name first). Writes --help and --version to
    /// out and a one-line reason for bad use to err (then exitStatus() is 2).
    Outcome parse(const QStringList &arguments, QTextStream &out, QTextStream &err);
    int exitStatus() const { return m_exitStatus; }

    /// Headless output paths (--export-dir, --gif, --save-model, --result-dir) and input files
    /// (--load-model, --predict, the --merge directories): returns an empty string when each can be written or read, else the first
    /// problem with the path and the system's reason. Creates --export-dir (and the folders of
    /// --gif and --save-model) as the run would.
    QString checkHeadlessPaths() const;

    /// The parsed parser, for readRunOptions() on the window's stored settings.
    const QCommandLineParser &parser() const { return m_parser; }
    const RunSettings &settings() const { return m_settings; }
    const std::vector<attn::AttentionKind> &compare() const { return m_compare; }
    int runs() const { return m_runs; }
    /// --shard, --result-dir and --merge (CompareRunner::readSweepOptions).
    const SweepOptions &sweep() const { return m_sweep; }
    QString value(const QString &option) const { return m_parser.value(option); }
    bool isSet(const QString &option) const { return m_parser.isSet(option); }

private:
    Outcome badUse(QTextStream &err, const QString &message);

    QCommandLineParser m_parser;
    RunSettings m_settings;
    std::vector<attn::AttentionKind> m_compare;
    int m_runs = 0;
    SweepOptions m_sweep;
    int m_exitStatus = 0;
};
