// SPDX-License-Identifier: GPL-3.0-or-later
// Tests of the task generators and readers added for issue 3: the feature task (the Keras
// feature-selection demo) and the sentiment task (the shipped sentence files), their published
// defaults, the mechanisms each task applies, names, and the feature-task alignment measures.
#include "core/data/sentencefile.h"
#include "core/data/task.h"

#include <QTest>
#include <set>

using namespace attn;

namespace {
const std::string kData = ATTN_SENTIMENT_DATA; // resources/data/sentiment_labelled_sentences

TaskSource shippedData()
{
    TaskSource s;
    s.directory = kData;
    return s;
}
} // namespace

class TestTasks : public QObject {
    Q_OBJECT
private slots:
    void namesRoundTrip();
    void applicableMechanisms();
    void featureTask();
    void featureAlignmentByHand();
    void sentimentTask();
    void sentimentSplitIsSeeded();
    void sentimentOptions();
    void sentimentErrors();
};

void TestTasks::namesRoundTrip()
{
    for (TaskKind k : allTaskKinds())
        QVERIFY(*taskKindFromString(toString(k)) == k);
    QCOMPARE(toString(TaskKind::Feature), std::string("feature"));
    QCOMPARE(toString(TaskKind::Sentiment), std::string("sentiment"));
    QVERIFY(!taskKindFromString("Sentiment"));
    for (AttentionKind k : allAttentionKinds())
        QVERIFY(*attentionKindFromString(toString(k)) == k);
    QCOMPARE(toString(AttentionKind::FeedForward), std::string("feed-forward"));
    QCOMPARE(toString(AttentionKind::SelfAttention), std::string("self"));
    QCOMPARE(toString(AttentionKind::Local), std::string("local"));
    QCOMPARE(toString(AttentionKind::None), std::string("none"));
    QVERIFY(*recurrentCellFromString("gru") == RecurrentCell::Gru);
    QVERIFY(!recurrentCellFromString("rnn"));
}

void TestTasks::applicableMechanisms()
{
    using A = AttentionKind;
    auto names = [](TaskKind t) {
        QStringList out;
        for (AttentionKind k : applicableAttention(t))
            out << QString::fromStdString(toString(k));
        return out.join(',');
    };
    QCOMPARE(names(TaskKind::Feature), QString("feature,none"));
    QCOMPARE(names(TaskKind::Sentiment), QString("feed-forward,luong,luong-dot,bahdanau,local,local-m,self,transformer,plain,none"));
    QCOMPARE(names(TaskKind::Add), QString("bahdanau,feed-forward,luong,luong-dot,local,local-m,self,transformer,plain,none"));
    QVERIFY(applicableAttention(TaskKind::Max).front() == A::Luong);
    for (TaskKind t : allTaskKinds()) // the published mechanism leads, every list ends in "none"
        QVERIFY(applicableAttention(t).front() == taskDefaults(t).model.attention);
}

void TestTasks::featureTask()
{
    Rng rng(7);
    const TaskData t = makeFeatureTask(rng);
    QCOMPARE(t.name, std::string("feature"));
    QCOMPARE(t.train.size(), Eigen::Index(5000));
    QCOMPARE(t.validation.size(), Eigen::Index(5000));
    QCOMPARE(t.train.steps, 1);
    QCOMPARE(t.train.features, 32);
    QCOMPARE(t.probe.size(), Eigen::Index(10));
    QVERIFY(t.probe.x == t.validation.x.topRows(10));
    for (const Dataset *d : {&t.train, &t.validation}) {
        QVERIFY(((d->y.array() == 0) || (d->y.array() == 1)).all());
        QVERIFY(d->x.col(1) == d->y.col(0)); // x[:, 1] = y
        Mat expected = Mat::Zero(d->size(), 32);
        expected.col(1).setOnes();
        QVERIFY(d->groundTruth == expected);
        QVERIFY(std::abs(d->y.mean() - 0.5) < 0.03);
        // Every other column is N(0, 1).
        Mat others(d->size(), 31);
        others << d->x.col(0), d->x.rightCols(30);
        QVERIFY(std::abs(others.mean()) < 0.02);
        const double var = (others.array() - others.mean()).square().mean();
        QVERIFY(std::abs(var - 1.0) < 0.03);
    }
    QVERIFY(t.loss == LossKind::BinaryCrossEntropy);
    QVERIFY(t.alignment == AlignmentKind::ArgmaxMatch);
    QCOMPARE(t.batchSize, 64);
    QCOMPARE(t.epochs, 20);
    QVERIFY(t.model.architecture == ModelArchitecture::Feature);
    QVERIFY(t.model.attention == AttentionKind::Feature);
    QCOMPARE(t.model.denseUnits, 64);
    QCOMPARE(t.model.inputs, 32);
    Rng small(1);
    QCOMPARE(makeTask(TaskKind::Feature, small, {300, 40}).validation.size(), Eigen::Index(40));
}

