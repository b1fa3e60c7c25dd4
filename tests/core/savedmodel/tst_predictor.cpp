// SPDX-License-Identifier: GPL-3.0-or-later
// Saved models end to end in the engine: the architecture JSON round trip and its errors, a
// model saved and loaded predicting bit for bit the same, predictions equal to a direct forward
// (probabilities, classes, attention, un-standardised values), files with and without targets.
#include "core/io/csvparser.h"
#include "core/io/modelfile.h"
#include "core/savedmodel/predictor.h"
#include "core/savedmodel/trainedmodel.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

#include <bit>
#include <cmath>
#include <fstream>

using namespace attn;

namespace {

QString q(const std::string &s) { return QString::fromStdString(s); }

void writeText(const std::string &path, const std::string &text) { std::ofstream(path) << text; }

/// LSTM(4) -> luong(3) -> Dense(O) on T = 5 steps of F = 1 value; weights from the seed.
ModelSpec smallSpec(TaskType type)
{
    ModelSpec s;
    s.task = TaskKind::Csv;
    s.model.inputs = 1;
    s.model.hidden = 4;
    s.model.attention = AttentionKind::Luong;
    s.model.attentionUnits = 3;
    s.model.steps = 5;
    s.steps = 5;
    s.features = 1;
    s.taskType = type;
    s.csv.layout = CsvLayout::Wide;
    s.csv.target = CsvColumn::last();
    s.csv.header = CsvHeader::No;
    if (type == TaskType::Binary) {
        s.loss = LossKind::BinaryCrossEntropy;
        s.classNames = {"no", "yes"};
        s.textClasses = true;
    } else if (type == TaskType::MultiClass) {
        s.loss = LossKind::SoftmaxCrossEntropy;
        s.model.outputs = 3;
        s.classNames = {"1", "2", "3"};
    } else {
        s.loss = LossKind::Mse;
    }
    s.scaling.input.setStatistics({0.5}, {0.25});
    return s;
}

std::shared_ptr<const TrainedModel> randomModel(const ModelSpec &spec, std::uint64_t seed)
{
    Rng rng(seed);
    std::unique_ptr<Model> model = makeModel(spec.model, rng, seed);
    // Random biases too, so that a swapped or shifted tensor would change the outputs.
    for (const ParamRef &p : model->params())
        for (Eigen::Index i = 0; i < p.value->size(); ++i)
            p.value->data()[i] = Scalar(rng.uniform(-0.8, 0.8));
    return captureTrainedModel(*model, spec, 3);
}

/// Six rows of five values and a target (or without one).
std::string sixRows(const std::vector<std::string> &targets)
{
    const double values[6][5] = {{0.1, 0.9, 0.3, 0.4, 0.2}, {0.8, 0.1, 0.0, 0.5, 0.7},
                                 {0.3, 0.3, 0.9, 0.2, 0.1}, {0.6, 0.2, 0.4, 0.8, 0.9},
                                 {0.0, 0.5, 0.5, 0.1, 0.3}, {0.9, 0.7, 0.2, 0.6, 0.4}};
    std::string text;
    for (int r = 0; r < 6; ++r) {
        for (int t = 0; t < 5; ++t) {
            if (t > 0)
                text += ',';
            text += std::to_string(values[r][t]);
        }
        if (!targets.empty()) {
            text += ',';
            text += targets[std::size_t(r)];
        }
        text += "\n";
    }
    return text;
}

std::vector<std::uint64_t> bits(const Mat &m)
{
    std::vector<std::uint64_t> out;
    for (Eigen::Index i = 0; i < m.size(); ++i)
        out.push_back(std::bit_cast<std::uint64_t>(double(m.data()[i])));
    return out;
}

} // namespace

class TestPredictor : public QObject {
    Q_OBJECT
private slots:
    void specJsonRoundTrip();
    void maskPaddingSaved();
    void initSaved();
    void transformerProjectionScale();
    void specErrors_data();
    void specErrors();
    void saveLoadPredictsBitForBit();
    void refusesToWriteWhatItCannotRead();
    void predictMatchesForward();
    void fileWithoutTarget();
    void fileErrors();
    void regressionUnstandardised();
    void multiClassSoftmax();
};

