// SPDX-License-Identifier: GPL-3.0-or-later
// The headless command line as a user runs it: one JSON object per epoch with the documented
// keys, PNG, CSV and GIF exports that decode with one frame/row per epoch, bad options
// rejected with a message and exit status 2, and a full disk (RLIMIT_FSIZE) exiting 1 with the
// file's name while every old file stays.
#include "tests/apprun.h"
#include "tests/fullfilesystem.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstring>

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QImage>
#include <QImageReader>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

class TestHeadless : public QObject {
    Q_OBJECT
private slots:
    void printsOneJsonObjectPerEpoch();
    void threadsChangeNoNumber();
    void explainAddsFaithfulness();
    void writesTheReplayAsGif();
    void badSentenceFileNamesTheLine();
    void trainsOnACsvFile();
    void earlyStoppingEndsWithTheBestEpoch();
    void badCsvFileNamesLineAndColumn();
    void savedModelPredictsTheValidationMetric();
    void badModelFilesExitTwo();
    void fullDiskExitsOneAndKeepsTheOldFiles();
    void continuationOnOtherDataExitsTwo();
    void rejectsBadOptions_data();
    void rejectsBadOptions();
};

void TestHeadless::printsOneJsonObjectPerEpoch()
{
    QTemporaryDir dir;
    const AppResult r = runApp({"--headless", "--task", "max", "--epochs", "2", "--seed", "3",
                             "--hidden", "16", "--units", "16", "--train-size", "1024",
                             "--val-size", "128", "--export-dir", dir.filePath("out")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QList<QByteArray> lines = r.out.trimmed().split('\n');
    QCOMPARE(lines.size(), 3); // epochs 1 and 2, then the final result (the last epoch's)
    for (int i = 0; i < lines.size(); ++i) {
        QJsonParseError error;
        const QJsonObject o = QJsonDocument::fromJson(lines[i], &error).object();
        QCOMPARE(error.error, QJsonParseError::NoError);
        QCOMPARE(o["epoch"].toInt(), std::min(i + 1, 2));
        QCOMPARE(o.contains("final"), i == 2);
        QVERIFY(!o.contains("best_epoch")); // no early stopping
        for (const char *key : {"seconds", "train_loss", "val_loss", "metric", "samples_per_second"})
            QVERIFY2(o[key].isDouble() && o[key].toDouble() >= 0, key);
        QCOMPARE(o["metric_name"].toString(), QString("mae"));
        QVERIFY(o["alignment"].isDouble());
        QVERIFY(o["alignment"].toDouble() >= 0 && o["alignment"].toDouble() <= 1);
    }
    for (const char *name : {"heatmap.png", "loss.png", "alignment.png"}) {
        const QImage image(dir.filePath(QString("out/") + name));
        QVERIFY2(!image.isNull(), name);
        QVERIFY(image.width() >= 400 && image.height() >= 300);
    }
    QFile csv(dir.filePath("out/metrics.csv"));
    QVERIFY(csv.open(QIODevice::ReadOnly | QIODevice::Text));
    const QList<QByteArray> rows = csv.readAll().trimmed().split('\n');
    QCOMPARE(rows.size(), 4); // header, epochs 0, 1, 2
    QVERIFY(rows[0].startsWith("epoch,seconds,train_loss,val_loss"));
    QVERIFY(rows[3].startsWith("2,"));
    for (int frame = 1; frame <= 3; ++frame) // epoch 0 (untrained) opens the replay
        QVERIFY(!QImage(dir.filePath(QString("out/frames/frame_%1.png").arg(frame, 3, 10, QChar('0'))))
                     .isNull());
    QVERIFY(!QFile::exists(dir.filePath("out/frames/frame_004.png")));
}

void TestHeadless::threadsChangeNoNumber()
{
    // add's batch of 64 trains as 2 slices: on 1 or 2 threads, the same JSON apart from times.
    QList<QJsonObject> runs[2];
    for (int t = 0; t < 2; ++t) {
        const AppResult r = runApp({"--headless", "--task", "add", "--epochs", "2", "--train-size", "640",
                                 "--val-size", "128", "--threads", QString::number(t + 1)});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        for (const QByteArray &line : r.out.trimmed().split('\n')) {
            QJsonObject o = QJsonDocument::fromJson(line).object();
            o.remove("seconds");
            o.remove("samples_per_second");
            runs[t].append(o);
        }
    }
    QCOMPARE(runs[0].size(), 3);
    QCOMPARE(runs[1], runs[0]);
}

void TestHeadless::explainAddsFaithfulness()
{
    // --explain: every epoch's JSON carries "faithfulness" with every key of issue 15 (max has
    // ground truth and is a regression: alignment present, decision flips absent); without
    // --explain it is absent.
    auto run = [&](QStringList extra) {
        QStringList args{"--headless", "--task", "max", "--epochs", "1", "--hidden", "8", "--units",
                         "8", "--train-size", "256", "--val-size", "64"};
        return runApp(args + extra);
    };
    const AppResult r = run({"--explain", "--explain-rows", "20"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QJsonObject o = QJsonDocument::fromJson(r.out.trimmed().split('\n').last()).object();
    const QJsonObject f = o["faithfulness"].toObject();
    QCOMPARE(f["rows"].toInt(), 20);
    const QJsonObject tau = f["kendall_tau"].toObject(), alignment = f["alignment"].toObject();
    for (const char *key : {"gradient", "input_x_gradient", "leave_one_out", "integrated_gradients"}) {
        QVERIFY2(tau[key].isDouble() && std::abs(tau[key].toDouble()) <= 1, key);
        QVERIFY2(alignment[key].isDouble() && alignment[key].toDouble() >= 0, key);
    }
    QVERIFY(alignment["attention"].isDouble());
    QVERIFY(f["permutation_median_abs_change"].isDouble());
    QVERIFY(f["uniform_abs_change"].isDouble());
    QVERIFY(!f.contains("decision_flip_share"));
    const AppResult plain = run({});
    QVERIFY2(plain.exitCode == 0, plain.err.constData());
    QVERIFY(!QJsonDocument::fromJson(plain.out.trimmed()).object().contains("faithfulness"));
}

void TestHeadless::writesTheReplayAsGif()
{
    QTemporaryDir dir;
    const QString gif = dir.filePath("replay.gif");
    const QStringList run = {"--headless", "--task", "max", "--epochs", "3", "--hidden", "16",
                             "--units", "16", "--train-size", "1024", "--val-size", "128"};
    AppResult r = runApp(run + QStringList{"--gif", gif});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QImageReader reader(gif); // Qt's own GIF decoder, not the giflib that wrote it
    QCOMPARE(reader.format(), QByteArray("gif"));
    QCOMPARE(reader.imageCount(), 4); // epochs 0..3
    QVERIFY(reader.size().width() >= 400);

    // Like --export-dir and --save-model, a missing folder is created (unwritable paths are
    // refused before training: tst_commandline).
    const QString nested = dir.filePath("no/such/dir/replay.gif");
    r = runApp(run + QStringList{"--epochs", "1", "--gif", nested});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(QImageReader(nested).imageCount(), 2);
}

void TestHeadless::badSentenceFileNamesTheLine()
{
    QTemporaryDir dir;
    const QString path = dir.filePath("reviews.txt");
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("Great phone.\t1\nNo tab on this line 0\n");
    file.close();
    const AppResult r = runApp({"--headless", "--task", "sentiment", "--epochs", "1", "--sentences", path});
    QVERIFY(r.exitCode != 0);
    QVERIFY2(QString::fromUtf8(r.err).contains(path + ":2: "), r.err.constData());
    QVERIFY(r.out.isEmpty());
}

void TestHeadless::trainsOnACsvFile()
{
    // UCR GunPoint: label first; 10 of the 50 training series validate, GunPoint_TEST.txt
    // beside it is the test set (150 rows), reported every epoch and the final line's metric.
    const AppResult r = runApp({"--headless", "--data", ATTN_RESOURCE_DATA "/ucr_gunpoint/GunPoint_TRAIN.txt",
                             "--epochs", "2", "--hidden", "8", "--units", "8"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QList<QByteArray> lines = r.out.trimmed().split('\n');
    QCOMPARE(lines.size(), 3);
    const QJsonObject o = QJsonDocument::fromJson(lines.last()).object();
    QVERIFY(o["final"].toBool());
    const QJsonObject epoch2 = QJsonDocument::fromJson(lines[1]).object();
    QVERIFY(epoch2["test_metric"].isDouble() && epoch2["test_loss"].isDouble());
    QCOMPARE(o["metric"].toDouble(), epoch2["test_metric"].toDouble());
    QCOMPARE(o["val_metric"].toDouble(), epoch2["metric"].toDouble());
    // Accuracies over 150 test rows / 10 validation rows are multiples of 1/150 and 1/10.
    QCOMPARE(std::round(o["metric"].toDouble() * 150.0), o["metric"].toDouble() * 150.0);
    QCOMPARE(std::round(o["val_metric"].toDouble() * 10.0), o["val_metric"].toDouble() * 10.0);
    // The UCR archive's 1-NN Euclidean figure for GunPoint, beside the model's accuracy.
    QCOMPARE(o["baselines"]["nearest_neighbour_accuracy"].toDouble(), 137.0 / 150.0);
    QVERIFY(o["baselines"]["majority_accuracy"].isDouble());
    QCOMPARE(o["metric_name"].toString(), QString("accuracy"));
    QVERIFY(o["alignment"].isNull()); // no gt_ columns
    QVERIFY(!o.contains("faithfulness")); // not a forecast: no faithfulness measures unless asked
    // A lone NAME_TRAIN file (no NAME_TEST beside it) reads its whole-number first column as
    // the labels, as a pair does: two classes, accuracy, no test set.
    QTemporaryDir dir;
    const QString lone = dir.filePath("Lone_TRAIN.txt");
    QVERIFY(QFile::copy(ATTN_RESOURCE_DATA "/ucr_gunpoint/GunPoint_TRAIN.txt", lone));
    const AppResult alone = runApp({"--headless", "--data", lone, "--epochs", "1", "--hidden", "8",
                                 "--units", "8"});
    QVERIFY2(alone.exitCode == 0, alone.err.constData());
    const QJsonObject a = QJsonDocument::fromJson(alone.out.trimmed().split('\n').last()).object();
    QCOMPARE(a["metric_name"].toString(), QString("accuracy"));
    QVERIFY(!a.contains("test_metric"));
}

void TestHeadless::earlyStoppingEndsWithTheBestEpoch()
{
    // A learning rate far too high: the validation loss stalls, the run stops after --patience
    // epochs without a new minimum, and the final line (and the saved model) is the best epoch.
    QTemporaryDir dir;
    const QString model = dir.filePath("m");
    const AppResult r = runApp({"--headless", "--task", "max", "--epochs", "40", "--patience", "3",
                             "--learning-rate", "0.3", "--hidden", "8", "--units", "8", "--seed",
                             "2", "--train-size", "128", "--val-size", "64", "--batch-size", "16",
                             "--save-model", model});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QList<QByteArray> lines = r.out.trimmed().split('\n');
    QVERIFY2(lines.size() < 41, "no early stop");
    std::vector<double> valLoss;
    for (int i = 0; i + 1 < lines.size(); ++i) {
        const QJsonObject o = QJsonDocument::fromJson(lines[i]).object();
        valLoss.push_back(o["val_loss"].toDouble());
        QVERIFY(!o.contains("final"));
    }
    const int best = int(std::min_element(valLoss.begin(), valLoss.end()) - valLoss.begin()) + 1;
    QCOMPARE(QJsonDocument::fromJson(lines[lines.size() - 2]).object()["best_epoch"].toInt(), best);
    QCOMPARE(int(valLoss.size()), best + 3);
    const QJsonObject final = QJsonDocument::fromJson(lines.last()).object();
    QVERIFY(final["final"].toBool());
    QCOMPARE(final["epoch"].toInt(), best);
    QCOMPARE(final["val_loss"].toDouble(), valLoss[std::size_t(best - 1)]);
    QFile json(model + ".json");
    QVERIFY(json.open(QIODevice::ReadOnly));
    QCOMPARE(QJsonDocument::fromJson(json.readAll()).object()["epochs_trained"].toInt(), best);
}

void TestHeadless::badCsvFileNamesLineAndColumn()
{
    QTemporaryDir dir;
    const QString path = dir.filePath("bad.csv");
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("a,b,c\n1,2,3\n4,x,6\n");
    file.close();
    const AppResult r = runApp({"--headless", "--data", path});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(QString::fromUtf8(r.err).contains(path + ":3:2: non-numeric cell \"x\" (expected a number)"),
             r.err.constData());
    QVERIFY(r.out.isEmpty());
}

void TestHeadless::savedModelPredictsTheValidationMetric()
{
    // Train on GunPoint (GunPoint_TEST validates), save the model, then predict the test file
    // with the saved model alone: its accuracy is the last epoch's validation accuracy, and the
    // attention of every row is written.
    QTemporaryDir dir;
    const QString model = dir.filePath("gp");
    const AppResult train = runApp({"--headless", "--data", ATTN_RESOURCE_DATA "/ucr_gunpoint/GunPoint_TRAIN.txt",
                                 "--epochs", "3", "--hidden", "8", "--units", "8", "--seed", "5",
                                 "--save-model", model, "--export-dir", dir.filePath("run")});
    QVERIFY2(train.exitCode == 0, train.err.constData());
    QVERIFY(QFile::exists(model + ".safetensors") && QFile::exists(model + ".json"));
    const QJsonObject last = QJsonDocument::fromJson(train.out.trimmed().split('\n').last()).object();
    QCOMPARE(last["epoch"].toInt(), 3);
    // The probe rows' attention of every epoch (0..3): 4 epochs x 10 rows x 150 steps + header.
    QFile epochs(dir.filePath("run/attention_epochs.csv"));
    QVERIFY(epochs.open(QIODevice::ReadOnly));
    QCOMPARE(epochs.readAll().count('\n'), 4 * 10 * 150 + 1);

    const AppResult predict = runApp({"--headless", "--load-model", model + ".safetensors", "--predict",
                                   ATTN_RESOURCE_DATA "/ucr_gunpoint/GunPoint_TEST.txt", "--export-dir",
                                   dir.filePath("pred")});
    QVERIFY2(predict.exitCode == 0, predict.err.constData());
    const QJsonObject p = QJsonDocument::fromJson(predict.out.trimmed()).object();
    QCOMPARE(p["rows"].toInt(), 150);
    QCOMPARE(p["metric_name"].toString(), QString("accuracy"));
    QCOMPARE(p["metric"].toDouble(), last["metric"].toDouble());
    QFile predictions(dir.filePath("pred/predictions.csv"));
    QVERIFY(predictions.open(QIODevice::ReadOnly));
    const QList<QByteArray> rows = predictions.readAll().trimmed().split('\n');
    QCOMPARE(rows.size(), 151);
    QCOMPARE(rows.first(), QByteArray("row,line,prediction,p_1,p_2,target"));
    QFile attention(dir.filePath("pred/prediction_attention.csv"));
    QVERIFY(attention.open(QIODevice::ReadOnly));
    const QList<QByteArray> weights = attention.readAll().trimmed().split('\n');
    QCOMPARE(weights.size(), 151);
    double sum = 0;
    for (const QByteArray &w : weights[1].split(',').mid(2))
        sum += w.toDouble();
    QVERIFY(std::abs(sum - 1.0) < 1e-5); // softmax weights of one row
}

void TestHeadless::fullDiskExitsOneAndKeepsTheOldFiles()
{
    QTemporaryDir dir;
    const QString model = dir.filePath("gp");
    const QString data = ATTN_RESOURCE_DATA "/ucr_gunpoint/GunPoint_TRAIN.txt";
    const QStringList train = {"--headless", "--data", data, "--epochs", "1", "--hidden", "8",
                               "--units", "8", "--seed", "5", "--export-dir", dir.filePath("run")};
    const AppResult first = runApp(train + QStringList{"--save-model", model});
    QVERIFY2(first.exitCode == 0, first.err.constData());
    const QStringList predictArgs = {"--headless", "--load-model", model, "--predict", data,
                                     "--export-dir", dir.filePath("pred")};
    const AppResult predicted = runApp(predictArgs);
    QVERIFY2(predicted.exitCode == 0, predicted.err.constData());
    const auto allFiles = [&] {
        QMap<QString, QByteArray> files;
        QDirIterator it(dir.path(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            files[path] = attn::test::fileBytes(path);
        }
        return files;
    };
    const QMap<QString, QByteArray> before = allFiles();
    const QString reason = QString::fromUtf8(std::strerror(EFBIG));

    // --export-dir: the first export (heatmap.png) does not fit.
    const AppResult exported = runApp({"--headless", "--data", data, "--epochs", "2", "--hidden", "8",
                                    "--units", "8", "--seed", "6", "--export-dir", dir.filePath("run")},
                                   4096);
    QCOMPARE(exported.exitCode, 1);
    QCOMPARE(QString::fromUtf8(exported.err.trimmed().split('\n').last()),
             "attention-studio: --export-dir: " + dir.filePath("run/heatmap.png") +
                 ": cannot write the file: " + reason);
    // --predict: predictions.csv does not fit.
    const qint64 csvSize = before[dir.filePath("pred/predictions.csv")].size();
    QVERIFY(csvSize > 1000);
    const AppResult failedPredict = runApp(predictArgs, rlim_t(csvSize / 2));
    QCOMPARE(failedPredict.exitCode, 1);
    QCOMPARE(QString::fromUtf8(failedPredict.err.trimmed().split('\n').last()),
             "attention-studio: --predict: " + dir.filePath("pred/predictions.csv") +
                 ": cannot write the file: " + reason);
    // --save-model: the new weights (hidden 16) do not fit; the old pair stays.
    const qint64 weightsSize = before[model + ".safetensors"].size();
    const AppResult saved = runApp({"--headless", "--data", data, "--epochs", "1", "--hidden", "16",
                                 "--units", "16", "--save-model", model},
                                rlim_t(weightsSize + 16));
    QCOMPARE(saved.exitCode, 1);
    QVERIFY2(saved.err.contains(": cannot write the file: "), saved.err.constData());
    // Every old file is intact byte for byte and no temporary file is left anywhere.
    const QMap<QString, QByteArray> after = allFiles();
    QCOMPARE(after.keys(), before.keys());
    for (auto it = before.begin(); it != before.end(); ++it)
        QVERIFY2(after[it.key()] == it.value(), qPrintable(it.key()));
    // And the old model still predicts.
    QCOMPARE(runApp(predictArgs).exitCode, 0);
}

void TestHeadless::badModelFilesExitTwo()
{
    QTemporaryDir dir;
    const QString model = dir.filePath("m");
    const AppResult train = runApp({"--headless", "--task", "max", "--epochs", "1", "--hidden", "8",
                                 "--units", "8", "--train-size", "256", "--val-size", "64",
                                 "--save-model", model});
    QVERIFY2(train.exitCode == 0, train.err.constData());
    // Truncated weights: a clear message, exit 2, nothing trained or written.
    QFile weights(model + ".safetensors");
    QVERIFY(weights.open(QIODevice::ReadWrite));
    QVERIFY(weights.resize(5));
    weights.close();
    const QString input = dir.filePath("rows.csv");
    QFile rows(input);
    QVERIFY(rows.open(QIODevice::WriteOnly));
    rows.write("0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9,0.95\n");
    rows.close();
    AppResult r = runApp({"--headless", "--load-model", model, "--predict", input});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("m.safetensors: truncated file"), r.err.constData());
    QVERIFY(r.out.isEmpty());
    // A saved model of another size than this run's options: NAME.json is read and the first
    // difference named before anything trains.
    const AppResult wider = runApp({"--headless", "--task", "max", "--epochs", "1", "--hidden", "16",
                                 "--units", "8", "--train-size", "256", "--val-size", "64",
                                 "--save-model", model});
    QVERIFY2(wider.exitCode == 0, wider.err.constData());
    r = runApp({"--headless", "--task", "max", "--epochs", "1", "--hidden", "8", "--units", "8",
                "--train-size", "256", "--val-size", "64", "--load-model", model});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("m.json: this run differs from the saved model: model.hidden: 16 in the "
                            "model file, 8 in this run"),
             r.err.constData());
    QVERIFY(r.out.isEmpty());
    // A file of the wrong width for the model (T = 10 values, max task): file, line, column.
    QVERIFY(rows.open(QIODevice::WriteOnly));
    rows.write("0.1,0.2,0.3\n");
    rows.close();
    r = runApp({"--headless", "--load-model", model, "--predict", input});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(input.toUtf8() + ":1:0: T = 2 steps of F = 1 features (expected T = 10"),
             r.err.constData());
}

void TestHeadless::continuationOnOtherDataExitsTwo()
{
    QTemporaryDir dir;
    const QString model = dir.filePath("gp");
    const QString data = ATTN_RESOURCE_DATA "/ucr_gunpoint/GunPoint_TRAIN.txt";
    const QStringList options = {"--headless", "--epochs", "1", "--hidden", "8", "--units", "8"};
    const AppResult first = runApp(options + QStringList{"--data", data, "--save-model", model});
    QVERIFY2(first.exitCode == 0, first.err.constData());
    // The same options and data continue from the saved weights.
    const AppResult again = runApp(options + QStringList{"--data", data, "--load-model", model});
    QVERIFY2(again.exitCode == 0, again.err.constData());
    // The same file without its last ten series: the standardisation differs, so every input
    // would be rescaled under the saved weights. Refused, naming the entry.
    QFile full(data);
    QVERIFY(full.open(QIODevice::ReadOnly));
    QList<QByteArray> rows = full.readAll().trimmed().split('\n');
    rows.resize(rows.size() - 10);
    const QString other = dir.filePath("Fewer_TRAIN.txt"); // read as a UCR pair, like the first
    QFile fewer(other);
    QVERIFY(fewer.open(QIODevice::WriteOnly));
    fewer.write(rows.join('\n') + '\n');
    fewer.close();
    QVERIFY(QFile::copy(ATTN_RESOURCE_DATA "/ucr_gunpoint/GunPoint_TEST.txt", dir.filePath("Fewer_TEST.txt")));
    const AppResult r = runApp(options + QStringList{"--data", other, "--load-model", model});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("gp.json: this run differs from the saved model: inputs.standardization.mean[0]: "),
             r.err.constData());
    QVERIFY(r.out.isEmpty());
}

void TestHeadless::rejectsBadOptions_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown option") << QStringList{"--headless", "--bogus"} << "Unknown option 'bogus'";
    QTest::newRow("unknown task") << QStringList{"--headless", "--task", "sum"} << "--task: expected add, max, feature, sentiment or autoencoder, got 'sum'";
    QTest::newRow("negative epochs") << QStringList{"--headless", "--epochs", "-1"} << "--epochs: expected a whole number from 0 to 100000";
    QTest::newRow("text batch") << QStringList{"--headless", "--batch-size", "big"} << "--batch-size: expected a whole number";
    QTest::newRow("bad attention") << QStringList{"--headless", "--attention", "cosine"} << "--attention: expected luong";
    QTest::newRow("bad learning rate") << QStringList{"--headless", "--learning-rate", "-1"} << "--learning-rate";
    QTest::newRow("missing value") << QStringList{"--headless", "--seed"} << "Missing value after '--seed'";
    QTest::newRow("mechanism not for the task") << QStringList{"--headless", "--task", "add", "--attention", "feature"} << "--attention: feature does not apply to the add task";
    QTest::newRow("zero heads") << QStringList{"--headless", "--heads", "0"} << "--heads: expected a whole number from 1 to 256, got '0'";
    QTest::newRow("dropout too high") << QStringList{"--headless", "--input-dropout", "2"} << "--input-dropout: expected a number from 0 to 0.9, got '2'";
    QTest::newRow("unknown cell") << QStringList{"--headless", "--cell", "rnn"} << "--cell: expected lstm or gru, got 'rnn'";
    QTest::newRow("unknown init") << QStringList{"--headless", "--init", "torch"} << "--init: expected keras or pytorch, got 'torch'";
    QTest::newRow("sentences without sentiment") << QStringList{"--headless", "--task", "max", "--sentences", "a.txt"} << "--sentences: only the sentiment task reads sentence files";
    QTest::newRow("bad padding") << QStringList{"--headless", "--task", "sentiment", "--padding", "middle"} << "--padding: expected pre or post, got 'middle'";
    QTest::newRow("target without data") << QStringList{"--headless", "--target", "first"} << "--target needs --data FILE";
    QTest::newRow("heads not dividing hidden") << QStringList{"--headless", "--attention", "self", "--hidden", "100", "--heads", "3"} << "--heads: self-attention splits the hidden state (H = 100) into K heads of H/K units; 3 heads do not divide 100";
    QTest::newRow("batch above the training samples") << QStringList{"--headless", "--task", "max", "--train-size", "20", "--batch-size", "32"} << "--batch-size: a batch of 32 is more than the 20 training samples";
    QTest::newRow("explain rows without explain") << QStringList{"--headless", "--explain-rows", "10"} << "--explain-rows needs --explain";
    QTest::newRow("explain and no-explain") << QStringList{"--headless", "--explain", "--no-explain"} << "--no-explain and --explain contradict each other";
    QTest::newRow("zero explain rows") << QStringList{"--headless", "--explain", "--explain-rows", "0"} << "--explain-rows: expected a whole number from 1 to 100000, got '0'";
    QTest::newRow("gif without headless") << QStringList{"--gif", "x.gif"} << "--gif needs --headless";
}

void TestHeadless::rejectsBadOptions()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const AppResult r = runApp(args);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(QString::fromUtf8(r.err).contains(message), r.err.constData());
    QVERIFY(r.out.isEmpty());
}

QTEST_GUILESS_MAIN(TestHeadless)
#include "tst_headless.moc"
