// SPDX-License-Identifier: GPL-3.0-or-later
// PyTorch's side of bench_sidebyside: whether a Python can import torch, and running
// tools/bench_torch.py through popen, its JSON lines read back as flat records.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace attn::bench {

/// One JSON line of bench_torch.py: key -> value text (strings unquoted, numbers as written,
/// null as "null"). Only flat objects are read.
using TorchRecord = std::map<std::string, std::string>;

/// Parses one flat JSON object ({"key": value, ...}); nullopt if the line is not one.
std::optional<TorchRecord> parseFlatJson(const std::string &line);

/// The version string of torch if `python -c "import torch"` works, else nullopt.
std::optional<std::string> torchVersion(const std::string &python);

/// Runs `python script args` (stderr passes through), echoes each output line with `echo`
/// before it when echo is not empty, and returns the records. Throws std::runtime_error if the
/// process cannot be started or exits with a non-zero status.
std::vector<TorchRecord> runTorchScript(const std::string &python, const std::string &script,
                                        const std::string &args, const std::string &echo);

/// The value of key as a number in the first record whose "case" is caseName and whose other
/// fields match `where` (key -> value text); nullopt if there is none or it is null.
std::optional<double> torchNumber(const std::vector<TorchRecord> &records,
                                  const std::string &caseName, const std::string &key,
                                  const TorchRecord &where = {});

} // namespace attn::bench