void TestPredictor::specJsonRoundTrip()
{
    ModelSpec s = smallSpec(TaskType::Binary);
    s.scaling.input.setStatistics({0.1}, {0.3}); // not exactly representable: shortest form must round-trip
    s.csv.target = CsvColumn::named("label, \"quoted\"");
    s.csv.delimiter = CsvDelimiter::Semicolon;
    s.words = {"", "good", "bad"};
    s.tokenizer.maxLength = 7;
    s.tokenizer.padding = SequenceSide::Pre;
    const std::string json = modelSpecToJson(s);
    const ModelSpec back = modelSpecFromJson(json, "m.json");
    QCOMPARE(q(modelSpecToJson(back)), q(json));
    QVERIFY(back.task == TaskKind::Csv);
    QCOMPARE(back.model.hidden, 4);
    QVERIFY(back.model.attention == AttentionKind::Luong);
    QVERIFY(back.loss == LossKind::BinaryCrossEntropy);
    QCOMPARE(back.classNames, s.classNames);
    QVERIFY(back.textClasses);
    QCOMPARE(back.scaling.input.mean(), s.scaling.input.mean()); // exact doubles
    QCOMPARE(back.scaling.input.scale(), s.scaling.input.scale());
    QVERIFY(!back.scaling.target.isFitted());
    QCOMPARE(q(back.csv.target.name), q(s.csv.target.name));
    QVERIFY(back.csv.delimiter == CsvDelimiter::Semicolon);
    QCOMPARE(back.words, s.words);
    QCOMPARE(back.tokenizer.maxLength, 7);
    QVERIFY(back.tokenizer.padding == SequenceSide::Pre);
    // The readable layer list names the torch modules with their sizes.
    QVERIFY(json.find("\"type\": \"LSTM\"") != std::string::npos);
    QVERIFY(json.find("\"hidden_size\": 4") != std::string::npos);
}

void TestPredictor::maskPaddingSaved()
{
    // The padding-mask setting is saved, so a loaded model predicts the same; a file written
    // before padding masks existed (no "mask_padding") loads as the unmasked model it was.
    for (bool masked : {true, false}) {
        ModelSpec s = smallSpec(TaskType::Binary);
        s.model.maskPadding = masked;
        const std::string json = modelSpecToJson(s);
        QVERIFY(json.find("\"mask_padding\": " + std::string(masked ? "true" : "false")) != std::string::npos);
        QCOMPARE(modelSpecFromJson(json, "m.json").model.maskPadding, masked);
    }
    ModelSpec s = smallSpec(TaskType::Binary);
    s.model.maskPadding = true;
    QString json = q(modelSpecToJson(s));
    json.replace("\"mask_padding\"", "\"written_by_an_older_version\"");
    QVERIFY(!modelSpecFromJson(json.toStdString(), "m.json").model.maskPadding);
}

void TestPredictor::initSaved()
{
    // The initialisation is saved; a file written before the option (no "init") reads as
    // Keras'; a continuation (--load-model) does not compare it: the weights are the file's.
    ModelSpec s = smallSpec(TaskType::Binary);
    for (WeightInit i : {WeightInit::Keras, WeightInit::PyTorch}) {
        s.model.init = i;
        const std::string json = modelSpecToJson(s);
        QVERIFY(json.find("\"init\": \"" + toString(i) + "\"") != std::string::npos);
        QVERIFY(modelSpecFromJson(json, "m.json").model.init == i);
    }
    QString json = q(modelSpecToJson(s));
    json.replace("\"init\"", "\"written_by_an_older_version\"");
    QVERIFY(modelSpecFromJson(json.toStdString(), "m.json").model.init == WeightInit::Keras);
    ModelSpec keras = s;
    keras.model.init = WeightInit::Keras;
    QCOMPARE(modelSpecDifference(s, keras), std::string());
    keras.model.hidden += 1; // other settings still count
    QCOMPARE(modelSpecDifference(s, keras), std::string("model.hidden: 4 in the model file, 5 in this run"));
}

