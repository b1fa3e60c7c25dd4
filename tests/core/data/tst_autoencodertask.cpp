// SPDX-License-Identifier: GPL-3.0-or-later
// Tests of the autoencoder task's data: the built-in set's construction (informative columns of
// rank-3 latent structure and unit variance, weak independent noise elsewhere, y = x, ground
// truth, defaults), its use through makeTask, and the wide-CSV reader (header, standardisation
// on the training rows, seeded split, errors).
#include "core/data/autoencodertask.h"

#include <Eigen/Eigenvalues>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <fstream>

using namespace attn;

class TestAutoencoderTask : public QObject {
    Q_OBJECT
private slots:
    void builtInSet();
    void throughMakeTask();
    void csvFile();
    void csvErrors();
};

void TestAutoencoderTask::builtInSet()
{
    Rng rng(7);
    const TaskData t = makeAutoencoderTask(rng);
    QCOMPARE(t.name, std::string("autoencoder"));
    QCOMPARE(t.train.size(), Eigen::Index(10000));
    QCOMPARE(t.validation.size(), Eigen::Index(2000));
    QCOMPARE(t.probe.size(), Eigen::Index(10));
    QVERIFY(t.probe.x == t.validation.x.topRows(10));
    QCOMPARE(t.train.steps, 1);
    QCOMPARE(t.train.features, 32);
    const Dataset &d = t.train;
    QVERIFY(d.y == d.x); // the reconstruction target
    Mat informative(d.size(), 8), noise(d.size(), 24);
    for (int f = 0, i = 0, j = 0; f < 32; ++f) {
        const bool info = f % 4 == 1;
        QCOMPARE(AutoencoderData::informative(f), info);
        QVERIFY((d.groundTruth.col(f).array() == (info ? 1 : 0)).all());
        (info ? informative.col(i++) : noise.col(j++)) = d.x.col(f);
    }
    // Informative columns: variance 1 + 0.1^2; the noise: 0.3^2, independent of everything.
    const Mat ci = (informative.rowwise() - informative.colwise().mean()).eval();
    const Mat cov = ci.transpose() * ci / double(d.size()); // (8, 8)
    for (int i = 0; i < 8; ++i)
        QVERIFY2(std::abs(cov(i, i) - 1.01) < 0.06, qPrintable(QString::number(cov(i, i))));
    const Mat cn = (noise.rowwise() - noise.colwise().mean()).eval();
    const Mat noiseCov = cn.transpose() * cn / double(d.size()); // (24, 24)
    QVERIFY(std::abs(noiseCov.diagonal().mean() - 0.09) < 0.005);
    QVERIFY((noiseCov - Mat(noiseCov.diagonal().asDiagonal())).cwiseAbs().maxCoeff() < 0.01);
    // Three factors: the informative covariance has 3 large eigenvalues, the other 5 are the
    // specific noise's 0.01.
    Eigen::SelfAdjointEigenSolver<Mat> eig(cov);
    const auto values = eig.eigenvalues(); // ascending
    QVERIFY(values(4) < 0.02);
    QVERIFY(values(5) > 0.3);
    QVERIFY(std::abs(values.sum() - 8.08) < 0.4);
    // Defaults: the Q&A's model.
    QVERIFY(t.model.architecture == ModelArchitecture::Autoencoder);
    QVERIFY(t.model.attention == AttentionKind::Feature);
    QVERIFY(!t.model.attentionOnInputs);
    QCOMPARE(t.model.inputs, 32);
    QCOMPARE(t.model.outputs, 32);
    QCOMPARE(t.model.hidden, 256);
    QCOMPARE(t.model.codeUnits, 128);
    QCOMPARE(t.model.inputDropout, 0.2);
    QCOMPARE(t.model.dropout, 0.5);
    QVERIFY(t.loss == LossKind::Mse);
    QVERIFY(t.alignment == AlignmentKind::GroundTruthMass);
    QCOMPARE(t.epochs, 20);
}

