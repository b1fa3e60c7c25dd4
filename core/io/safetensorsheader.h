// SPDX-License-Identifier: GPL-3.0-or-later
// The JSON header of a safetensors file, read against the format's schema (internal to core/io:
// safetensors.cpp checks the entries against the data buffer and reads the values).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/io/safetensors.h"

namespace attn {

/// One tensor of the header as written: dtype text, shape and data_offsets [begin, end), not
/// yet checked against the data buffer.
struct SafetensorsHeaderEntry {
    std::string name;
    std::string dtype;
    std::vector<std::uint64_t> shape;
    std::uint64_t begin = 0;
    std::uint64_t end = 0;
    bool hasDtype = false;
    bool hasShape = false;
    bool hasOffsets = false;
    TensorDType type = TensorDType::F32; // valid once the entry is complete
};

/// The header's tensors in the order of the JSON object, and its "__metadata__".
struct SafetensorsHeader {
    std::vector<SafetensorsHeaderEntry> entries;
    std::map<std::string, std::string> metadata;
};

/// Parses the JSON header (the N bytes after the length) with a SAX state machine that accepts
/// only the schema and stops at the first unexpected token, so no JSON document tree is built.
/// Every entry is complete (dtype F32 or F64, shape, two offsets). Throws SafetensorsError with
/// the header messages listed at parseSafetensors (not valid JSON, not an object, duplicate
/// names or keys, a bad "__metadata__", a missing, unknown or mistyped field of a tensor).
SafetensorsHeader parseSafetensorsHeader(std::string_view header, const std::string &file);

} // namespace attn