void TestPredictor::transformerProjectionScale()
{
    // The transformer's input projection is multiplied by sqrt(D) (transformermodel.h); the
    // file says so, and a file without it (written before) is refused: its weights would give
    // other outputs.
    ModelSpec s = smallSpec(TaskType::Regression);
    s.model.attention = AttentionKind::Transformer;
    s.model.modelWidth = 4;
    s.model.encoderLayers = 1;
    s.model.feedForwardUnits = 4;
    QString json = q(modelSpecToJson(s));
    QVERIFY2(json.contains("\"scale\": \"sqrt(d_model)\""), qPrintable(json));
    QCOMPARE(modelSpecFromJson(json.toStdString(), "m.json").model.modelWidth, 4);
    json.replace("\"scale\": \"sqrt(d_model)\"", "\"written_by_an_older_version\": 0");
    try {
        modelSpecFromJson(json.toStdString(), "m.json");
        QFAIL("no error");
    } catch (const ModelFileError &e) {
        QVERIFY2(q(e.what()).startsWith("m.json: layers: the transformer's input projection has no \"scale\""),
                 e.what());
    }
}

void TestPredictor::specErrors_data()
{
    QTest::addColumn<QString>("from");
    QTest::addColumn<QString>("to");
    QTest::addColumn<QString>("message");
    QTest::newRow("not json") << "{" << "[" << "m.json: architecture is not valid JSON: ";
    QTest::newRow("format") << "\"attention-studio-model\"" << "\"keras\""
                            << "m.json: format: \"keras\" is not \"attention-studio-model\"";
    QTest::newRow("version") << "\"version\": 1" << "\"version\": 2"
                             << "m.json: version: 2 (this program reads version 1)";
    QTest::newRow("missing key") << "\"heads\"" << "\"headz\"" << "m.json: model.heads: missing";
    QTest::newRow("mistyped") << "\"causal\": false" << "\"causal\": 0"
                              << "m.json: model.causal: expected true or false";
    QTest::newRow("unknown attention") << "\"attention\": \"luong\"" << "\"attention\": \"luongx\""
                                       << "m.json: model.attention: unknown value \"luongx\" (expected one of "
                                          "luong, luong-dot, bahdanau, feed-forward, local, local-m, self, transformer, feature, none, plain)";
    QTest::newRow("bad size") << "\"hidden\": 4" << "\"hidden\": 0"
                              << "m.json: model: hidden: 0 is less than 1";
    QTest::newRow("huge size") << "\"hidden\": 4" << "\"hidden\": 1000000000"
                               << "m.json: model: hidden: 1000000000 is more than 1024";
    QTest::newRow("huge vocabulary") << "\"vocabulary\": 0" << "\"vocabulary\": 9000000"
                                     << "m.json: model: vocabulary: 9000000 is more than 1000000";
    QTest::newRow("statistics") << "\"scale\": [\n        0.25\n      ]" << "\"scale\": [0.25, 1]"
                                << "m.json: inputs.standardization: 1 means and 2 scales (expected 1 of each)";
    QTest::newRow("zero scale") << "\"scale\": [\n        0.25\n      ]" << "\"scale\": [0]"
                                << "m.json: inputs.standardization: Standardizer::setStatistics: feature 1 has "
                                   "mean 0.5 and scale 0 (expected finite numbers, scale > 0)";
    QTest::newRow("classes") << "\"yes\"\n" << "\"yes\", \"maybe\"\n"
                             << "m.json: outputs.classes: 3 classes for a binary model with 1 outputs (expected 2)";
    QTest::newRow("unknown init") << "\"init\": \"keras\"" << "\"init\": \"torch\""
                                  << "m.json: model.init: unknown value \"torch\" (expected one of keras, pytorch)";
    QTest::newRow("task") << "\"task\": \"csv\"" << "\"task\": \"weather\"" << "m.json: task: unknown task \"weather\"";
}

