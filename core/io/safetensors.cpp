// SPDX-License-Identifier: GPL-3.0-or-later
// safetensors reader and writer. The header is read by parseSafetensorsHeader
// (core/io/safetensorsheader.h), which builds no JSON document tree, so memory stays proportional
// to what a valid header describes; here its entries are checked against the data buffer.
#include "core/io/safetensors.h"

#include "core/fileio/boundedread.h"

#include "core/io/safetensorsheader.h"
#include "core/fileio/atomicfile.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <memory>
#include <numeric>
#include <unordered_set>

namespace attn {

namespace {

using Json = nlohmann::json;
using HeaderEntry = SafetensorsHeaderEntry;

constexpr std::uint64_t kMaxU64 = std::numeric_limits<std::uint64_t>::max();

std::string shapeText(const std::vector<std::uint64_t> &shape)
{
    std::string s = "[";
    for (std::size_t i = 0; i < shape.size(); ++i) {
        if (i > 0)
            s += ", ";
        s += std::to_string(shape[i]);
    }
    return s + "]";
}

std::string rangeText(std::uint64_t begin, std::uint64_t end)
{
    std::string s = "["; // appended, not "[" + ...: GCC 12 warns falsely there (-Wrestrict)
    s += std::to_string(begin);
    s += ", ";
    s += std::to_string(end);
    s += ']';
    return s;
}

/// bytes = product(shape) * elementSize; false if that does not fit in 64 bits.
/// A zero dimension makes the product 0 whatever the other dimensions are.
bool byteCount(const std::vector<std::uint64_t> &shape, std::uint64_t elementSize,
               std::uint64_t &bytes)
{
    if (std::find(shape.begin(), shape.end(), std::uint64_t(0)) != shape.end()) {
        bytes = 0;
        return true;
    }
    std::uint64_t n = elementSize;
    for (std::uint64_t d : shape) {
        if (n > kMaxU64 / d)
            return false;
        n *= d;
    }
    bytes = n;
    return true;
}

std::uint64_t readU64(const unsigned char *p)
{
    std::uint64_t v = 0;
    for (int i = 7; i >= 0; --i)
        v = (v << 8) | p[i];
    return v;
}

void putU64(std::string &out, std::uint64_t v)
{
    for (int i = 0; i < 8; ++i)
        out.push_back(char((v >> (8 * i)) & 0xFF));
}

/// The string as a JSON string literal; throws SafetensorsError naming `what` if it is not UTF-8.
std::string jsonString(const std::string &s, const std::string &what, const std::string &file)
{
    try {
        return Json(s).dump(-1, ' ', false, Json::error_handler_t::strict);
    } catch (const Json::type_error &) {
        throw SafetensorsError(file, what + " is not valid UTF-8");
    }
}

} // namespace

SafetensorsError::SafetensorsError(std::string f, std::string m)
    : std::runtime_error(f + ": " + m), file(std::move(f)), message(std::move(m))
{
}

std::string toString(TensorDType dtype) { return dtype == TensorDType::F32 ? "F32" : "F64"; }

std::size_t elementBytes(TensorDType dtype) { return dtype == TensorDType::F32 ? 4 : 8; }

std::size_t NamedTensor::elements() const
{
    std::size_t n = 1;
    for (std::int64_t d : shape)
        n *= std::size_t(d);
    return n;
}

const NamedTensor *SafetensorsFile::find(std::string_view name) const
{
    for (const NamedTensor &t : tensors)
        if (t.name == name)
            return &t;
    return nullptr;
}

std::string encodeSafetensors(const std::vector<NamedTensor> &tensors,
                              const std::map<std::string, std::string> &metadata,
                              const std::string &file)
{
    std::string header = "{";
    if (!metadata.empty()) {
        header += "\"__metadata__\":{";
        bool first = true;
        for (const auto &[k, v] : metadata) {
            if (!first)
                header += ',';
            first = false;
            header += jsonString(k, "metadata key " + quoteForMessage(k), file) + ':' +
                      jsonString(v, "metadata value of " + quoteForMessage(k), file);
        }
        header += '}';
    }
    std::unordered_set<std::string> names;
    std::uint64_t offset = 0;
    for (const NamedTensor &t : tensors) {
        const std::string name = quoteForMessage(t.name);
        if (t.name.empty())
            throw SafetensorsError(file, "a tensor has an empty name");
        if (t.name == "__metadata__")
            throw SafetensorsError(file, "\"__metadata__\" is reserved, not a tensor name");
        if (!names.insert(t.name).second)
            throw SafetensorsError(file, "duplicate tensor name " + name);
        std::vector<std::uint64_t> shape;
        for (std::int64_t d : t.shape) {
            if (d < 0)
                throw SafetensorsError(file, "tensor " + name + ": negative dimension " +
                                                 std::to_string(d) + " in its shape");
            shape.push_back(std::uint64_t(d));
        }
        std::uint64_t bytes = 0;
        const std::uint64_t size = elementBytes(t.dtype);
        if (!byteCount(shape, size, bytes))
            throw SafetensorsError(file, "tensor " + name + ": shape " + shapeText(shape) +
                                             " is too large");
        if (bytes / size != t.data.size())
            throw SafetensorsError(file, "tensor " + name + ": shape " + shapeText(shape) +
                                             " holds " + std::to_string(bytes / size) +
                                             " values, data has " +
                                             std::to_string(t.data.size()));
        if (header.size() > 1)
            header += ',';
        header += jsonString(t.name, "tensor name " + name, file) + ":{\"dtype\":\"" +
                  toString(t.dtype) + "\",\"shape\":[";
        for (std::size_t i = 0; i < shape.size(); ++i) {
            if (i > 0)
                header += ',';
            header += std::to_string(shape[i]);
        }
        header += "],\"data_offsets\":[" + std::to_string(offset) + "," +
                  std::to_string(offset + bytes) + "]}";
        offset += bytes;
    }
    header += '}';
    // Spaces (allowed JSON whitespace) pad the header so the data buffer starts 8-byte aligned,
    // which lets readers such as torch.frombuffer view F64 data in place.
    header.append((8 - header.size() % 8) % 8, ' ');

    std::string out;
    out.reserve(8 + header.size() + std::size_t(offset));
    putU64(out, header.size());
    out += header;
    for (const NamedTensor &t : tensors) {
        for (double v : t.data) {
            if (t.dtype == TensorDType::F32) {
                // The IEEE default rounding: nearest float, ties to even; beyond FLT_MAX -> inf.
                const auto bits = std::bit_cast<std::uint32_t>(static_cast<float>(v));
                for (int i = 0; i < 4; ++i)
                    out.push_back(char((bits >> (8 * i)) & 0xFF));
            } else {
                putU64(out, std::bit_cast<std::uint64_t>(v));
            }
        }
    }
    return out;
}

void writeSafetensors(const std::string &path, const std::vector<NamedTensor> &tensors,
                      const std::map<std::string, std::string> &metadata)
{
    writeFileAtomically(path, encodeSafetensors(tensors, metadata, path));
}

SafetensorsFile parseSafetensors(std::string_view bytes, const std::string &file)
{
    if (bytes.size() < 8)
        throw SafetensorsError(file, "truncated file: " + std::to_string(bytes.size()) +
                                         " bytes, expected at least 8 for the header length");
    const auto *p = reinterpret_cast<const unsigned char *>(bytes.data());
    const std::uint64_t headerBytes = readU64(p);
    const std::uint64_t rest = bytes.size() - 8;
    if (headerBytes > kMaxSafetensorsHeaderBytes)
        throw SafetensorsError(file, "header length " + std::to_string(headerBytes) +
                                         " exceeds the limit of " +
                                         std::to_string(kMaxSafetensorsHeaderBytes) + " bytes");
    if (headerBytes > rest)
        throw SafetensorsError(file, "header length " + std::to_string(headerBytes) +
                                         " exceeds the file: only " + std::to_string(rest) +
                                         " bytes follow the 8-byte length");

    SafetensorsHeader header = parseSafetensorsHeader(bytes.substr(8, std::size_t(headerBytes)), file);

    const std::uint64_t bufferBytes = rest - headerBytes;
    const unsigned char *buffer = p + 8 + headerBytes;
    std::vector<HeaderEntry> &entries = header.entries;
    for (const HeaderEntry &e : entries) {
        const std::string what = "tensor " + quoteForMessage(e.name) + ": data_offsets " +
                                 rangeText(e.begin, e.end);
        if (e.begin > e.end)
            throw SafetensorsError(file, what + ": begin is after end");
        if (e.end > bufferBytes)
            throw SafetensorsError(file, what + " out of range: the data buffer has " +
                                             std::to_string(bufferBytes) + " bytes");
        std::uint64_t need = 0;
        const bool fits = byteCount(e.shape, elementBytes(e.type), need);
        if (!fits || need != e.end - e.begin)
            throw SafetensorsError(
                file, "tensor " + quoteForMessage(e.name) + ": shape " + shapeText(e.shape) +
                          " of " + e.dtype + " needs " +
                          (fits ? std::to_string(need) : "more than " + std::to_string(kMaxU64)) +
                          " bytes, data_offsets " + rangeText(e.begin, e.end) + " cover " +
                          std::to_string(e.end - e.begin));
    }

    // The ranges, sorted, must tile the buffer exactly: no byte unused, none shared.
    std::vector<std::size_t> order(entries.size());
    std::iota(order.begin(), order.end(), std::size_t(0));
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return entries[a].begin != entries[b].begin ? entries[a].begin < entries[b].begin
                                                    : entries[a].end < entries[b].end;
    });
    auto gap = [&](std::uint64_t from, std::uint64_t to) {
        return SafetensorsError(file, "bytes [" + std::to_string(from) + ", " + std::to_string(to) +
                                          ") of the data buffer belong to no tensor");
    };
    std::uint64_t cursor = 0; // end of the ranges seen so far
    const HeaderEntry *previous = nullptr;
    for (std::size_t i : order) {
        const HeaderEntry &e = entries[i];
        if (e.begin < cursor) // previous ends at cursor > e.begin >= previous->begin
            throw SafetensorsError(file, "tensors " + quoteForMessage(previous->name) + " " +
                                             rangeText(previous->begin, previous->end) + " and " +
                                             quoteForMessage(e.name) + " " +
                                             rangeText(e.begin, e.end) + " overlap");
        if (e.begin > cursor)
            throw gap(cursor, e.begin);
        cursor = e.end;
        previous = &e;
    }
    if (cursor < bufferBytes)
        throw gap(cursor, bufferBytes);

    SafetensorsFile result;
    result.file = file;
    result.metadata = std::move(header.metadata);
    result.tensors.reserve(entries.size());
    for (std::size_t i : order) {
        HeaderEntry &e = entries[i];
        NamedTensor t;
        t.name = std::move(e.name);
        t.dtype = e.type;
        t.shape.assign(e.shape.begin(), e.shape.end());
        const std::size_t size = elementBytes(e.type);
        const std::size_t count = std::size_t((e.end - e.begin) / size);
        t.data.resize(count); // bounded: count * size bytes were checked to lie in the file
        const unsigned char *src = buffer + e.begin;
        for (std::size_t k = 0; k < count; ++k, src += size) {
            if (e.type == TensorDType::F32) {
                const std::uint32_t bits = std::uint32_t(src[0]) | std::uint32_t(src[1]) << 8 |
                                           std::uint32_t(src[2]) << 16 |
                                           std::uint32_t(src[3]) << 24;
                t.data[k] = double(std::bit_cast<float>(bits));
            } else {
                t.data[k] = std::bit_cast<double>(readU64(src));
            }
        }
        result.tensors.push_back(std::move(t));
    }
    return result;
}