void TestTasks::featureAlignmentByHand()
{
    // Three probe rows over F = 4 features, true column 1.
    Mat a(3, 4), gt = Mat::Zero(3, 4);
    a << 0.1, 0.6, 0.2, 0.1, //
        0.4, 0.3, 0.2, 0.1,  //
        0.0, 0.9, 0.1, 0.0;
    gt.col(1).setOnes();
    QCOMPARE(*alignment(AlignmentKind::ArgmaxMatch, a, gt), 2.0 / 3.0);
    QVERIFY(std::abs(*groundTruthMass(a, gt) - (0.6 + 0.3 + 0.9) / 3) < 1e-12);
    QVERIFY(!groundTruthMass(a, Mat()));
    QVERIFY(!alignment(AlignmentKind::ArgmaxMatch, Mat(), gt)); // the baseline has no attention
    QVERIFY_THROWS_EXCEPTION(ShapeError, groundTruthMass(a, Mat::Zero(3, 5)));
}

void TestTasks::sentimentTask()
{
    Rng rng(7);
    const TaskData t = makeTask(TaskKind::Sentiment, rng, {}, shippedData());
    QCOMPARE(t.name, std::string("sentiment"));
    QCOMPARE(t.train.size(), Eigen::Index(1600));
    QCOMPARE(t.validation.size(), Eigen::Index(400));
    QCOMPARE(t.train.steps, 32);
    QCOMPARE(t.train.features, 1);
    QCOMPARE(t.train.groundTruth.size(), Eigen::Index(0));
    QVERIFY(t.loss == LossKind::BinaryCrossEntropy);
    QVERIFY(t.alignment == AlignmentKind::None);
    QCOMPARE(t.batchSize, 100);
    QCOMPARE(t.epochs, 10);
    QVERIFY(t.model.attention == AttentionKind::FeedForward);
    QCOMPARE(t.model.hidden, 100);
    QCOMPARE(t.model.embeddingDim, 32);

    // The vocabulary is every distinct word of the two default files.
    std::set<std::string> distinct;
    int positives = 0;
    for (const std::string &f : sentimentDefaultFiles())
        for (const LabelledSentence &s : readSentenceFile(kData + "/" + f)) {
            for (const std::string &w : Tokenizer::words(s.text))
                distinct.insert(w);
            positives += s.label;
        }
    QCOMPARE(positives, 1000);
    QCOMPARE(t.vocabulary, int(distinct.size()));
    QCOMPARE(int(t.words.size()), t.vocabulary + 1);
    QCOMPARE(t.words[0], std::string());
    QCOMPARE(t.words[1], std::string("the")); // the most frequent word
    QCOMPARE(t.train.y.sum() + t.validation.y.sum(), 1000.0);

    // Ids in 0..V, post padding: once a row reaches 0 it stays 0.
    for (const Dataset *d : {&t.train, &t.validation})
        for (Eigen::Index r = 0; r < d->size(); ++r) {
            QVERIFY(d->x(r, 0) > 0); // every sentence has at least one word
            bool padding = false;
            for (int c = 0; c < 32; ++c) {
                const Scalar id = d->x(r, c);
                QVERIFY(id >= 0 && id <= t.vocabulary && id == std::floor(id));
                QVERIFY(!(padding && id != 0));
                padding = padding || id == 0;
            }
        }
    // Probe rows: the first 10 validation rows, their words per step.
    QCOMPARE(t.probe.size(), Eigen::Index(10));
    QCOMPARE(t.probeTokens.size(), std::size_t(10));
    for (int r = 0; r < 10; ++r) {
        QCOMPARE(t.probeTokens[std::size_t(r)].size(), std::size_t(32));
        for (int c = 0; c < 32; ++c)
            QCOMPARE(t.probeTokens[std::size_t(r)][std::size_t(c)],
                     t.words[std::size_t(t.probe.x(r, c))]);
    }
}