void TestPredictor::specErrors()
{
    QFETCH(QString, from);
    QFETCH(QString, to);
    QFETCH(QString, message);
    QString json = q(modelSpecToJson(smallSpec(TaskType::Binary)));
    QVERIFY2(json.contains(from), qPrintable(from));
    json.replace(json.indexOf(from), from.size(), to);
    try {
        modelSpecFromJson(json.toStdString(), "m.json");
        QFAIL("no error");
    } catch (const ModelFileError &e) {
        if (message.endsWith(": "))
            QVERIFY2(q(e.what()).startsWith(message), e.what());
        else
            QCOMPARE(q(e.what()), message);
    }
}

void TestPredictor::saveLoadPredictsBitForBit()
{
    QTemporaryDir dir;
    const std::string data = dir.filePath("rows.csv").toStdString();
    writeText(data, sixRows({"yes", "no", "no", "yes", "no", "yes"}));
    const ModelSpec spec = smallSpec(TaskType::Binary);
    const auto saved = randomModel(spec, 11);
    const std::string base = dir.filePath("model").toStdString();
    saveTrainedModel(*saved, base);
    const TrainedModel loaded = loadTrainedModel(base + ".safetensors");
    QCOMPARE(loaded.names, saved->names);
    QCOMPARE(loaded.epoch, 3); // randomModel's "epoch", kept in the JSON
    ModelSpec expected = spec;
    expected.epochsTrained = 3;
    QCOMPARE(q(modelSpecToJson(loaded.spec)), q(modelSpecToJson(expected)));
    const PredictionInput in = readPredictionInput(loaded.spec, data);
    const Predictions a = predict(*buildModel(*saved), spec, in);
    const Predictions b = predict(*buildModel(loaded), loaded.spec, in);
    QCOMPARE(bits(b.outputs), bits(a.outputs));
    QCOMPARE(bits(b.attention), bits(a.attention));
    QCOMPARE(b.predictedClass, a.predictedClass);

    // A weights file of another model is refused whole.
    ModelSpec wider = spec;
    wider.model.hidden = 5;
    saveTrainedModel(*randomModel(wider, 3), dir.filePath("wider").toStdString());
    QFile::remove(dir.filePath("wider.json"));
    QFile::copy(dir.filePath("model.json"), dir.filePath("wider.json"));
    try {
        loadTrainedModel(dir.filePath("wider").toStdString());
        QFAIL("no error");
    } catch (const ModelFileError &e) {
        QVERIFY2(q(e.what()).contains("tensor \"lstm.weight_ih_l0\" has shape [20, 1], expected [16, 1]"), e.what());
    }

    // Sizes that pass the limits but do not combine into a model are found when the model is
    // built, once, and named like every other entry.
    QFile modelJson(dir.filePath("model.json"));
    QVERIFY(modelJson.open(QIODevice::ReadOnly));
    QString json = QString::fromUtf8(modelJson.readAll());
    QVERIFY(json.contains("\"attention\": \"luong\""));
    json.replace("\"attention\": \"luong\"", "\"attention\": \"feature\"");
    writeText(dir.filePath("feature.json").toStdString(), json.toStdString());
    QFile::copy(dir.filePath("model.safetensors"), dir.filePath("feature.safetensors"));
    try {
        loadTrainedModel(dir.filePath("feature").toStdString());
        QFAIL("no error");
    } catch (const ModelFileError &e) {
        QVERIFY2(q(e.what()).startsWith(dir.filePath("feature.json") + ": model: does not describe a model: "),
                 e.what());
    }
}