SafetensorsFile readSafetensors(const std::string &path)
{
    std::uint64_t size = 0;
    try {
        size = regularFileSize(path, kMaxSafetensorsFileBytes);
    } catch (const FileReadError &e) {
        throw SafetensorsError(path, e.message + " (expected a safetensors file)");
    }
    std::unique_ptr<std::FILE, int (*)(std::FILE *)> f(std::fopen(path.c_str(), "rb"),
                                                        &std::fclose);
    if (!f)
        throw SafetensorsError(path, std::string("cannot open the file: ") + std::strerror(errno));
    auto readError = [&] {
        return SafetensorsError(path, std::string("cannot read the file: ") + std::strerror(errno));
    };
    // The first 8 bytes alone: a header length beyond the limit is rejected before the rest of
    // a (possibly huge, unrelated) file is read.
    std::string bytes(8, '\0');
    bytes.resize(std::fread(bytes.data(), 1, 8, f.get()));
    if (std::ferror(f.get()))
        throw readError();
    if (bytes.size() == 8 &&
        readU64(reinterpret_cast<const unsigned char *>(bytes.data())) > kMaxSafetensorsHeaderBytes)
        return parseSafetensors(bytes, path); // throws "exceeds the limit"
    bytes.reserve(std::size_t(size));
    char buf[65536];
    for (;;) { // never past the limit, even if the file grows while it is read
        const std::size_t got = std::fread(buf, 1, sizeof buf, f.get());
        bytes.append(buf, got);
        if (bytes.size() > kMaxSafetensorsFileBytes)
            throw SafetensorsError(path, "file too large: more than " +
                                             std::to_string(kMaxSafetensorsFileBytes) + " bytes");
        if (got < sizeof buf)
            break;
    }
    if (std::ferror(f.get()))
        throw readError();
    return parseSafetensors(bytes, path);
}

} // namespace attn
