// SPDX-License-Identifier: GPL-3.0-or-later
// The engine's exception types, one per kind of fault, so callers can tell a programming error
// (a wrong shape) from a bad setting (a configuration the model cannot take) and from bad data.
// File readers add their own types with file, line and column (CsvError, ModelFileError, ...).
#pragma once

#include <stdexcept>

namespace attn {

/// A matrix argument has the wrong shape (a caller's bug, or a model fed another model's data).
class ShapeError : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

/// A setting the model or trainer cannot take: a size < 1, a dropout rate outside [0, 1), a
/// mechanism the architecture cannot use, heads that do not divide the hidden width, ...
class ConfigError : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

/// Data that cannot be trained on: an empty split, an empty vocabulary, a token id out of range,
/// fewer rows than one batch, ...
class DataError : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

} // namespace attn
