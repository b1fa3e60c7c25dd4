// SPDX-License-Identifier: GPL-3.0-or-later
// Reader and writer of the safetensors format (Hugging Face; what torch's safetensors package and
// transformers read): named F32/F64 tensors, row-major, little-endian. The reader treats the file
// as hostile: every length and offset is checked against the file before it is used, and every
// malformed input is a SafetensorsError naming the file and the problem. docs/model-format.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace attn {

/// A malformed safetensors file, or a file that cannot be read or written. what() is exactly
/// "FILE: message" (FILE as given), e.g.
/// `w.safetensors: tensor "dense.bias": shape [3] of F32 needs 12 bytes, data_offsets [0, 8] cover 8`.
class SafetensorsError : public std::runtime_error {
public:
    SafetensorsError(std::string file, std::string message);
    std::string file;
    std::string message; // what() without the "FILE: " prefix
};

/// A JSON header longer than this is rejected before anything is allocated for it (the same
/// limit as the reference implementation: real headers are a few KiB to a few MiB).
inline constexpr std::uint64_t kMaxSafetensorsHeaderBytes = 100'000'000;
/// readSafetensors refuses a larger file before reading it: more than the largest model the app
/// trains (50,000,000 parameters, core/models/modellimits.h) as F64, with the largest header.
inline constexpr std::uint64_t kMaxSafetensorsFileBytes = std::uint64_t(1) << 30;

/// The element types this program reads and writes. Other safetensors dtypes (F16, BF16, I64,
/// ...) are rejected as unsupported.
enum class TensorDType { F32, F64 };
std::string toString(TensorDType dtype); // "F32", "F64"
std::size_t elementBytes(TensorDType dtype); // 4, 8

/// One tensor. Values are held as double whatever the dtype: every F32 value is exact in a
/// double, and the writer rounds to float (nearest, ties to even) only when dtype is F32.
struct NamedTensor {
    std::string name;                 // UTF-8, unique in a file, not "__metadata__"
    TensorDType dtype = TensorDType::F32;
    std::vector<std::int64_t> shape;  // row-major; [] is a scalar (1 value); a 0 dim: no values
    std::vector<double> data;         // product(shape) values, row-major (last index fastest)
    std::size_t elements() const;     // product(shape); 1 for []
};

/// A parsed file.
struct SafetensorsFile {
    std::string file;                            // path as given, used in messages
    std::vector<NamedTensor> tensors;            // in the order of their bytes in the buffer
    std::map<std::string, std::string> metadata; // "__metadata__", empty if absent
    /// The tensor with this name, or nullptr.
    const NamedTensor *find(std::string_view name) const;
};

/// The file's bytes for these tensors: the 8-byte little-endian header length N, the header
/// (compact JSON: "__metadata__" first if metadata is not empty, then the tensors in the given
/// order, keys dtype, shape, data_offsets), padded with spaces so that 8 + N is a multiple of 8,
/// then each tensor's bytes in the given order (little-endian; F32 rounds each value to the
/// nearest float). `file` is only used in messages.
/// Throws SafetensorsError (FILE: prefix omitted; NAME the JSON-quoted name):
///   a tensor has an empty name  /  "__metadata__" is reserved, not a tensor name
///   duplicate tensor name NAME
///   tensor NAME: negative dimension -1 in its shape
///   tensor NAME: shape [2, 3] holds 6 values, data has 5   /   tensor NAME: shape [...] is too large
///   tensor name NAME is not valid UTF-8  (also: metadata key / metadata value of NAME)
std::string encodeSafetensors(const std::vector<NamedTensor> &tensors,
                              const std::map<std::string, std::string> &metadata,
                              const std::string &file = "<memory>");

/// Writes encodeSafetensors(...) to path with writeFileAtomically (core/fileio/atomicfile.h), so a
/// failed write never leaves a half-written file at path and keeps the old one. Throws
/// SafetensorsError as encodeSafetensors (nothing written), IoError if the file cannot be written.
void writeSafetensors(const std::string &path, const std::vector<NamedTensor> &tensors,
                      const std::map<std::string, std::string> &metadata = {});

