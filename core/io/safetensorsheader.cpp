// SPDX-License-Identifier: GPL-3.0-or-later
// The safetensors header parser: a SAX state machine (nlohmann::json) that accepts only the
// format's schema, and the text helpers of the format's messages (UTF-8 repair, the JSON parser's
// message, quoting of names).
#include "core/io/safetensorsheader.h"

#include <nlohmann/json.hpp>

#include <limits>
#include <unordered_set>

namespace attn {

namespace {

using Json = nlohmann::json;

constexpr std::size_t kMessageTextBytes = 60; // quoteForMessage keeps this many bytes of the text

/// The header's schema as a state machine over SAX events. Any event the schema does not allow
/// records a message and returns false, which stops the parser at once.
class HeaderSax final : public nlohmann::json_sax<Json> {
public:
    std::vector<SafetensorsHeaderEntry> entries;
    std::map<std::string, std::string> metadata;
    std::string error; // set when a callback returned false

    bool null() override { return value("null"); }
    bool boolean(bool v) override { return value(v ? "true" : "false"); }
    bool number_integer(number_integer_t v) override
    {
        if (v >= 0)
            return number_unsigned(number_unsigned_t(v)); // "-0"
        if (m_state == State::Shape)
            return fail(field("negative dimension " + std::to_string(v) + " in \"shape\""));
        return value("a number " + std::to_string(v));
    }
    bool number_unsigned(number_unsigned_t v) override
    {
        if (m_state == State::Shape) {
            if (v > std::uint64_t(std::numeric_limits<std::int64_t>::max()))
                return fail(field("dimension " + std::to_string(v) + " in \"shape\" is too large"));
            entries.back().shape.push_back(v);
            return true;
        }
        if (m_state == State::Offsets) {
            if (m_offsetCount < 2)
                (m_offsetCount == 0 ? entries.back().begin : entries.back().end) = v;
            ++m_offsetCount;
            return true;
        }
        return value("a number " + std::to_string(v));
    }
    bool number_float(number_float_t, const string_t &text) override
    {
        return value("a number " + text);
    }
    bool string(string_t &v) override
    {
        if (m_state == State::MetaValue) {
            metadata[m_key] = v;
            m_state = State::Meta;
            return true;
        }
        if (m_state == State::TensorValue && m_field == Field::Dtype) {
            entries.back().dtype = v;
            entries.back().hasDtype = true;
            m_state = State::Tensor;
            return true;
        }
        return value("a string " + quoteForMessage(v));
    }
    bool binary(binary_t &) override { return value("binary data"); }