void TestTasks::sentimentSplitIsSeeded()
{
    Rng a(7), b(7), c(8);
    const TaskData ta = makeSentimentTask(shippedData(), a);
    const TaskData tb = makeSentimentTask(shippedData(), b);
    const TaskData tc = makeSentimentTask(shippedData(), c);
    QVERIFY(ta.train.x == tb.train.x);
    QVERIFY(ta.validation.y == tb.validation.y);
    QVERIFY(ta.validation.x != tc.validation.x);
    // The split is shuffled: the validation set mixes both files and both labels.
    QVERIFY(std::abs(ta.validation.y.mean() - 0.5) < 0.1);
    // Keras' validation_split: the last 20% in file order, whatever the seed; the first rows
    // train, in file order too.
    TaskSource last = shippedData();
    last.validationLast = true;
    Rng d(7), e(8);
    const TaskData td = makeSentimentTask(last, d), te = makeSentimentTask(last, e);
    QVERIFY(td.validation.x == te.validation.x);
    QVERIFY(td.train.x == te.train.x);
    QCOMPARE(td.validation.size(), Eigen::Index(400));
    TaskSource yelp = shippedData();
    yelp.files = {"yelp_labelled.txt"};
    yelp.validationLast = true;
    Rng f(7);
    const TaskData ty = makeSentimentTask(yelp, f, {0, 400}); // all of the 1,000 yelp lines...
    // ...of which the last 400 are the validation rows of the merged file (same words, same ids
    // up to the vocabulary: compare the labels and the padding pattern).
    QVERIFY(ty.validation.y == td.validation.y);
    QVERIFY(ty.validation.mask == td.validation.mask);
    QVERIFY(ty.train.y.topRows(600) == td.train.y.bottomRows(600));
}

void TestTasks::sentimentOptions()
{
    TaskSource src = shippedData();
    src.files = {"imdb_labelled.txt"};
    src.tokenizer.vocabularyLimit = 500;
    src.tokenizer.maxLength = 12;
    src.tokenizer.padding = SequenceSide::Pre;
    Rng rng(3);
    const TaskData t = makeSentimentTask(src, rng, {100, 50});
    QCOMPARE(t.train.size(), Eigen::Index(100));
    QCOMPARE(t.validation.size(), Eigen::Index(50));
    QCOMPARE(t.vocabulary, 500);
    QCOMPARE(t.train.steps, 12);
    QVERIFY(t.train.x.maxCoeff() <= 500);
    QVERIFY((t.train.x.col(11).array() > 0).all()); // pre padding: the last step holds a word
    // An absolute path in files ignores the directory.
    TaskSource absolute;
    absolute.files = {kData + "/yelp_labelled.txt"};
    Rng rng2(3);
    QCOMPARE(makeSentimentTask(absolute, rng2).validation.size(), Eigen::Index(200));
}

void TestTasks::sentimentErrors()
{
    Rng rng(1);
    try {
        makeTask(TaskKind::Sentiment, rng);
        QFAIL("expected a ConfigError");
    } catch (const ConfigError &e) {
        QCOMPARE(std::string(e.what()),
                 std::string("sentiment: no data folder given (the folder that holds "
                             "amazon_cells_labelled.txt and yelp_labelled.txt)"));
    }
    TaskSource src;
    src.directory = "/nonexistent-folder";
    try {
        makeSentimentTask(src, rng);
        QFAIL("expected a SentenceFileError");
    } catch (const SentenceFileError &e) {
        QCOMPARE(std::string(e.what()), std::string("/nonexistent-folder/amazon_cells_labelled.txt: "
                                                    "cannot open the file: No such file or directory"));
    }
    src = shippedData();
    src.files = {"README.md"};
    QVERIFY_THROWS_EXCEPTION(SentenceFileError, makeSentimentTask(src, rng));
    src.files = {"amazon_cells_labelled.txt"};
    try {
        makeSentimentTask(src, rng, {0, 1000});
        QFAIL("expected a DataError");
    } catch (const DataError &e) {
        QCOMPARE(std::string(e.what()), std::string("sentiment: 1000 sentences leave 0 for training "
                                                    "and 1000 for validation; both must be >= 1"));
    }
}

QTEST_APPLESS_MAIN(TestTasks)
#include "tst_tasks.moc"
