// SPDX-License-Identifier: GPL-3.0-or-later
// The sentiment presets (app/session/runpreset.h): each one's settings field by field, what the
// Trainer builds from them (the published split is the last 20% of the files in file order, the
// keras-imdb models have imdb.py's sizes), --preset on the command line with its errors, and the
// preset kept through a session's settings map.
#include "app/session/runpreset.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTest>

using attn::AttentionKind;
using attn::SequenceSide;
using attn::TaskKind;

namespace {

// The labels of a sentence<TAB>label file, in file order.
std::vector<double> fileLabels(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    std::vector<double> labels;
    for (const QByteArray &line : f.readAll().split('\n'))
        if (!line.isEmpty())
            labels.push_back(line.endsWith('1') ? 1.0 : 0.0);
    return labels;
}

// readRunOptions on arguments (without the program name); "" or the error message.
QString readOptions(const QStringList &args, RunSettings &s)
{
    QCommandLineParser parser;
    addRunOptions(parser);
    if (!parser.parse(QStringList{"attention-studio"} + args))
        return parser.errorText();
    return readRunOptions(parser, s);
}

QString sentimentDir() { return QDir(shippedDataDirectory()).filePath("sentiment_labelled_sentences"); }

} // namespace

class TestRunPreset : public QObject {
    Q_OBJECT
private slots:
    void namesRoundTrip();
    void defaultIsTheTaskDefaults();
    void publishedIsTheBlogRecipe();
    void publishedHoldsOutTheLastFifth();
    void kerasImdbHasImdbPySizes();
    void commandLine();
    void badPresetName();
    void sessionMapKeepsThePreset();
};

void TestRunPreset::namesRoundTrip()
{
    QCOMPARE(allRunPresets().size(), std::size_t(3));
    for (RunPreset p : allRunPresets()) {
        QVERIFY(runPresetFromString(toString(p)) == std::optional<RunPreset>(p));
        QVERIFY(!presetDescription(p).isEmpty());
        QCOMPARE(presetSettings(p).preset, toString(p));
        QVERIFY(presetSettings(p).task == TaskKind::Sentiment);
    }
    QCOMPARE(runPresetChoices(), QStringLiteral("default, published or keras-imdb"));
    QVERIFY(!runPresetFromString("Published"));
    QVERIFY(!runPresetFromString(""));
}

void TestRunPreset::defaultIsTheTaskDefaults()
{
    const RunSettings d = presetSettings(RunPreset::Default);
    const RunSettings t = RunSettings::defaults(TaskKind::Sentiment);
    QVERIFY(runSettingsToMap(d).value("preset") == "default");
    QVariantMap a = runSettingsToMap(d), b = runSettingsToMap(t);
    a.remove("preset");
    b.remove("preset");
    QCOMPARE(a, b);
    QVERIFY(d.model.maskPadding);
    QVERIFY(!d.validationLast);
    QCOMPARE(d.train.embeddingL2, 0.0);
    QVERIFY(presetDescription(RunPreset::Default).contains("masked padding"));
}

void TestRunPreset::publishedIsTheBlogRecipe()
{
    const RunSettings s = presetSettings(RunPreset::Published);
    QCOMPARE(s.model.embeddingDim, 32);
    QCOMPARE(s.model.hidden, 100);
    QVERIFY(s.model.attention == AttentionKind::FeedForward);
    QVERIFY(s.model.normalAttentionInit);
    QCOMPARE(s.model.inputDropout, 0.3);
    QCOMPARE(s.model.recurrentDropout, 0.2);
    QCOMPARE(s.model.dropout, 0.0);
    QCOMPARE(s.model.embeddingDropout, 0.0);
    QVERIFY(!s.model.maskPadding);
    QCOMPARE(s.model.outputs, 1);
    QCOMPARE(s.train.embeddingL2, 1e-3);
    QCOMPARE(s.train.batchSize, 100);
    QCOMPARE(s.train.epochs, 10);
    QCOMPARE(s.train.learningRate, 1e-3);
    QVERIFY(s.train.optimizer == attn::OptimizerKind::Adam);
    QCOMPARE(s.train.patience, 0);
    QCOMPARE(s.tokenizer.maxLength, 32);
    QCOMPARE(s.tokenizer.vocabularyLimit, 0);
    QVERIFY(s.tokenizer.padding == SequenceSide::Post);
    QVERIFY(s.tokenizer.truncation == SequenceSide::Post);
    QVERIFY(s.validationLast);
    QVERIFY(s.sentenceFiles.isEmpty()); // amazon_cells + yelp, in that order
    QCOMPARE(s.train.seed, quint64(7));
    // The blog's plain LSTM is a mechanism of the task.
    const auto kinds = attn::applicableAttention(TaskKind::Sentiment);
    QVERIFY(std::find(kinds.begin(), kinds.end(), AttentionKind::Plain) != kinds.end());
}