void TestAutoencoderTask::throughMakeTask()
{
    QCOMPARE(toString(TaskKind::Autoencoder), std::string("autoencoder"));
    QVERIFY(*taskKindFromString("autoencoder") == TaskKind::Autoencoder);
    QCOMPARE(applicableAttention(TaskKind::Autoencoder).size(), std::size_t(2));
    QVERIFY(applicableAttention(TaskKind::Autoencoder).back() == AttentionKind::None);
    Rng a(3), b(3);
    const TaskData t = makeTask(TaskKind::Autoencoder, a, {200, 30});
    QCOMPARE(t.train.size(), Eigen::Index(200));
    QCOMPARE(t.validation.size(), Eigen::Index(30));
    QVERIFY(t.train.x == makeAutoencoderTask(b, {200, 30}).train.x); // seeded
    // Uniform attention has chance mass 8/32 on the informative columns.
    const Mat uniform = Mat::Constant(10, 32, 1.0 / 32);
    QVERIFY(std::abs(*alignment(AlignmentKind::GroundTruthMass, uniform, t.probe.groundTruth) - 0.25) < 1e-12);
}

void TestAutoencoderTask::csvFile()
{
    QTemporaryDir dir;
    const std::string path = dir.filePath("wide.csv").toStdString();
    {
        std::ofstream out(path);
        out << "a,b,c\n";
        for (int r = 0; r < 10; ++r)
            out << r << ',' << 2 * r + 1 << ",5\n"; // c is constant
    }
    Rng rng(7);
    const TaskData t = makeAutoencoderCsvTask(path, rng);
    QCOMPARE(t.train.size(), Eigen::Index(8));
    QCOMPARE(t.validation.size(), Eigen::Index(2));
    QCOMPARE(t.train.features, 3);
    QCOMPARE(t.model.inputs, 3);
    QCOMPARE(t.model.outputs, 3);
    QVERIFY(t.alignment == AlignmentKind::None);
    QVERIFY(t.train.groundTruth.size() == 0);
    QVERIFY(t.train.y == t.train.x);
    // Standardised on the training rows: mean 0, spread 1 (the constant column: 0).
    QVERIFY(t.train.x.colwise().mean().cwiseAbs().maxCoeff() < 1e-12);
    QVERIFY(std::abs((t.train.x.col(0).array().square().mean()) - 1.0) < 1e-12);
    QVERIFY(t.train.x.col(2).isZero(0));
    // Column b = 2a + 1 in every row, so it standardises to the same values as a.
    QVERIFY((t.train.x.col(0) - t.train.x.col(1)).cwiseAbs().maxCoeff() < 1e-12);
    QVERIFY((t.validation.x.col(0) - t.validation.x.col(1)).cwiseAbs().maxCoeff() < 1e-12);
}

void TestAutoencoderTask::csvErrors()
{
    QTemporaryDir dir;
    auto write = [&](const char *name, const std::string &text) {
        const std::string path = dir.filePath(name).toStdString();
        std::ofstream(path) << text;
        return path;
    };
    Rng rng(1);
    QVERIFY_THROWS_EXCEPTION(DataError, makeAutoencoderCsvTask(write("one.csv", "1\n2\n3\n4\n5\n6\n"), rng));
    QVERIFY_THROWS_EXCEPTION(DataError, makeAutoencoderCsvTask(write("few.csv", "1,2\n3,4\n"), rng));
    try {
        makeAutoencoderCsvTask(write("text.csv", "1,2\n3,4\n5,x\n7,8\n9,10\n"), rng);
        QFAIL("no error for a text cell");
    } catch (const DataError &e) {
        QVERIFY2(std::string(e.what()).find("text.csv:3:2: \"x\" is not a number") != std::string::npos, e.what());
    }
    QVERIFY_THROWS_EXCEPTION(std::exception, makeAutoencoderCsvTask(dir.filePath("missing.csv").toStdString(), rng));
}

QTEST_APPLESS_MAIN(TestAutoencoderTask)
#include "tst_autoencodertask.moc"