    bool start_object(std::size_t) override
    {
        switch (m_state) {
        case State::Start:
            m_state = State::Top;
            return true;
        case State::TopValue:
            if (m_key == "__metadata__") {
                m_state = State::Meta;
            } else {
                entries.emplace_back();
                entries.back().name = m_key;
                m_state = State::Tensor;
            }
            return true;
        default:
            return value("an object");
        }
    }
    bool key(string_t &k) override
    {
        switch (m_state) {
        case State::Top:
            if (!m_topKeys.insert(k).second)
                return fail(k == "__metadata__" ? std::string("duplicate \"__metadata__\"")
                                                : "duplicate tensor name " + quoteForMessage(k));
            m_key = k;
            m_state = State::TopValue;
            return true;
        case State::Meta:
            if (metadata.count(k))
                return fail("\"__metadata__\": duplicate key " + quoteForMessage(k));
            m_key = k;
            m_state = State::MetaValue;
            return true;
        case State::Tensor: {
            SafetensorsHeaderEntry &e = entries.back();
            bool *seen = nullptr;
            if (k == "dtype") {
                m_field = Field::Dtype;
                seen = &e.hasDtype;
            } else if (k == "shape") {
                m_field = Field::Shape;
                seen = &e.hasShape;
            } else if (k == "data_offsets") {
                m_field = Field::Offsets;
                seen = &e.hasOffsets;
            } else {
                return fail(field("unknown key " + quoteForMessage(k) +
                                  " (expected dtype, shape, data_offsets)"));
            }
            if (*seen)
                return fail(field("duplicate key \"" + k + "\""));
            m_state = State::TensorValue;
            return true;
        }
        default: // the parser only reports keys inside objects, all handled above
            return fail("unexpected key " + quoteForMessage(k));
        }
    }
    bool end_object() override
    {
        switch (m_state) {
        case State::Top:
            m_state = State::Done;
            return true;
        case State::Meta:
            m_state = State::Top;
            return true;
        case State::Tensor: {
            SafetensorsHeaderEntry &e = entries.back();
            if (!e.hasDtype)
                return fail(field("missing \"dtype\""));
            if (!e.hasShape)
                return fail(field("missing \"shape\""));
            if (!e.hasOffsets)
                return fail(field("missing \"data_offsets\""));
            if (e.dtype == "F32")
                e.type = TensorDType::F32;
            else if (e.dtype == "F64")
                e.type = TensorDType::F64;
            else
                return fail(field("unsupported dtype " + quoteForMessage(e.dtype) +
                                  " (expected F32 or F64)"));
            m_state = State::Top;
            return true;
        }
        default:
            return fail("unexpected end of object");
        }
    }
    bool start_array(std::size_t) override
    {
        if (m_state == State::TensorValue && m_field == Field::Shape) {
            entries.back().hasShape = true;
            m_state = State::Shape;
            return true;
        }
        if (m_state == State::TensorValue && m_field == Field::Offsets) {
            entries.back().hasOffsets = true;
            m_offsetCount = 0;
            m_state = State::Offsets;
            return true;
        }
        return value("an array");
    }
    bool end_array() override
    {
        if (m_state == State::Shape) {
            m_state = State::Tensor;
            return true;
        }
        if (m_state == State::Offsets) {
            if (m_offsetCount != 2)
                return fail(field("\"data_offsets\" must be [begin, end] with non-negative "
                                  "integers (found an array of " +
                                  std::to_string(m_offsetCount) +
                                  (m_offsetCount == 1 ? " element)" : " elements)")));
            m_state = State::Tensor;
            return true;
        }
        return fail("unexpected end of array");
    }
    bool parse_error(std::size_t, const std::string &, const nlohmann::detail::exception &ex) override
    {
        return fail("header is not valid JSON: " + jsonParseErrorText(ex.what()));
    }

private:
    enum class State { Start, Top, TopValue, Meta, MetaValue, Tensor, TensorValue, Shape, Offsets, Done };
    enum class Field { Dtype, Shape, Offsets };

    bool fail(std::string message)
    {
        error = std::move(message);
        return false;
    }
    std::string field(const std::string &message) const
    {
        return "tensor " + quoteForMessage(entries.back().name) + ": " + message;
    }
    /// A value (described by `found`) arrived where the schema wants something else.
    bool value(const std::string &found)
    {
        const std::string f = " (found " + found + ")";
        switch (m_state) {
        case State::Start:
            return fail("header is not a JSON object" + f);
        case State::TopValue:
            if (m_key == "__metadata__")
                return fail("\"__metadata__\" must be an object of strings" + f);
            return fail("tensor " + quoteForMessage(m_key) +
                        ": expected an object with dtype, shape and data_offsets" + f);
        case State::MetaValue:
            return fail("\"__metadata__\": value of " + quoteForMessage(m_key) +
                        " must be a string" + f);
        case State::TensorValue:
            if (m_field == Field::Dtype)
                return fail(field("\"dtype\" must be a string" + f));
            if (m_field == Field::Shape)
                return fail(field("\"shape\" must be an array of non-negative integers" + f));
            return fail(field("\"data_offsets\" must be [begin, end] with non-negative integers" + f));
        case State::Shape:
            return fail(field("\"shape\" must be an array of non-negative integers" + f));
        case State::Offsets:
            return fail(field("\"data_offsets\" must be [begin, end] with non-negative integers" + f));
        default: // Top, Meta, Tensor expect keys; Done is followed by nothing (strict parse)
            return fail("unexpected value" + f);
        }
    }

