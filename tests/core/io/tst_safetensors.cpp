// SPDX-License-Identifier: GPL-3.0-or-later
// The safetensors reader and writer: a tiny file written byte for byte as the format describes,
// bit-exact round trips (special values, F32 rounding, empty and scalar tensors), every malformed
// header with its exact message, writer and I/O errors, and the fuzzer's regression inputs and
// seeds (fuzz/) replayed through the normal build.
#include "core/fileio/atomicfile.h"
#include "core/io/modelfile.h"
#include "core/io/safetensors.h"

#include <QTemporaryDir>
#include <QTest>
#include <bit>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>

using namespace attn;

namespace {

QString q(const std::string &s) { return QString::fromStdString(s); }

/// A file from its parts: the 8-byte little-endian length of header, header, buffer.
std::string stFile(const std::string &header, const std::string &buffer = {})
{
    std::string out;
    std::uint64_t n = header.size();
    for (int i = 0; i < 8; ++i)
        out.push_back(char((n >> (8 * i)) & 0xFF));
    return out + header + buffer;
}

/// One tensor entry of a header.
std::string entry(const std::string &name, const std::string &dtype, const std::string &shape,
                  const std::string &offsets)
{
    return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape +
           ",\"data_offsets\":" + offsets + "}";
}

/// Runs f; it must throw a SafetensorsError with exactly this file and message.
void expectError(const std::function<void()> &f, const std::string &file, const std::string &message)
{
    try {
        f();
    } catch (const SafetensorsError &e) {
        QCOMPARE(q(e.file), q(file));
        QCOMPARE(q(e.message), q(message));
        QCOMPARE(q(e.what()), q(file + ": " + message));
        return;
    }
    QFAIL(qPrintable(q("no SafetensorsError, expected: " + message)));
}

std::string readBytes(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

void writeBytes(const std::string &path, const std::string &bytes)
{
    std::ofstream(path, std::ios::binary) << bytes;
}

std::uint64_t bits(double v) { return std::bit_cast<std::uint64_t>(v); }

} // namespace

class TestSafetensors : public QObject {
    Q_OBJECT
private slots:
    void encodesTheSpecByteForByte();
    void parsesAHandWrittenFile();
    void roundTripIsBitExact();
    void f32RoundsToNearestFloat();
    void emptyAndScalarTensors();
    void acceptsPaddingAndAnyOrder();
    void rejectsMalformedFiles_data();
    void rejectsMalformedFiles();
    void rejectsBadTensorsOnWrite();
    void fileErrors();
    void failedWriteKeepsTheOldFile();
    void quotesNamesInMessages();
    void fuzzRegressionsAndSeeds();
};

void TestSafetensors::encodesTheSpecByteForByte()
{
    NamedTensor a{"a", TensorDType::F32, {2}, {1.0, -2.0}};
    NamedTensor b{"b", TensorDType::F64, {}, {0.5}};
    const std::string bytes = encodeSafetensors({a, b}, {{"k", "v"}});
    // 132 bytes of JSON + 4 spaces: 8 + 136 is a multiple of 8.
    const std::string header = "{\"__metadata__\":{\"k\":\"v\"},"
                               "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                               "\"b\":{\"dtype\":\"F64\",\"shape\":[],\"data_offsets\":[8,16]}}    ";
    QCOMPARE(header.size(), std::size_t(136));
    const std::string expected = std::string("\x88\0\0\0\0\0\0\0", 8) + header +
                                 std::string("\0\0\x80\x3f", 4) +        // 1.0f  = 0x3f800000
                                 std::string("\0\0\0\xc0", 4) +          // -2.0f = 0xc0000000
                                 std::string("\0\0\0\0\0\0\xe0\x3f", 8); // 0.5   = 0x3fe0000000000000
    QCOMPARE(bytes.size(), expected.size());
    QCOMPARE(QByteArray::fromStdString(bytes).toHex(), QByteArray::fromStdString(expected).toHex());
}

void TestSafetensors::parsesAHandWrittenFile()
{
    // Written by hand: header in another key order, no padding, F64 first in the buffer.
    const std::string header = "{\"w\":{\"shape\":[2,2],\"dtype\":\"F32\",\"data_offsets\":[8,24]},"
                               "\"__metadata__\":{\"format\":\"pt\",\"note\":\"h\\u00e9\"},"
                               "\"s\":{\"data_offsets\":[0,8],\"dtype\":\"F64\",\"shape\":[1]}}";
    const std::string buffer = std::string("\0\0\0\0\0\0\xf0\xbf", 8) + // -1.0
                               std::string("\0\0\0\x3f", 4) +         // 0.5f
                               std::string("\0\0\x80\x3f", 4) +       // 1.0f
                               std::string("\0\0\0\x40", 4) +         // 2.0f
                               std::string("\0\0\x40\x40", 4);        // 3.0f
    const SafetensorsFile f = parseSafetensors(stFile(header, buffer), "hand.safetensors");
    QCOMPARE(q(f.file), q("hand.safetensors"));
    QCOMPARE(f.tensors.size(), std::size_t(2));
    // In buffer order.
    QCOMPARE(q(f.tensors[0].name), q("s"));
    QCOMPARE(q(toString(f.tensors[0].dtype)), q(toString(TensorDType::F64)));
    QCOMPARE(f.tensors[0].shape, std::vector<std::int64_t>{1});
    QCOMPARE(f.tensors[0].data, std::vector<double>{-1.0});
    QCOMPARE(q(f.tensors[1].name), q("w"));
    QCOMPARE(q(toString(f.tensors[1].dtype)), q(toString(TensorDType::F32)));
    QCOMPARE(f.tensors[1].shape, (std::vector<std::int64_t>{2, 2}));
    QCOMPARE(f.tensors[1].data, (std::vector<double>{0.5, 1.0, 2.0, 3.0}));
    QCOMPARE(f.metadata.size(), std::size_t(2));
    QCOMPARE(q(f.metadata.at("format")), q("pt"));
    QCOMPARE(q(f.metadata.at("note")), q("h\xc3\xa9"));
    QVERIFY(f.find("w") == &f.tensors[1]);
    QVERIFY(f.find("x") == nullptr);
}

void TestSafetensors::roundTripIsBitExact()
{
    const double inf = std::numeric_limits<double>::infinity();
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const float fden = std::numeric_limits<float>::denorm_min();
    const float fmax = std::numeric_limits<float>::max();
    NamedTensor f32{"layer.weight", TensorDType::F32, {2, 4},
                    {0.0, -0.0, double(fden), double(fmax), -inf, nan, double(0.1f), -3.25}};
    NamedTensor f64{"layer.bias", TensorDType::F64, {6},
                    {0.1, -0.0, std::numeric_limits<double>::denorm_min(),
                     std::numeric_limits<double>::max(), inf, -nan}};
    QTemporaryDir dir;
    const std::string path = dir.filePath("t.safetensors").toStdString();
    writeSafetensors(path, {f32, f64}, {{"format", "pt"}});
    QVERIFY(!std::filesystem::exists(path + ".tmp"));
    const SafetensorsFile f = readSafetensors(path);
    QCOMPARE(f.tensors.size(), std::size_t(2));
    const NamedTensor *in[] = {&f32, &f64};
    for (int i = 0; i < 2; ++i) {
        QCOMPARE(q(f.tensors[i].name), q(in[i]->name));
        QCOMPARE(q(toString(f.tensors[i].dtype)), q(toString(in[i]->dtype)));
        QCOMPARE(f.tensors[i].shape, in[i]->shape);
        QCOMPARE(f.tensors[i].data.size(), in[i]->data.size());
        for (std::size_t k = 0; k < in[i]->data.size(); ++k)
            QCOMPARE(bits(f.tensors[i].data[k]), bits(in[i]->data[k]));
    }
    QCOMPARE(q(f.metadata.at("format")), q("pt"));
    // Reading and writing again gives the same bytes.
    writeSafetensors(path + "2", f.tensors, f.metadata);
    QCOMPARE(readBytes(path + "2"), readBytes(path));
}

void TestSafetensors::f32RoundsToNearestFloat()
{
    const double values[] = {0.1, 1.0 / 3.0, 1e-46, 3.5e38, 1.0 + 0x1p-24, 1.0 + 0x1p-24 + 0x1p-40};
    NamedTensor t{"x", TensorDType::F32, {6}, {std::begin(values), std::end(values)}};
    const SafetensorsFile f = parseSafetensors(encodeSafetensors({t}, {}), "r");
    for (int i = 0; i < 6; ++i)
        QCOMPARE(bits(f.tensors[0].data[i]), bits(double(static_cast<float>(values[i]))));
    QCOMPARE(f.tensors[0].data[2], 0.0);                                   // below the subnormals
    QVERIFY(std::isinf(f.tensors[0].data[3]));                             // beyond FLT_MAX
    QCOMPARE(f.tensors[0].data[4], 1.0);                                   // a tie rounds to even
    QCOMPARE(f.tensors[0].data[5], 1.0 + 0x1p-23);                         // above the tie: up
}

void TestSafetensors::emptyAndScalarTensors()
{
    NamedTensor e{"empty", TensorDType::F32, {0, 3}, {}};
    NamedTensor s{"scalar", TensorDType::F64, {}, {42.0}};
    NamedTensor v{"v", TensorDType::F32, {1}, {7.0}};
    const std::string bytes = encodeSafetensors({e, s, v}, {});
    QVERIFY(bytes.find("\"empty\":{\"dtype\":\"F32\",\"shape\":[0,3],\"data_offsets\":[0,0]}") !=
            std::string::npos);
    const SafetensorsFile f = parseSafetensors(bytes, "e");
    QCOMPARE(f.tensors.size(), std::size_t(3));
    QCOMPARE(q(f.tensors[0].name), q("empty"));
    QCOMPARE(f.tensors[0].shape, (std::vector<std::int64_t>{0, 3}));
    QVERIFY(f.tensors[0].data.empty());
    QCOMPARE(f.tensors[0].elements(), std::size_t(0));
    QCOMPARE(f.tensors[1].shape, std::vector<std::int64_t>{});
    QCOMPARE(f.tensors[1].elements(), std::size_t(1));
    QCOMPARE(f.tensors[1].data, std::vector<double>{42.0});
    QCOMPARE(f.tensors[2].data, std::vector<double>{7.0});
    // No tensors at all: "{}" padded, an empty buffer.
    const std::string none = encodeSafetensors({}, {});
    QCOMPARE(q(none.substr(8)), q("{}      "));
    QVERIFY(parseSafetensors(none, "n").tensors.empty());
}

void TestSafetensors::acceptsPaddingAndAnyOrder()
{
    // Whitespace around the JSON, "-0" as an offset, tensors listed out of buffer order.
    const std::string header = "  {\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]},\n"
                               "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[-0,4]}}   ";
    const SafetensorsFile f = parseSafetensors(
        stFile(header, std::string("\0\0\x80\x3f\0\0\0\x40", 8)), "p");
    QCOMPARE(q(f.tensors[0].name), q("a"));
    QCOMPARE(f.tensors[0].data, std::vector<double>{1.0});
    QCOMPARE(q(f.tensors[1].name), q("b"));
    QCOMPARE(f.tensors[1].data, std::vector<double>{2.0});
}

void TestSafetensors::rejectsMalformedFiles_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("message");
    auto row = [](const char *tag, const std::string &bytes, const std::string &message) {
        QTest::newRow(tag) << QByteArray::fromStdString(bytes) << q(message);
    };
    const std::string buf8(8, '\0');
    const std::string a = entry("a", "F32", "[2]", "[0,8]");