void TestRunPreset::publishedHoldsOutTheLastFifth()
{
    RunSettings s = presetSettings(RunPreset::Published);
    attn::ModelSpec spec;
    const auto trainer = makeTrainer(s, &spec);
    const attn::TaskData &task = trainer->task();
    QCOMPARE(task.train.size(), Eigen::Index(1600));
    QCOMPARE(task.validation.size(), Eigen::Index(400));
    // Validation = yelp's last 400 lines, unshuffled; training = amazon, then yelp's first 600.
    std::vector<double> labels = fileLabels(QDir(sentimentDir()).filePath("amazon_cells_labelled.txt"));
    const std::vector<double> yelp = fileLabels(QDir(sentimentDir()).filePath("yelp_labelled.txt"));
    labels.insert(labels.end(), yelp.begin(), yelp.end());
    QCOMPARE(labels.size(), std::size_t(2000));
    for (int r = 0; r < 400; ++r)
        QCOMPARE(double(task.validation.y(r, 0)), labels[std::size_t(1600 + r)]);
    for (int r = 0; r < 1600; ++r)
        QCOMPARE(double(task.train.y(r, 0)), labels[std::size_t(r)]);
    // Another seed: the same split (Keras' validation_split does not shuffle).
    s.train.seed = 8;
    QVERIFY(makeTrainer(s)->task().validation.x == task.validation.x);
    const attn::ModelConfig &m = trainer->model().config();
    QVERIFY(!m.maskPadding);
    QCOMPARE(m.steps, 32);
    QCOMPARE(trainer->config().embeddingL2, 1e-3);
    QCOMPARE(spec.model.vocabulary, task.vocabulary);
    // Feed-forward attention's w ~ N(0, 0.05^2): far inside Glorot's +-0.24 on average.
    for (const attn::ParamRef &p : trainer->model().params())
        if (p.name == "attention.weight") {
            QVERIFY(p.value->cwiseAbs().mean() < 0.06);
            QVERIFY(p.value->cwiseAbs().mean() > 0.02);
        } else if (p.name == "attention.bias") {
            QCOMPARE(p.value->cwiseAbs().maxCoeff(), attn::Scalar(0));
        }
}

void TestRunPreset::kerasImdbHasImdbPySizes()
{
    RunSettings s = presetSettings(RunPreset::KerasImdb);
    QCOMPARE(s.sentenceFiles.size(), 1);
    QCOMPARE(QFileInfo(s.sentenceFiles[0]).fileName(), QStringLiteral("imdb_labelled.txt"));
    QVERIFY(QFileInfo::exists(s.sentenceFiles[0]));
    QVERIFY(QFileInfo(s.sentenceFiles[0]).isAbsolute()); // a session stores it as it is
    QCOMPARE(s.model.embeddingDim, 32);
    QCOMPARE(s.model.embeddingDropout, 0.5);
    QCOMPARE(s.model.hidden, 100);
    QVERIFY(s.model.attention == AttentionKind::Luong);
    QCOMPARE(s.model.attentionUnits, 128);
    QCOMPARE(s.model.dropout, 0.5);
    QCOMPARE(s.model.baselineUnits, 350);
    QCOMPARE(s.model.inputDropout, 0.0);
    QCOMPARE(s.model.recurrentDropout, 0.0);
    QVERIFY(!s.model.maskPadding);
    QCOMPARE(s.train.batchSize, 64);
    QCOMPARE(s.train.epochs, 10);
    QCOMPARE(s.train.embeddingL2, 0.0);
    QCOMPARE(s.tokenizer.vocabularyLimit, 4999);
    QCOMPARE(s.tokenizer.maxLength, 80);
    QVERIFY(s.tokenizer.padding == SequenceSide::Pre);
    QVERIFY(s.tokenizer.truncation == SequenceSide::Pre);
    QVERIFY(!s.validationLast);
    const auto attention = makeTrainer(s);
    QCOMPARE(attention->task().train.size() + attention->task().validation.size(), Eigen::Index(1000));
    s.model.attention = AttentionKind::None;
    const auto none = makeTrainer(s);
    // imdb.py's "same number of parameters so fair comparison": within 5%.
    const double a = double(attention->model().parameterCount()), n = double(none->model().parameterCount());
    QVERIFY2(std::abs(a - n) / a < 0.05, qPrintable(QStringLiteral("%1 vs %2").arg(a).arg(n)));
    bool dense350 = false;
    for (const attn::ParamRef &p : none->model().params())
        dense350 = dense350 || (p.name == "baseline.weight" && p.value->rows() == 350 && p.value->cols() == 100);
    QVERIFY(dense350);
}

