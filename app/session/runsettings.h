// SPDX-License-Identifier: GPL-3.0-or-later
// Everything that defines a training run (task, model, training settings, data sizes), its
// defaults per task, the command-line options that set it, and how a Trainer is built from it.
#pragma once

#include "core/data/csvtask.h"
#include "core/savedmodel/modelspec.h"
#include "core/data/task.h"
#include "core/train/trainer.h"

#include <QCommandLineParser>
#include <QSettings>
#include <QMetaType>
#include <QVariantMap>
#include <QString>
#include <QStringList>
#include <memory>

/// The validation rows the faithfulness measures use when they are on without a count (--explain,
/// the window's Explain), and when a forecast turns them on by default: fewer, because a series
/// of short windows trains fast (Melbourne, T = 30, 20 epochs: 1.3 s without the measures, 2.3 s
/// with 32 rows, 8.8 s with 256).
inline constexpr int kDefaultExplainRows = 256;
inline constexpr int kForecastExplainRows = 32;

struct RunSettings {
    attn::TaskKind task = attn::TaskKind::Add;
    attn::ModelConfig model;
    attn::TrainConfig train;
    attn::TaskSize size; // 0 = published sizes
    /// sentiment: `sentence<TAB>label` files to read instead of the shipped defaults.
    QStringList sentenceFiles;
    /// csv: the data file, an optional separate validation file (a UCR _TRAIN file finds its
    /// _TEST beside it), the target column ("" = last; UCR files: first) and, for a single
    /// series, the window length T (0 = one sequence per row).
    QString dataFile;
    QString testDataFile;
    QString target;
    int window = 0;
    /// csv series: the season P for the seasonal naive baseline (0 = detected).
    int season = 0;
    /// csv: the layout ("" = wide, or series when window > 0; else "wide", "wide-multivariate",
    /// "long", "series"), F per step for wide-multivariate, the sequence-id column for long,
    /// the task type ("" = detected from the target; "regression", "binary", "multiclass") and
    /// whether inputs (and a regression target) are standardised on the training split.
    QString layout;
    int features = 1;
    QString sequenceId;
    QString taskType;
    bool standardize = true;
    /// csv forecasts (window > 0): each window standardised by its own mean and spread inside
    /// the model, the forecast put back on its level (CsvTaskSpec::instanceNorm, RevIN).
    bool instanceNorm = true;
    /// sentiment: vocabulary limit (0 = every word), T, padding and truncation side.
    attn::TokenizerOptions tokenizer;
    /// sentiment: the preset the settings started from ("default", "published", "keras-imdb";
    /// app/session/runpreset.h), "" = none. A record for sessions and the panel: the settings
    /// themselves are the fields.
    QString preset;
    /// sentiment: hold out the last 20% of the sentences in file order, unshuffled (Keras'
    /// validation_split, attn::TaskSource::validationLast) instead of a seeded shuffle.
    bool validationLast = false;
    /// Threads that train (0 = one per core: threadCount()): a run computes each step's batch
    /// slices on them (attn::TrainConfig::threads); Compare trains that many runs at once, each
    /// on one thread. Changes how fast results come, never the results.
    int threads = 0;

    /// The published defaults of a task, seed 7.
    static RunSettings defaults(attn::TaskKind task);
};
Q_DECLARE_METATYPE(RunSettings)

/// The folder of data files that ship with the program (resources/data): $ATTN_DATA_DIR if set,
/// else <prefix>/share/attention-studio/data beside an installed binary, else the source tree's.
QString shippedDataDirectory();

/// The threads settings train on: settings.threads, or for 0 one per core
/// (QThread::idealThreadCount(), at least 1).
int threadCount(const RunSettings &settings);

/// Reads or generates the task's data (csv: makeCsvTask, standardised on the training split)
/// and builds the model and optimizer ("none" matches the parameter count of the task's
/// published mechanism). spec (optional) receives what a saved model needs besides its
/// weights (resolved config, loss, scaling, classes, csv options, vocabulary). Throws
/// attn::ConfigError on an invalid combination, attn::DataError on data that cannot be trained
/// on (attn::ShapeError if the data do not fit the model), attn::SentenceFileError on a bad
/// sentence file, attn::CsvError on a bad CSV file.
std::unique_ptr<attn::Trainer> makeTrainer(const RunSettings &settings, attn::ModelSpec *spec = nullptr);

/// The csv task's reading options and model defaults as makeCsvTaskData uses them (a UCR
/// NAME_TRAIN file with NAME_TEST beside it: that pair, with ucrOptions()). Throws
/// std::invalid_argument naming a bad layout or task type.
attn::CsvTaskSpec csvTaskSpec(const RunSettings &settings);
/// The csv task's data as makeTrainer reads it (also used to check a file when it is opened).
/// info (optional) receives the split, classes and scaling. Throws attn::CsvError naming
/// FILE:LINE:COLUMN, std::invalid_argument for a bad layout or task type. reader (optional)
/// gives the parsed files instead of readCsv (the import dialog's cache).
attn::TaskData makeCsvTaskData(const RunSettings &settings, attn::CsvTaskInfo *info = nullptr,
                               const attn::CsvTableReader &reader = {});

/// The validation metric a run of settings reports ("accuracy" or "mae", attn::metricName of
/// its loss), for naming it before any epoch is trained: the task's loss; csv: the loss the
/// file's target calls for (the file is read; the csv defaults' if it cannot be).
std::string runMetricName(const RunSettings &settings);
/// Declares the run options (--task, --epochs, --seed, --batch-size, --hidden, --units,
/// --attention, --cell, --init, --heads, --causal, --window, --local-width, --input-dropout,
/// --recurrent-dropout, --vocabulary, --sentences, --learning-rate, --train-size, --val-size,
/// --explain, --explain-rows, --threads, --preset).
void addRunOptions(QCommandLineParser &parser);

/// Reads the run options from a parsed command line into settings (starting from the chosen
/// task's defaults, or the --preset's settings, which imply --task sentiment). Returns an empty
/// string, or a message naming the bad option and value.
QString readRunOptions(const QCommandLineParser &parser, RunSettings &settings);

/// Every setting by name (the keys of saveRunSettings, plus trainSize and valSize), as JSON-ready
/// values: the form a session file stores.
QVariantMap runSettingsToMap(const RunSettings &settings);
/// The inverse: starts from the named task's defaults (or fallback if the task is missing or
/// unknown); a missing or invalid entry keeps that value. problems (optional) receives one line
/// per invalid entry ("hidden: expected a whole number from 1 to 4096, got 0").
RunSettings runSettingsFromMap(const QVariantMap &map, const RunSettings &fallback,
                               QStringList *problems = nullptr);
/// Writes settings under the group "run" of store (QSettings: the last run persists).
void saveRunSettings(QSettings &store, const RunSettings &settings);
/// Reads the group "run" of store; a missing or invalid entry (unknown task, out-of-range
/// number) keeps the value of fallback, so a damaged settings file never blocks the start.
RunSettings loadRunSettings(QSettings &store, const RunSettings &fallback);
