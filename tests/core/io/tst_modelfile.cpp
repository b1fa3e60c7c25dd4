// SPDX-License-Identifier: GPL-3.0-or-later
// Model files: save/load of real layers' parameters bit for bit (PyTorch names and shapes, biases
// as 1-D tensors), F32 and F64 files, the architecture JSON, and every mismatch (missing, extra,
// mis-shaped tensors, corrupt file) rejected with its exact message and no Mat touched.
#include "core/fileio/atomicfile.h"
#include "core/layers/dense.h"
#include "core/layers/lstm.h"
#include "core/io/modelfile.h"
#include "core/tensor/rng.h"

#include <QTemporaryDir>
#include <QTest>
#include <bit>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>

using namespace attn;

namespace {

QString q(const std::string &s) { return QString::fromStdString(s); }

std::string readBytes(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

void writeBytes(const std::string &path, const std::string &bytes)
{
    std::ofstream(path, std::ios::binary) << bytes;
}

/// Every value of every Mat, bit for bit: equal <=> identical parameters.
std::vector<std::uint64_t> snapshot(const std::vector<ParamRef> &params)
{
    std::vector<std::uint64_t> out;
    for (const ParamRef &p : params)
        for (Eigen::Index i = 0; i < p.value->size(); ++i)
            out.push_back(std::bit_cast<std::uint64_t>(double(p.value->data()[i])));
    return out;
}

/// A small model: LSTM(F=3, H=4) -> Dense(4 -> 2) and a Bahdanau-like (1, 5) vector, all random
/// (the LSTM's biases too, so that a transposed or shifted copy would show).
struct SmallModel {
    Rng rng;
    Lstm lstm;
    Dense dense;
    Mat v; // (1, 5)
    Mat vGrad;
    std::vector<ParamRef> params;
    explicit SmallModel(std::uint64_t seed)
        : rng(seed), lstm(3, 4, rng), dense(4, 2, true, rng), v(1, 5), vGrad(1, 5)
    {
        lstm.appendParams("lstm", params);
        dense.appendParams("dense", params);
        params.push_back({"attention.v", &v, &vGrad});
        for (const ParamRef &p : params)
            for (Eigen::Index i = 0; i < p.value->size(); ++i)
                p.value->data()[i] = Scalar(rng.uniform(-1.0, 1.0));
    }
};

const std::string kArchitecture = R"({"layers":[{"type":"lstm","input_size":3,"hidden_size":4}]})";

/// Runs f; it must throw E with exactly this file and message.
template <typename E>
void expectError(const std::function<void()> &f, const std::string &file, const std::string &message)
{
    try {
        f();
    } catch (const E &e) {
        QCOMPARE(q(e.file), q(file));
        QCOMPARE(q(e.message), q(message));
        QCOMPARE(q(e.what()), q(file + ": " + message));
        return;
    } catch (const std::exception &e) {
        QFAIL(qPrintable(q(std::string("wrong exception: ") + e.what())));
    }
    QFAIL(qPrintable(q("no exception, expected: " + message)));
}

} // namespace

class TestModelFile : public QObject {
    Q_OBJECT
private slots:
    void pathsAndShapes();
    void roundTripIsBitExact();
    void fileFollowsPyTorchLayout();
    void f32FileFromTheDoubleBuild();
    void missingTensorIsRejected();
    void wrongShapeIsRejected();
    void legacyVectorsLoad();
    void extraTensorIsRejected();
    void corruptFileIsRejected();
    void architecture();
    void invalidArgumentsOnSave();
    void failedSaveKeepsTheOldPair();
};

void TestModelFile::pathsAndShapes()
{
    QCOMPARE(q(modelPaths("run/m").weights), q("run/m.safetensors"));
    QCOMPARE(q(modelPaths("run/m").architecture), q("run/m.json"));
    QCOMPARE(q(modelPaths("run/m.safetensors").weights), q("run/m.safetensors"));
    QCOMPARE(q(modelPaths("run/m.safetensors").architecture), q("run/m.json"));
    QCOMPARE(q(modelPaths("run/m.json").weights), q("run/m.safetensors")); // either file names the pair
    QCOMPARE(q(modelPaths("run/m.json").architecture), q("run/m.json"));
    QCOMPARE(q(modelPaths("m.v2").weights), q("m.v2.safetensors"));

    Mat row(1, 6), col(6, 1), m(3, 2);
    QCOMPARE(torchShape({"lstm.bias_ih_l0", &row, nullptr}), std::vector<std::int64_t>{6});
    QCOMPARE(torchShape({"bias", &row, nullptr}), std::vector<std::int64_t>{6});
    QCOMPARE(torchShape({"dense.bias", &row, nullptr}), std::vector<std::int64_t>{6});
    QCOMPARE(torchShape({"attention.v", &row, nullptr}), (std::vector<std::int64_t>{1, 6}));
    QCOMPARE(torchShape({"bias.weight", &row, nullptr}), (std::vector<std::int64_t>{1, 6}));
    QCOMPARE(torchShape({"x.bias", &col, nullptr}), (std::vector<std::int64_t>{6, 1}));
    QCOMPARE(torchShape({"dense.weight", &m, nullptr}), (std::vector<std::int64_t>{3, 2}));
    // LayerNorm weights are vectors in torch, as its biases (nn.TransformerEncoderLayer's norm1,
    // norm2, nn.TransformerEncoder's norm).
    QCOMPARE(torchShape({"encoder.layers.0.norm1.weight", &row, nullptr}), std::vector<std::int64_t>{6});
    QCOMPARE(torchShape({"encoder.layers.1.norm2.weight", &row, nullptr}), std::vector<std::int64_t>{6});
    QCOMPARE(torchShape({"encoder.norm.weight", &row, nullptr}), std::vector<std::int64_t>{6});
    QCOMPARE(torchShape({"norm.weight", &row, nullptr}), std::vector<std::int64_t>{6});
    QCOMPARE(torchShape({"encoder.norm.weight", &m, nullptr}), (std::vector<std::int64_t>{3, 2}));
    QCOMPARE(torchShape({"encoder.layers.0.self_attn.in_proj_bias", &row, nullptr}),
             std::vector<std::int64_t>{6});
    QCOMPARE(torchShape({"pooling.query", &row, nullptr}), (std::vector<std::int64_t>{1, 6}));
    QCOMPARE(torchShape({"input_projection.weight", &col, nullptr}), (std::vector<std::int64_t>{6, 1}));
    QCOMPARE(q(shapeToString({4, 3})), q("[4, 3]"));
    QCOMPARE(q(shapeToString({})), q("[]"));
}

void TestModelFile::roundTripIsBitExact()
{
    QTemporaryDir dir;
    const std::string base = dir.filePath("model").toStdString();
    SmallModel a(1), b(2);
    QVERIFY(snapshot(a.params) != snapshot(b.params));
    saveModel(base, a.params, kArchitecture);
    QVERIFY(std::filesystem::exists(base + ".safetensors"));
    QVERIFY(std::filesystem::exists(base + ".json"));
    // No temporary file is left beside the pair.
    QCOMPARE(std::distance(std::filesystem::directory_iterator(dir.path().toStdString()), {}), 2);
    loadModelWeights(base + ".safetensors", b.params);
    QCOMPARE(snapshot(b.params), snapshot(a.params));
    // Saving the loaded model gives the same bytes.
    saveModel(dir.filePath("again.safetensors").toStdString(), b.params, kArchitecture);
    QCOMPARE(readBytes(dir.filePath("again.safetensors").toStdString()),
             readBytes(base + ".safetensors"));
}

void TestModelFile::fileFollowsPyTorchLayout()
{
    QTemporaryDir dir;
    const std::string base = dir.filePath("m").toStdString();
    SmallModel a(3);
    saveModel(base, a.params, kArchitecture);
    const SafetensorsFile f = readSafetensors(base + ".safetensors");
    QCOMPARE(q(f.metadata.at("format")), q("pt"));
    struct Expected {
        const char *name;
        std::vector<std::int64_t> shape;
    };
    const Expected expected[] = {{"lstm.weight_ih_l0", {16, 3}}, {"lstm.weight_hh_l0", {16, 4}},
                                 {"lstm.bias_ih_l0", {16}},      {"lstm.bias_hh_l0", {16}},
                                 {"dense.weight", {2, 4}},       {"dense.bias", {2}},
                                 {"attention.v", {1, 5}}};
    QCOMPARE(f.tensors.size(), std::size(expected));
    for (std::size_t i = 0; i < f.tensors.size(); ++i) {
        QCOMPARE(q(f.tensors[i].name), q(expected[i].name));
        QCOMPARE(f.tensors[i].shape, expected[i].shape);
        QCOMPARE(q(toString(f.tensors[i].dtype)), q(toString(kScalarDType)));
    }
    // Row-major: element (r, c) of weight_ih (4H x F) is at r * F + c; gate f's first row is 4.
    const Mat &w = a.lstm.params().weightIh;
    QCOMPARE(f.tensors[0].data[4 * 3 + 2], double(w(4, 2)));
    QCOMPARE(f.tensors[4].data[1 * 4 + 3], double(a.dense.params().weight(1, 3)));
    QCOMPARE(f.tensors[2].data[5], double(a.lstm.params().biasIh(0, 5)));
    QCOMPARE(q(readBytes(base + ".json")), q(kArchitecture + "\n"));
}

void TestModelFile::f32FileFromTheDoubleBuild()
{
    QTemporaryDir dir;
    const std::string base = dir.filePath("f32").toStdString();
    SmallModel a(4), b(5);
    saveModel(base, a.params, kArchitecture, TensorDType::F32);
    const SafetensorsFile f = readSafetensors(base + ".safetensors");
    QCOMPARE(q(toString(f.tensors[0].dtype)), q(toString(TensorDType::F32)));
    // Each value rounded to the nearest float; loading it back gives exactly those floats.
    loadModelWeights(base, b.params);
    for (std::size_t i = 0; i < a.params.size(); ++i)
        for (Eigen::Index k = 0; k < a.params[i].value->size(); ++k)
            QCOMPARE(double(b.params[i].value->data()[k]),
                     double(static_cast<float>(a.params[i].value->data()[k])));
}

void TestModelFile::missingTensorIsRejected()
{
    QTemporaryDir dir;
    const std::string path = dir.filePath("m.safetensors").toStdString();
    SmallModel a(6), b(7);
    std::vector<NamedTensor> tensors = modelTensors(a.params, kScalarDType);
    tensors.erase(tensors.begin() + 3); // lstm.bias_hh_l0
    writeSafetensors(path, tensors);
    const auto before = snapshot(b.params);
    expectError<ModelFileError>([&] { loadModelWeights(path, b.params); }, path,
                                "missing tensor \"lstm.bias_hh_l0\" (expected shape [16])");
    QCOMPARE(snapshot(b.params), before);
}

void TestModelFile::wrongShapeIsRejected()
{
    QTemporaryDir dir;
    const std::string path = dir.filePath("m.safetensors").toStdString();
    SmallModel a(8), b(9);
    const auto before = snapshot(b.params);

    // A model with F = 2 instead of 3: weight_ih is (16, 2).
    std::vector<NamedTensor> tensors = modelTensors(a.params, kScalarDType);
    tensors[0].shape = {16, 2};
    tensors[0].data.resize(32);
    writeSafetensors(path, tensors);
    expectError<ModelFileError>([&] { loadModelWeights(path, b.params); }, path,
                                "tensor \"lstm.weight_ih_l0\" has shape [16, 2], expected [16, 3]");
    QCOMPARE(snapshot(b.params), before);

    // The right values but a bias saved as a (1, n) matrix instead of torch's [n].
    tensors = modelTensors(a.params, kScalarDType);
    tensors[5].shape = {1, 2};
    writeSafetensors(path, tensors);
    expectError<ModelFileError>([&] { loadModelWeights(path, b.params); }, path,
                                "tensor \"dense.bias\" has shape [1, 2], expected [2]");
    QCOMPARE(snapshot(b.params), before);

    // A transposed Linear weight (in x out, Keras' kernel layout).
    tensors = modelTensors(a.params, kScalarDType);
    tensors[4].shape = {4, 2};
    writeSafetensors(path, tensors);
    expectError<ModelFileError>([&] { loadModelWeights(path, b.params); }, path,
                                "tensor \"dense.weight\" has shape [4, 2], expected [2, 4]");
    QCOMPARE(snapshot(b.params), before);
}

void TestModelFile::legacyVectorsLoad()
{
    // Files written before LayerNorm weights and in_proj_bias were saved as vectors hold them
    // as [1, n]; their values load unchanged. Another bias saved that way is still refused
    // (wrongShapeIsRejected).
    QTemporaryDir dir;
    const std::string path = dir.filePath("n.safetensors").toStdString();
    Mat gamma(1, 3), beta(1, 3), gammaIn(1, 3), betaIn(1, 3);
    gamma << 0.5, 1.5, -2.0;
    beta << 0.25, 0.0, 1.0;
    gammaIn.setZero();
    betaIn.setZero();
    std::vector<ParamRef> saved{{"norm1.weight", &gamma, nullptr}, {"a.in_proj_bias", &beta, nullptr}};
    std::vector<ParamRef> loaded{{"norm1.weight", &gammaIn, nullptr}, {"a.in_proj_bias", &betaIn, nullptr}};
    std::vector<NamedTensor> tensors = modelTensors(saved, kScalarDType);
    QCOMPARE(tensors[0].shape, std::vector<std::int64_t>{3});
    QCOMPARE(tensors[1].shape, std::vector<std::int64_t>{3});
    tensors[0].shape = {1, 3};
    tensors[1].shape = {1, 3};
    writeSafetensors(path, tensors);
    loadModelWeights(path, loaded);
    QVERIFY(gammaIn == gamma);
    QVERIFY(betaIn == beta);
    tensors[0].shape = {3, 1}; // not a row: refused
    writeSafetensors(path, tensors);
    expectError<ModelFileError>([&] { loadModelWeights(path, loaded); }, path,
                                "tensor \"norm1.weight\" has shape [3, 1], expected [3]");
}

void TestModelFile::extraTensorIsRejected()
{
    QTemporaryDir dir;
    const std::string path = dir.filePath("m.safetensors").toStdString();
    SmallModel a(10), b(11);
    std::vector<NamedTensor> tensors = modelTensors(a.params, kScalarDType);
    tensors.push_back({"lstm.weight_ih_l1", kScalarDType, {3}, {1, 2, 3}});
    writeSafetensors(path, tensors);
    const auto before = snapshot(b.params);
    expectError<ModelFileError>(
        [&] { loadModelWeights(path, b.params); }, path,
        "unexpected tensor \"lstm.weight_ih_l1\" with shape [3] (the model has no parameter of "
        "that name)");
    QCOMPARE(snapshot(b.params), before);
}

void TestModelFile::corruptFileIsRejected()
{
    QTemporaryDir dir;
    const std::string base = dir.filePath("m").toStdString();
    const std::string path = base + ".safetensors";
    SmallModel a(12), b(13);
    saveModel(base, a.params, kArchitecture);
    const std::string good = readBytes(path);
    const auto before = snapshot(b.params);

    // Cut off the last 4 bytes: the last tensor no longer fits in the buffer.
    writeBytes(path, good.substr(0, good.size() - 4));
    try {
        loadModelWeights(base, b.params);
        QFAIL("a truncated file loaded");
    } catch (const SafetensorsError &e) {
        QCOMPARE(q(e.file), q(path));
        QVERIFY2(q(e.message).startsWith("tensor \"attention.v\": data_offsets ["), e.what());
        QVERIFY2(q(e.message).contains("out of range: the data buffer has"), e.what());
    }
    QCOMPARE(snapshot(b.params), before);

    // Every single-byte truncation: an error, never a crash or a partial load.
    for (std::size_t n = 0; n < good.size(); ++n) {
        writeBytes(path, good.substr(0, n));
        QVERIFY_THROWS_EXCEPTION(SafetensorsError, loadModelWeights(base, b.params));
    }
    QCOMPARE(snapshot(b.params), before);

    expectError<SafetensorsError>([&] { loadModelWeights(dir.filePath("none").toStdString(), b.params); },
                                  dir.filePath("none.safetensors").toStdString(),
                                  "cannot open the file: No such file or directory (expected a "
                                  "safetensors file)");
    QCOMPARE(snapshot(b.params), before);
}

void TestModelFile::architecture()
{
    QTemporaryDir dir;
    const std::string base = dir.filePath("m").toStdString();
    SmallModel a(14);
    saveModel(base, a.params, kArchitecture + "\n");
    QCOMPARE(q(readBytes(base + ".json")), q(kArchitecture + "\n")); // no second newline
    QCOMPARE(q(readModelArchitecture(base)), q(kArchitecture + "\n"));
    QCOMPARE(q(readModelArchitecture(base + ".safetensors")), q(kArchitecture + "\n"));

    const std::string json = base + ".json";
    writeBytes(json, "[1, 2]");
    expectError<ModelFileError>([&] { readModelArchitecture(base); }, json,
                                "architecture is not a JSON object (found an array)");
    writeBytes(json, "{\"layers\": [");
    expectError<ModelFileError>(
        [&] { readModelArchitecture(base); }, json,
        "architecture is not valid JSON: parse error at line 1, column 13: syntax error while "
        "parsing value - unexpected end of input; expected '[', '{', or a literal");
    writeBytes(json, "");
    expectError<ModelFileError>(
        [&] { readModelArchitecture(base); }, json,
        "architecture is not valid JSON: parse error at line 1, column 1: syntax error while "
        "parsing value - unexpected end of input; expected '[', '{', or a literal");
    writeBytes(json, "{\"name\": \"\xff\"}");
    expectError<ModelFileError>(
        [&] { readModelArchitecture(base); }, json,
        "architecture is not valid JSON: parse error at line 1, column 11: syntax error while "
        "parsing value - invalid string: ill-formed UTF-8 byte; last read: '\"\xef\xbf\xbd'");
    std::filesystem::remove(json);
    expectError<ModelFileError>([&] { readModelArchitecture(base); }, json,
                                "cannot open the file: No such file or directory (expected the "
                                "model's architecture JSON)");
    writeBytes(json, "{\"a\":\"" + std::string(kMaxArchitectureBytes, 'x') + "\"}");
    expectError<ModelFileError>([&] { readModelArchitecture(base); }, json,
                                "file too large: 16777224 bytes, more than 16777216 (expected the "
                                "model's architecture JSON)");
    std::filesystem::remove(json);
    std::filesystem::create_directory(json);
    expectError<ModelFileError>([&] { readModelArchitecture(base); }, json,
                                "is a directory (expected the model's architecture JSON)");

    // Saving with an invalid architecture writes nothing.
    const std::string other = dir.filePath("other").toStdString();
    expectError<ModelFileError>([&] { saveModel(other, a.params, "{\"layers\":"); }, other + ".json",
                                "architecture is not valid JSON: parse error at line 1, column 11: "
                                "syntax error while parsing value - unexpected end of input; "
                                "expected '[', '{', or a literal");
    expectError<ModelFileError>([&] { saveModel(other, a.params, "\"lstm\""); }, other + ".json",
                                "architecture is not a JSON object (found a string)");
    QVERIFY(!std::filesystem::exists(other + ".safetensors"));
    QVERIFY(!std::filesystem::exists(other + ".json"));
}

void TestModelFile::invalidArgumentsOnSave()
{
    QTemporaryDir dir;
    const std::string base = dir.filePath("m").toStdString();
    Mat m(2, 2);
    m.setZero();
    std::vector<ParamRef> dup = {{"w", &m, nullptr}, {"w", &m, nullptr}};
    expectError<SafetensorsError>([&] { saveModel(base, dup, "{}"); }, base + ".safetensors",
                                  "duplicate tensor name \"w\"");
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, loadModelWeights(base, dup));
    std::vector<ParamRef> null = {{"w", nullptr, nullptr}};
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, saveModel(base, null, "{}"));
    QVERIFY(!std::filesystem::exists(base + ".safetensors"));
}