void TestPredictor::refusesToWriteWhatItCannotRead()
{
    // A vocabulary of 170,000 words of 100 letters: about 17.5 MB of JSON, over the 16 MiB the
    // reader takes. Nothing may be written (the weights are not even looked at).
    QTemporaryDir dir;
    TrainedModel m;
    m.spec = smallSpec(TaskType::Binary);
    m.spec.model.vocabulary = 170'000;
    m.spec.words.assign(170'001, std::string(100, 'w'));
    const std::string base = dir.filePath("big").toStdString();
    try {
        saveTrainedModel(m, base);
        QFAIL("no error");
    } catch (const ModelFileError &e) {
        QVERIFY2(q(e.what()).startsWith(dir.filePath("big.json") + ": not written: it would be "), e.what());
        QVERIFY2(q(e.what()).endsWith("bytes, more than the 16777216 bytes a model file may have (its "
                                      "vocabulary of 170000 words is most of it: train with a smaller "
                                      "--vocabulary)"),
                 e.what());
    }
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 0);
}

void TestPredictor::predictMatchesForward()
{
    QTemporaryDir dir;
    const std::string data = dir.filePath("rows.csv").toStdString();
    writeText(data, sixRows({"yes", "no", "no", "yes", "no", "yes"}));
    const ModelSpec spec = smallSpec(TaskType::Binary);
    const auto trained = randomModel(spec, 5);
    const PredictionInput in = readPredictionInput(spec, data);
    QVERIFY(in.hasTargets);
    QCOMPARE(in.data.size(), Eigen::Index(6));
    QCOMPARE(in.lines, (std::vector<int>{1, 2, 3, 4, 5, 6}));
    QCOMPARE(double(in.data.x(0, 1)), (0.9 - 0.5) / 0.25); // standardised with the saved statistics
    QCOMPARE(double(in.data.y(0, 0)), 1.0);                // "yes" is class 1
    QCOMPARE(double(in.data.y(1, 0)), 0.0);

    // In batches of 4 (a full and a partial batch) against one forward over all six rows.
    const Predictions p = predict(*buildModel(*trained), spec, in, 4);
    std::unique_ptr<Model> model = buildModel(*trained);
    Mat x(5 * 6, 1), y(6, 1);
    const int rows[] = {0, 1, 2, 3, 4, 5};
    gatherBatch(in.data, rows, 6, x, y);
    model->resize(5, 6);
    const Mat logits = model->forward(x, false);
    for (int r = 0; r < 6; ++r) {
        const double probability = 1.0 / (1.0 + std::exp(-double(logits(r, 0))));
        QVERIFY(std::abs(double(p.outputs(r, 0)) - probability) < 1e-12);
        QCOMPARE(p.predictedClass[std::size_t(r)], logits(r, 0) > 0 ? 1 : 0);
        QVERIFY(std::abs(p.attention.row(r).sum() - 1.0) < 1e-12);
        for (int t = 0; t < 5; ++t)
            QVERIFY(std::abs(double(p.attention(r, t) - model->attentionWeights()(r, t))) < 1e-12);
    }
}

void TestPredictor::fileWithoutTarget()
{
    QTemporaryDir dir;
    const std::string with = dir.filePath("with.csv").toStdString();
    const std::string without = dir.filePath("without.csv").toStdString();
    writeText(with, sixRows({"yes", "no", "no", "yes", "no", "yes"}));
    writeText(without, sixRows({}));
    const ModelSpec spec = smallSpec(TaskType::Binary);
    const PredictionInput a = readPredictionInput(spec, with);
    const PredictionInput b = readPredictionInput(spec, without);
    QVERIFY(a.hasTargets);
    QVERIFY(!b.hasTargets);
    QCOMPARE(bits(b.data.x), bits(a.data.x));
    const auto trained = randomModel(spec, 8);
    QCOMPARE(bits(predict(*buildModel(*trained), spec, b).outputs),
             bits(predict(*buildModel(*trained), spec, a).outputs));

    // Target first (as in UCR files): the missing column is the first one.
    ModelSpec first = spec;
    first.csv.target = CsvColumn::first();
    const PredictionInput c = readPredictionInput(first, without);
    QVERIFY(!c.hasTargets);
    QCOMPARE(bits(c.data.x), bits(a.data.x));
}