/// Parses a whole file held in memory; `file` names it in messages. Accepts exactly the files
/// that satisfy the format: 8 bytes header length N (little-endian u64), N <=
/// kMaxSafetensorsHeaderBytes and N <= bytes after it, N bytes of UTF-8 JSON holding one object
/// whose keys are tensor names (each {"dtype", "shape", "data_offsets"} and nothing else) and an
/// optional "__metadata__" object of strings; offsets relative to the byte buffer after the
/// header, [begin, end) with end - begin = product(shape) * element size; the tensors' ranges,
/// sorted, tile the buffer exactly (no gap, no overlap, no unused byte at the end).
/// Throws SafetensorsError, message one of (FILE: prefix omitted; NAME is the JSON-quoted name):
///   truncated file: K bytes, expected at least 8 for the header length
///   header length N exceeds the limit of 100000000 bytes
///   header length N exceeds the file: only K bytes follow the 8-byte length
///   header is not valid JSON: <the JSON parser's message, see jsonParseErrorText>
///   header is not a JSON object (found <kind>)
///   duplicate tensor name NAME
///   duplicate "__metadata__"
///   "__metadata__" must be an object of strings (found <kind>)
///   "__metadata__": duplicate key NAME  /  "__metadata__": value of NAME must be a string (found <kind>)
///   tensor NAME: expected an object with dtype, shape and data_offsets (found <kind>)
///   tensor NAME: unknown key NAME (expected dtype, shape, data_offsets)
///   tensor NAME: duplicate key "dtype"   (also shape, data_offsets)
///   tensor NAME: missing "dtype"         (also shape, data_offsets)
///   tensor NAME: "dtype" must be a string (found <kind>)
///   tensor NAME: unsupported dtype "F16" (expected F32 or F64)
///   tensor NAME: "shape" must be an array of non-negative integers (found <kind>)
///   tensor NAME: negative dimension -3 in "shape"
///   tensor NAME: dimension 9223372036854775808 in "shape" is too large   (above INT64_MAX)
///   tensor NAME: "data_offsets" must be [begin, end] with non-negative integers (found <kind>)
///     (<kind> "an array of 1 element" / "an array of 3 elements" for a wrong count)
///   tensor NAME: data_offsets [b, e]: begin is after end
///   tensor NAME: data_offsets [b, e] out of range: the data buffer has K bytes
///   tensor NAME: shape [2, 3] of F32 needs 24 bytes, data_offsets [0, 20] cover 20
///     (when the product overflows: "needs more than 18446744073709551615 bytes")
///   tensors NAME [b, e] and NAME [b, e] overlap
///   bytes [a, b) of the data buffer belong to no tensor
/// where <kind> is e.g. "an array", "a number -1.5", "a string \"x\"", "null".
SafetensorsFile parseSafetensors(std::string_view bytes, const std::string &file);

/// Reads and parses a file. Throws SafetensorsError: "cannot open the file: <reason>", "is a
/// directory", "is not a regular file (a device, a pipe or a socket)", "file too large: N bytes,
/// more than kMaxSafetensorsFileBytes" (each followed by " (expected a safetensors file)"),
/// "cannot read the file: <reason>", and every error of parseSafetensors. A header length over kMaxSafetensorsHeaderBytes is rejected from the first
/// 8 bytes, before the rest of the file is read.
SafetensorsFile readSafetensors(const std::string &path);

/// text with every byte that is not part of a valid UTF-8 sequence replaced by U+FFFD, so a
/// message quoting hostile bytes can be shown as text.
std::string toValidUtf8(std::string_view text);

/// A JSON parser's exception text made fit for a message: without nlohmann's
/// "[json.exception.parse_error.101] " prefix, the token after "last read: " cut to 40 bytes (a
/// hostile header could make it megabytes long), and valid UTF-8.
std::string jsonParseErrorText(std::string_view what);

/// A name, string or JSON value as it appears in messages: JSON-quoted, cut after 60 bytes
/// (at a UTF-8 character boundary) with "..." before the closing quote.
std::string quoteForMessage(std::string_view text);

} // namespace attn