    row("empty file", "", "truncated file: 0 bytes, expected at least 8 for the header length");
    row("7 bytes", std::string(7, '\x01'),
        "truncated file: 7 bytes, expected at least 8 for the header length");
    row("absurd length", std::string("\x01\xe1\xf5\x05\0\0\0\0", 8) + "{}",
        "header length 100000001 exceeds the limit of 100000000 bytes");
    row("max length", std::string(8, '\xff'),
        "header length 18446744073709551615 exceeds the limit of 100000000 bytes");
    row("length beyond file", std::string("\x10\0\0\0\0\0\0\0", 8) + "{}",
        "header length 16 exceeds the file: only 2 bytes follow the 8-byte length");
    row("empty header", stFile(""),
        "header is not valid JSON: parse error at line 1, column 1: syntax error while parsing value - unexpected end of input; "
        "expected '[', '{', or a literal");
    row("not json", stFile("{\"a\":"),
        "header is not valid JSON: parse error at line 1, column 6: syntax error while parsing value - unexpected end of input; "
        "expected '[', '{', or a literal");
    row("garbage after json", stFile("{} x"),
        "header is not valid JSON: parse error at line 1, column 4: syntax error while parsing "
        "value - invalid literal; last read: '{} x'; expected end of input");
    row("bad utf8", stFile("{\"\xff\":1}"),
        "header is not valid JSON: parse error at line 1, column 3: syntax error while parsing "
        "object key - invalid string: ill-formed UTF-8 byte; last read: '\"\xef\xbf\xbd'; "
        "expected string literal");
    row("long bad token", stFile("{\"" + std::string(1000, 'x')),
        "header is not valid JSON: parse error at line 1, column 1003: syntax error while parsing "
        "object key - invalid string: missing closing quote; last read: '\"" + std::string(39, 'x') +
            "...'; expected string literal");
    row("array", stFile("[1,2]"), "header is not a JSON object (found an array)");
    row("number", stFile("12"), "header is not a JSON object (found a number 12)");
    row("string", stFile("\"x\""), "header is not a JSON object (found a string \"x\")");
    row("null", stFile("null"), "header is not a JSON object (found null)");
    row("tensor not object", stFile("{\"a\":[1]}"),
        "tensor \"a\": expected an object with dtype, shape and data_offsets (found an array)");
    row("missing dtype", stFile("{\"a\":{\"shape\":[2],\"data_offsets\":[0,8]}}", buf8),
        "tensor \"a\": missing \"dtype\"");
    row("missing shape", stFile("{\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,8]}}", buf8),
        "tensor \"a\": missing \"shape\"");
    row("missing offsets", stFile("{\"a\":{\"dtype\":\"F32\",\"shape\":[2]}}", buf8),
        "tensor \"a\": missing \"data_offsets\"");
    row("dtype number", stFile("{\"a\":{\"dtype\":32}}"),
        "tensor \"a\": \"dtype\" must be a string (found a number 32)");
    row("unsupported dtype", stFile("{" + entry("a", "F16", "[2]", "[0,4]") + "}", "1234"),
        "tensor \"a\": unsupported dtype \"F16\" (expected F32 or F64)");
    row("lower-case dtype", stFile("{" + entry("a", "f32", "[2]", "[0,8]") + "}", buf8),
        "tensor \"a\": unsupported dtype \"f32\" (expected F32 or F64)");
    row("shape object", stFile("{\"a\":{\"shape\":{}}}"),
        "tensor \"a\": \"shape\" must be an array of non-negative integers (found an object)");
    row("shape string", stFile("{\"a\":{\"shape\":\"2\"}}"),
        "tensor \"a\": \"shape\" must be an array of non-negative integers (found a string \"2\")");
    row("negative dim", stFile("{\"a\":{\"shape\":[2,-3]}}"),
        "tensor \"a\": negative dimension -3 in \"shape\"");
    row("float dim", stFile("{\"a\":{\"shape\":[2.5]}}"),
        "tensor \"a\": \"shape\" must be an array of non-negative integers (found a number 2.5)");
    row("nested dim", stFile("{\"a\":{\"shape\":[[2]]}}"),
        "tensor \"a\": \"shape\" must be an array of non-negative integers (found an array)");
    row("huge dim", stFile("{\"a\":{\"shape\":[9223372036854775808]}}"),
        "tensor \"a\": dimension 9223372036854775808 in \"shape\" is too large");
    row("dim beyond u64", stFile("{\"a\":{\"shape\":[18446744073709551616]}}"),
        "tensor \"a\": \"shape\" must be an array of non-negative integers (found a number "
        "18446744073709551616)");
    row("offsets number", stFile("{\"a\":{\"data_offsets\":8}}"),
        "tensor \"a\": \"data_offsets\" must be [begin, end] with non-negative integers (found a "
        "number 8)");
    row("one offset", stFile("{\"a\":{\"data_offsets\":[8]}}"),
        "tensor \"a\": \"data_offsets\" must be [begin, end] with non-negative integers (found an "
        "array of 1 element)");
    row("no offsets", stFile("{\"a\":{\"data_offsets\":[]}}"),
        "tensor \"a\": \"data_offsets\" must be [begin, end] with non-negative integers (found an "
        "array of 0 elements)");
    row("three offsets", stFile("{\"a\":{\"data_offsets\":[0,8,16]}}"),
        "tensor \"a\": \"data_offsets\" must be [begin, end] with non-negative integers (found an "
        "array of 3 elements)");
    row("negative offset", stFile("{\"a\":{\"data_offsets\":[-8,0]}}"),
        "tensor \"a\": \"data_offsets\" must be [begin, end] with non-negative integers (found a "
        "number -8)");
    row("string offset", stFile("{\"a\":{\"data_offsets\":[\"0\",8]}}"),
        "tensor \"a\": \"data_offsets\" must be [begin, end] with non-negative integers (found a "
        "string \"0\")");
    row("unknown key", stFile("{\"a\":{\"dtype\":\"F32\",\"stride\":[1]}}"),
        "tensor \"a\": unknown key \"stride\" (expected dtype, shape, data_offsets)");
    row("duplicate key", stFile("{\"a\":{\"dtype\":\"F32\",\"dtype\":\"F64\"}}"),
        "tensor \"a\": duplicate key \"dtype\"");
    row("duplicate shape", stFile("{\"a\":{\"shape\":[1],\"shape\":[2]}}"),
        "tensor \"a\": duplicate key \"shape\"");
    row("duplicate name", stFile("{" + a + "," + entry("a", "F32", "[2]", "[0,8]") + "}", buf8),
        "duplicate tensor name \"a\"");
    row("metadata array", stFile("{\"__metadata__\":[]}"),
        "\"__metadata__\" must be an object of strings (found an array)");
    row("metadata number", stFile("{\"__metadata__\":{\"k\":1}}"),
        "\"__metadata__\": value of \"k\" must be a string (found a number 1)");
    row("metadata nested", stFile("{\"__metadata__\":{\"k\":{}}}"),
        "\"__metadata__\": value of \"k\" must be a string (found an object)");
    row("metadata duplicate key", stFile("{\"__metadata__\":{\"k\":\"1\",\"k\":\"2\"}}"),
        "\"__metadata__\": duplicate key \"k\"");
    row("metadata twice", stFile("{\"__metadata__\":{},\"__metadata__\":{}}"),
        "duplicate \"__metadata__\"");
    row("begin after end", stFile("{" + entry("a", "F32", "[2]", "[8,0]") + "}", buf8),
        "tensor \"a\": data_offsets [8, 0]: begin is after end");
    row("offsets out of range", stFile("{" + entry("a", "F32", "[4]", "[0,16]") + "}", buf8),
        "tensor \"a\": data_offsets [0, 16] out of range: the data buffer has 8 bytes");
    row("offset beyond u64 range", stFile("{" + entry("a", "F32", "[4]", "[0,18446744073709551615]") + "}", buf8),
        "tensor \"a\": data_offsets [0, 18446744073709551615] out of range: the data buffer has 8 bytes");
    row("shape vs bytes", stFile("{" + entry("a", "F32", "[3]", "[0,8]") + "}", buf8),
        "tensor \"a\": shape [3] of F32 needs 12 bytes, data_offsets [0, 8] cover 8");
    row("F64 shape vs bytes", stFile("{" + entry("a", "F64", "[2]", "[0,8]") + "}", buf8),
        "tensor \"a\": shape [2] of F64 needs 16 bytes, data_offsets [0, 8] cover 8");
    row("shape overflow", stFile("{" + entry("a", "F64", "[4294967296,4294967296]", "[0,8]") + "}", buf8),
        "tensor \"a\": shape [4294967296, 4294967296] of F64 needs more than "
        "18446744073709551615 bytes, data_offsets [0, 8] cover 8");
    row("overlap", stFile("{" + entry("a", "F32", "[2]", "[0,8]") + "," + entry("b", "F32", "[2]", "[4,12]") + "}",
                          std::string(12, '\0')),
        "tensors \"a\" [0, 8] and \"b\" [4, 12] overlap");
    row("same range", stFile("{" + entry("a", "F32", "[2]", "[0,8]") + "," + entry("b", "F32", "[2]", "[0,8]") + "}",
                             buf8),
        "tensors \"a\" [0, 8] and \"b\" [0, 8] overlap");
    row("gap at start", stFile("{" + entry("a", "F32", "[1]", "[4,8]") + "}", buf8),
        "bytes [0, 4) of the data buffer belong to no tensor");
    row("gap between", stFile("{" + entry("a", "F32", "[1]", "[0,4]") + "," + entry("b", "F32", "[1]", "[8,12]") + "}",
                              std::string(12, '\0')),
        "bytes [4, 8) of the data buffer belong to no tensor");
    row("trailing bytes", stFile("{" + entry("a", "F32", "[1]", "[0,4]") + "}", buf8),
        "bytes [4, 8) of the data buffer belong to no tensor");
    row("bytes but no tensor", stFile("{}", "x"), "bytes [0, 1) of the data buffer belong to no tensor");
    row("truncated buffer", stFile("{" + a + "}", "1234"),
        "tensor \"a\": data_offsets [0, 8] out of range: the data buffer has 4 bytes");
}