    State m_state = State::Start;
    Field m_field = Field::Dtype;
    std::string m_key;
    std::unordered_set<std::string> m_topKeys;
    std::uint64_t m_offsetCount = 0;
};

} // namespace

SafetensorsHeader parseSafetensorsHeader(std::string_view header, const std::string &file)
{
    HeaderSax sax;
    const bool ok = Json::sax_parse(header.begin(), header.end(), &sax);
    if (!ok || !sax.error.empty())
        throw SafetensorsError(file, sax.error.empty() ? "header is not valid JSON" : sax.error);
    return {std::move(sax.entries), std::move(sax.metadata)};
}

std::string toValidUtf8(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    const auto *p = reinterpret_cast<const unsigned char *>(text.data());
    const std::size_t n = text.size();
    auto cont = [&](std::size_t i, unsigned char lo = 0x80, unsigned char hi = 0xBF) {
        return i < n && p[i] >= lo && p[i] <= hi;
    };
    for (std::size_t i = 0; i < n;) {
        const unsigned char c = p[i];
        std::size_t len = 0; // length of a valid sequence starting at i, 0 if invalid
        if (c < 0x80)
            len = 1;
        else if (c >= 0xC2 && c <= 0xDF)
            len = cont(i + 1) ? 2 : 0;
        else if (c >= 0xE0 && c <= 0xEF) // no overlongs (E0) and no surrogates (ED)
            len = cont(i + 1, c == 0xE0 ? 0xA0 : 0x80, c == 0xED ? 0x9F : 0xBF) && cont(i + 2) ? 3 : 0;
        else if (c >= 0xF0 && c <= 0xF4) // no overlongs (F0) and nothing above U+10FFFF (F4)
            len = cont(i + 1, c == 0xF0 ? 0x90 : 0x80, c == 0xF4 ? 0x8F : 0xBF) && cont(i + 2) &&
                          cont(i + 3)
                      ? 4
                      : 0;
        if (len == 0) {
            out += "\xef\xbf\xbd"; // U+FFFD
            ++i;
        } else {
            out.append(text.substr(i, len));
            i += len;
        }
    }
    return out;
}

namespace {
/// The first `bytes` bytes of text, not splitting a UTF-8 sequence.
std::string_view cutAtCharacter(std::string_view text, std::size_t bytes)
{
    if (text.size() <= bytes)
        return text;
    while (bytes > 0 && (static_cast<unsigned char>(text[bytes]) & 0xC0) == 0x80)
        --bytes;
    return text.substr(0, bytes);
}
} // namespace

std::string jsonParseErrorText(std::string_view what)
{
    if (!what.empty() && what.front() == '[') {
        const auto close = what.find("] ");
        if (close != std::string_view::npos)
            what.remove_prefix(close + 2);
    }
    std::string text(what);
    constexpr std::string_view lastRead = "last read: '";
    constexpr std::size_t kTokenBytes = 40;
    const auto start = text.find(lastRead);
    if (start != std::string::npos) {
        const std::size_t from = start + lastRead.size();
        auto end = text.rfind("'; expected");
        if (end == std::string::npos || end < from)
            end = text.rfind('\'');
        if (end != std::string::npos && end >= from && end - from > kTokenBytes) {
            const std::string_view token = std::string_view(text).substr(from, end - from);
            text = text.substr(0, from) + std::string(cutAtCharacter(token, kTokenBytes)) + "..." +
                   text.substr(end);
        }
    }
    return toValidUtf8(text);
}

std::string quoteForMessage(std::string_view text)
{
    const bool cut = text.size() > kMessageTextBytes;
    text = cutAtCharacter(text, kMessageTextBytes);
    // replace: a message must never throw on a name that is not UTF-8
    std::string quoted = Json(std::string(text)).dump(-1, ' ', false, Json::error_handler_t::replace);
    if (cut)
        quoted.insert(quoted.size() - 1, "...");
    return quoted;
}

} // namespace attn