void TestModelFile::failedSaveKeepsTheOldPair()
{
    QTemporaryDir dir;
    const std::string base = dir.filePath("pair").toStdString();
    SmallModel a(11), b(12);
    saveModel(base, a.params, kArchitecture);
    const std::string oldWeights = readBytes(base + ".safetensors");
    const std::string oldArchitecture = readBytes(base + ".json");
    // A model of other shapes (attention.v (1, 9) instead of (1, 5)), as a retrained one would be.
    std::vector<ParamRef> other = a.params;
    Mat wider = Mat::Constant(1, 9, Scalar(0.5));
    other.back().value = &wider;
    const std::string otherArchitecture = R"({"layers":[{"type":"lstm","hidden_size":9}]})";
    // The disk fills while NAME.json (the second file) is written.
    failNthFileWriteForTesting(2, ENOSPC);
    expectError<IoError>([&] { saveModel(base, other, otherArchitecture); }, base + ".json",
                         std::string("cannot write the file: ") + std::strerror(ENOSPC));
    QCOMPARE(readBytes(base + ".safetensors"), oldWeights);
    QCOMPARE(readBytes(base + ".json"), oldArchitecture);
    QCOMPARE(std::distance(std::filesystem::directory_iterator(dir.path().toStdString()), {}), 2);
    loadModelWeights(base, b.params); // the old pair loads, with the old shapes
    QCOMPARE(snapshot(b.params), snapshot(a.params));
    // Without the failure the new pair replaces the old one (so the case above was a real change).
    saveModel(base, other, otherArchitecture);
    QCOMPARE(q(readBytes(base + ".json")), q(otherArchitecture + "\n"));
    QVERIFY_THROWS_EXCEPTION(ModelFileError, loadModelWeights(base, b.params));
}

QTEST_GUILESS_MAIN(TestModelFile)
#include "tst_modelfile.moc"