void TestSafetensors::rejectsMalformedFiles()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, message);
    expectError([&] { parseSafetensors(bytes.toStdString(), "m.safetensors"); }, "m.safetensors",
                message.toStdString());
    // The same through the file reader.
    QTemporaryDir dir;
    const std::string path = dir.filePath("m.safetensors").toStdString();
    writeBytes(path, bytes.toStdString());
    expectError([&] { readSafetensors(path); }, path, message.toStdString());
}

void TestSafetensors::rejectsBadTensorsOnWrite()
{
    const std::string f = "w.safetensors";
    auto encode = [&](std::vector<NamedTensor> t) { return [=] { encodeSafetensors(t, {}, f); }; };
    NamedTensor ok{"ok", TensorDType::F32, {2}, {1, 2}};
    expectError(encode({ok, ok}), f, "duplicate tensor name \"ok\"");
    expectError(encode({{"", TensorDType::F32, {1}, {1}}}), f, "a tensor has an empty name");
    expectError(encode({{"__metadata__", TensorDType::F32, {1}, {1}}}), f,
                "\"__metadata__\" is reserved, not a tensor name");
    expectError(encode({{"n", TensorDType::F32, {2, -1}, {}}}), f,
                "tensor \"n\": negative dimension -1 in its shape");
    expectError(encode({{"n", TensorDType::F64, {2, 3}, {1, 2, 3, 4, 5}}}), f,
                "tensor \"n\": shape [2, 3] holds 6 values, data has 5");
    expectError(encode({{"n", TensorDType::F64, {1LL << 62, 1LL << 62}, {}}}), f,
                "tensor \"n\": shape [4611686018427387904, 4611686018427387904] is too large");
    expectError(encode({{"bad\xff", TensorDType::F32, {1}, {1}}}), f,
                "tensor name \"bad\xef\xbf\xbd\" is not valid UTF-8");
    expectError([&] { encodeSafetensors({}, {{"k", "\xc3"}}, f); }, f,
                "metadata value of \"k\" is not valid UTF-8");
}