void TestPredictor::fileErrors()
{
    QTemporaryDir dir;
    const ModelSpec spec = smallSpec(TaskType::Binary);
    const std::string unknown = dir.filePath("unknown.csv").toStdString();
    writeText(unknown, sixRows({"yes", "no", "maybe", "yes", "no", "yes"}));
    try {
        readPredictionInput(spec, unknown);
        QFAIL("no error");
    } catch (const CsvError &e) {
        QCOMPARE(q(e.what()), q(unknown + ":3:6: class \"maybe\" is not one of the training file's "
                                          "classes (\"no\", \"yes\")"));
    }
    const std::string shorter = dir.filePath("shorter.csv").toStdString();
    writeText(shorter, "0.1,0.2,0.3,0.4,0.5,0.6,yes\n0.5,0.6,0.7,0.8,0.9,1.0,no\n");
    try {
        readPredictionInput(spec, shorter);
        QFAIL("no error");
    } catch (const CsvError &e) {
        QCOMPARE(q(e.what()), q(shorter + ":1:0: T = 6 steps of F = 1 features (expected T = 5, F = 1 "
                                          "like the training file the model was trained on)"));
    }
    const std::string text = dir.filePath("text.csv").toStdString();
    writeText(text, "0.1,0.2,x,0.4,0.5,yes\n");
    try {
        readPredictionInput(spec, text);
        QFAIL("no error");
    } catch (const CsvError &e) {
        QCOMPARE(q(e.what()), q(text + ":1:3: non-numeric cell \"x\" (expected a number)"));
    }
    ModelSpec sentiment = spec;
    sentiment.task = TaskKind::Sentiment;
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, readPredictionInput(sentiment, text));
}

void TestPredictor::regressionUnstandardised()
{
    QTemporaryDir dir;
    const std::string data = dir.filePath("rows.csv").toStdString();
    writeText(data, sixRows({"10", "11", "12", "13", "14", "15"}));
    ModelSpec spec = smallSpec(TaskType::Regression);
    spec.scaling.target.setStatistics({12.5}, {2.0});
    const auto trained = randomModel(spec, 2);
    const PredictionInput in = readPredictionInput(spec, data);
    QCOMPARE(double(in.data.y(5, 0)), 15.0); // targets stay in the file's units
    ModelSpec raw = spec;
    raw.scaling.target = Standardizer();
    const Predictions p = predict(*buildModel(*trained), spec, in);
    const Predictions z = predict(*buildModel(*trained), raw, in);
    QVERIFY(p.predictedClass.empty());
    for (int r = 0; r < 6; ++r)
        QVERIFY(std::abs(double(p.outputs(r, 0)) - (double(z.outputs(r, 0)) * 2.0 + 12.5)) < 1e-12);
}

void TestPredictor::multiClassSoftmax()
{
    QTemporaryDir dir;
    const std::string data = dir.filePath("rows.csv").toStdString();
    writeText(data, sixRows({"1", "3", "2", "3", "1", "2"}));
    const ModelSpec spec = smallSpec(TaskType::MultiClass);
    const auto trained = randomModel(spec, 4);
    const PredictionInput in = readPredictionInput(spec, data);
    QCOMPARE(double(in.data.y(1, 2)), 1.0); // "3" is class index 2, one-hot
    const Predictions p = predict(*buildModel(*trained), spec, in);
    QCOMPARE(p.outputs.cols(), Eigen::Index(3));
    for (int r = 0; r < 6; ++r) {
        QVERIFY(std::abs(p.outputs.row(r).sum() - 1.0) < 1e-12);
        Eigen::Index best = 0;
        p.outputs.row(r).maxCoeff(&best);
        QCOMPARE(p.predictedClass[std::size_t(r)], int(best));
    }
}

QTEST_GUILESS_MAIN(TestPredictor)
#include "tst_predictor.moc"