void TestRunPreset::commandLine()
{
    RunSettings s;
    QCOMPARE(readOptions({"--preset", "published"}, s), QString());
    QVERIFY(s.task == TaskKind::Sentiment); // implied
    QVERIFY(s.validationLast);
    QCOMPARE(s.train.embeddingL2, 1e-3);
    // Other options change the preset's settings; the task may be named.
    QCOMPARE(readOptions({"--task", "sentiment", "--preset", "published", "--seed", "9", "--attention",
                          "plain", "--epochs", "3"},
                         s),
             QString());
    QCOMPARE(s.train.seed, quint64(9));
    QVERIFY(s.model.attention == AttentionKind::Plain);
    QCOMPARE(s.train.epochs, 3);
    QCOMPARE(s.model.inputDropout, 0.3);
    QCOMPARE(s.preset, QStringLiteral("published"));
    QCOMPARE(readOptions({"--preset", "keras-imdb"}, s), QString());
    QCOMPARE(s.model.baselineUnits, 350);
    QCOMPARE(readOptions({"--preset", "default"}, s), QString());
    QVERIFY(s.model.maskPadding);
    QVERIFY(s.model.init == attn::WeightInit::Keras);
    QCOMPARE(readOptions({"--task", "add", "--init", "pytorch"}, s), QString());
    QVERIFY(s.model.init == attn::WeightInit::PyTorch);
    QCOMPARE(readOptions({"--init", "torch"}, s), QStringLiteral("--init: expected keras or pytorch, got 'torch'"));
}

void TestRunPreset::badPresetName()
{
    RunSettings s;
    QCOMPARE(readOptions({"--preset", "blog"}, s),
             QStringLiteral("--preset: expected default, published or keras-imdb, got 'blog'"));
    QCOMPARE(readOptions({"--task", "add", "--preset", "published"}, s),
             QStringLiteral("--preset: the presets are recipes of the sentiment task, not of add"));
    QVariantMap m = runSettingsToMap(presetSettings(RunPreset::Published));
    m["preset"] = "blog";
    QStringList problems;
    const RunSettings read = runSettingsFromMap(m, RunSettings::defaults(TaskKind::Add), &problems);
    QCOMPARE(problems, QStringList{"preset: expected default, published or keras-imdb, got 'blog'"});
    QCOMPARE(read.preset, QString());
}

void TestRunPreset::sessionMapKeepsThePreset()
{
    for (RunPreset p : allRunPresets()) {
        RunSettings s = presetSettings(p);
        s.train.seed = 11;
        QStringList problems;
        const RunSettings back = runSettingsFromMap(runSettingsToMap(s), RunSettings::defaults(TaskKind::Add), &problems);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join("; ")));
        QCOMPARE(runSettingsToMap(back), runSettingsToMap(s));
        QCOMPARE(back.model.normalAttentionInit, s.model.normalAttentionInit);
        QCOMPARE(back.model.embeddingDropout, s.model.embeddingDropout);
    }
    // The initialisation round-trips; a session without it is Keras'; a bad one is named.
    RunSettings torch = RunSettings::defaults(TaskKind::Add);
    torch.model.init = attn::WeightInit::PyTorch;
    QVariantMap saved = runSettingsToMap(torch);
    QCOMPARE(saved.value("init").toString(), QStringLiteral("pytorch"));
    QVERIFY(runSettingsFromMap(saved, RunSettings::defaults(TaskKind::Add)).model.init == attn::WeightInit::PyTorch);
    saved.remove("init");
    QVERIFY(runSettingsFromMap(saved, torch).model.init == attn::WeightInit::Keras);
    saved["init"] = "xavier";
    QStringList problems;
    runSettingsFromMap(saved, RunSettings::defaults(TaskKind::Add), &problems);
    QCOMPARE(problems, QStringList{"init: expected keras or pytorch, got 'xavier'"});
    // An older session without the new keys: the named preset fills them in.
    QVariantMap old{{"task", "sentiment"}, {"preset", "published"}};
    const RunSettings back = runSettingsFromMap(old, RunSettings::defaults(TaskKind::Add));
    QVERIFY(back.validationLast);
    QCOMPARE(back.train.embeddingL2, 1e-3);
}

QTEST_APPLESS_MAIN(TestRunPreset)
#include "tst_runpreset.moc"