void TestSafetensors::fileErrors()
{
    QTemporaryDir dir;
    const std::string missing = dir.filePath("none.safetensors").toStdString();
    expectError([&] { readSafetensors(missing); }, missing,
                "cannot open the file: No such file or directory (expected a safetensors file)");
    // A device (endless zeros) is refused unread, not read until memory runs out.
    expectError([&] { readSafetensors("/dev/zero"); }, "/dev/zero",
                "is not a regular file (a device, a pipe or a socket) (expected a safetensors file)");
    const std::string folder = dir.path().toStdString();
    expectError([&] { readSafetensors(folder); }, folder,
                "is a directory (expected a safetensors file)");
    const std::string noDir = dir.filePath("no/such/dir/x.safetensors").toStdString();
    QVERIFY_THROWS_EXCEPTION(IoError, writeSafetensors(noDir, {}));
    // An absurd header length is rejected from the first 8 bytes, whatever follows.
    const std::string big = dir.filePath("big.safetensors").toStdString();
    writeBytes(big, std::string("\0\0\0\0\0\0\0\x01", 8) + std::string(1000, '{'));
    expectError([&] { readSafetensors(big); }, big,
                "header length 72057594037927936 exceeds the limit of 100000000 bytes");
}

void TestSafetensors::failedWriteKeepsTheOldFile()
{
    QTemporaryDir dir;
    const std::string path = dir.filePath("keep.safetensors").toStdString();
    writeSafetensors(path, {{"a", TensorDType::F32, {1}, {1}}});
    const std::string before = readBytes(path);
    QVERIFY(!before.empty());
    // The encoder rejects the tensors before anything is written.
    QVERIFY_THROWS_EXCEPTION(SafetensorsError,
                             writeSafetensors(path, {{"a", TensorDType::F32, {2}, {1}}}));
    QCOMPARE(readBytes(path), before);
    // The disk fills while the new file is written: the old file stays.
    failNthFileWriteForTesting(1, ENOSPC);
    QVERIFY_THROWS_EXCEPTION(IoError, writeSafetensors(path, {{"a", TensorDType::F32, {1}, {2}}}));
    QCOMPARE(readBytes(path), before);
}

