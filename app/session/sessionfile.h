// SPDX-License-Identifier: GPL-3.0-or-later
// A whole session in one JSON file (.attnsession): the run settings (task or data files, seed,
// every option), the saved model's path and every epoch's snapshot (metrics and attention), so a
// run can be reopened, scrubbed and exported later without training again.
#pragma once

#include "app/session/runsettings.h"
#include "core/snapshot/snapshot.h"

#include <QByteArray>
#include <QString>

#include <optional>
#include <vector>

/// What a session file holds. Paths in memory are absolute (a relative one given to saveSession
/// is taken from the current directory).
struct Session {
    RunSettings settings;
    std::vector<attn::EpochSnapshot> history; // every stored epoch, epochs strictly increasing
    /// The saved model's base path (NAME of NAME.safetensors / NAME.json), "" = none.
    QString model;
};

/// The file name extension of session files, without the dot.
inline constexpr const char *kSessionExtension = "attnsession";

/// Writes session as JSON to path, replacing it only on success (saveFileAtomically):
/// {"format": "attention-studio-session", "version": 1, "settings": runSettingsToMap(...),
///  "model": "...", "history": [ snapshotToJson keys + total_epochs, attention, ground_truth,
///  argmax_attention, probe_inputs ({"rows", "cols", "values"}), ground_truth_mass,
///  probe_tokens, probe_predictions, probe_targets, head_maps ([probe row][head] grids), baselines
///  ([{"key", "label", "value"}], where computed), and with
///  --explain faithfulness (faithfulnessToJson's keys + probe_gradient, probe_input_x_gradient,
///  probe_leave_one_out, probe_integrated_gradients grids) ]}.
/// The model path is stored relative to the session file's folder; the settings' dataFile,
/// testDataFile and sentenceFiles relative when they lie in that folder or below, else absolute.
/// Floats are written in their shortest round-trip form and read back bit for bit; a
/// non-finite number or minus zero, which JSON cannot hold, is written as the string "NaN",
/// "Infinity", "-Infinity" or "-0" (null means "no value": alignment, ground_truth_mass).
/// Refuses, before writing anything, what loadSession would refuse: a part over a limit of
/// sessionlimits.h ("PATH: cannot be saved: history[3].metric_name: longer than 200
/// characters"), epochs that do not increase, a file over kMaxSessionFileBytes.
/// On failure returns false and sets *error to "PATH: reason".
bool saveSession(const QString &path, const Session &session, QString *error);

/// The bytes saveSession writes to path (path gives the folder the stored paths are relative
/// to), or nullopt with *error as saveSession's.
std::optional<QByteArray> sessionBytes(const QString &path, const Session &session, QString *error);

/// Reads a file written by saveSession; relative paths come back absolute (from the session
/// file's folder). Returns nullopt and sets *error on any problem, loading nothing in part:
///   "PATH: <reason>" when the file cannot be read (attn::readRegularFile's messages: "is a
///   directory", "is not a regular file (a device, a pipe or a socket)" for /dev/zero or a FIFO,
///   refused before a byte is read, "file too large: N bytes, more than M" over
///   kMaxSessionFileBytes, checked before reading; "cannot open the file: REASON");
///   "PATH: the file is empty";
///   "PATH: the file is damaged at line L, column C: <QJsonParseError text>" when it is not
///   JSON (QJsonParseError's byte offset as a 1-based line and column in characters);
///   "PATH: not an Attention Studio session (format \"x\")";
///   "PATH: written by a newer version (2); this one reads version 1";
///   "PATH: settings.KEY: expected ..." for each invalid setting (runSettingsFromMap), "; "-joined;
///   "PATH: history[I].FIELD: <what is wrong>" for a bad epoch entry, e.g.
///   "PATH: history[3].attention: 12 values for 2 x 5",
///   "PATH: history[2].epoch: 4 after 5 (epochs must increase)",
///   "PATH: history[0].probe_targets[1]: expected a number, got a string";
///   a part over a limit of sessionlimits.h, checked before it is allocated:
///   "PATH: history: 200000 epochs, more than 100001",
///   "PATH: history[3].metric_name: longer than 200 characters",
///   "PATH: history[0].attention: 100000 x 100000 cells, more than 67108864",
///   "PATH: settings.dataFile: longer than 4096 characters".
std::optional<Session> loadSession(const QString &path, QString *error);

/// What loadSession does after reading the file: bytes are its content, path names it in
/// messages and gives the folder relative paths start from (the file need not exist). The same
/// results and messages as loadSession; also used by the fuzz target fuzz/fuzz_session.cpp.
std::optional<Session> parseSession(const QByteArray &bytes, const QString &path, QString *error);