void TestSafetensors::quotesNamesInMessages()
{
    QCOMPARE(q(quoteForMessage("lstm.weight_ih_l0")), q("\"lstm.weight_ih_l0\""));
    QCOMPARE(q(quoteForMessage("a\"b\n")), q("\"a\\\"b\\n\""));
    QCOMPARE(q(quoteForMessage(std::string(70, 'x'))), q("\"" + std::string(60, 'x') + "...\""));
    // 59 ASCII bytes then a 2-byte character: the cut does not split it.
    QCOMPARE(q(quoteForMessage(std::string(59, 'x') + "\xc3\xa9yz")),
             q("\"" + std::string(59, 'x') + "...\""));
    QCOMPARE(q(quoteForMessage("\xff")), q("\"\xef\xbf\xbd\""));
    QCOMPARE(q(toValidUtf8("ok \xc3\xa9 \xff\xc3 \xed\xa0\x80 \xf0\x9f\x98\x80")),
             q("ok \xc3\xa9 \xef\xbf\xbd\xef\xbf\xbd \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd \xf0\x9f\x98\x80"));
}

void TestSafetensors::fuzzRegressionsAndSeeds()
{
    // Inputs that once crashed the fuzzer (fuzz/regressions/fuzz_modelfile) must now be clean
    // errors or valid files; every seed (generated by the writer) must be a valid file.
    namespace fs = std::filesystem;
    int regressions = 0;
    const fs::path regressionDir = fs::path(ATTN_FUZZ_DIR) / "regressions" / "fuzz_modelfile";
    if (fs::is_directory(regressionDir)) {
        for (const auto &e : fs::directory_iterator(regressionDir)) {
            if (!e.is_regular_file() || e.path().filename() == "README.md")
                continue;
            ++regressions;
            try {
                parseSafetensors(readBytes(e.path().string()), e.path().string());
            } catch (const SafetensorsError &) {
            }
        }
    }
    qInfo("replayed %d regression inputs", regressions);
    int seeds = 0;
    for (const auto &e : fs::directory_iterator(fs::path(ATTN_FUZZ_DIR) / "corpus" / "fuzz_modelfile")) {
        if (e.path().extension() != ".safetensors")
            continue;
        ++seeds;
        const SafetensorsFile f = readSafetensors(e.path().string());
        QVERIFY(!f.tensors.empty());
    }
    QVERIFY(seeds >= 3);
}

QTEST_GUILESS_MAIN(TestSafetensors)
#include "tst_safetensors.moc"
