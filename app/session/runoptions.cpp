// SPDX-License-Identifier: GPL-3.0-or-later
// The run options of the command line (runsettings.h: addRunOptions, readRunOptions): their
// declarations and help texts, and how a parsed command line sets a RunSettings, own data
// guessed as File > Open guesses it.
#include "app/session/runsettings.h"

#include "app/session/csvguess.h"
#include "app/session/intsetting.h"
#include "app/session/runpreset.h"

using namespace attn;

void addRunOptions(QCommandLineParser &parser)
{
    parser.addOptions({
        {"task", "Task to train: " + choiceList(allTaskKinds()) + " (default add).", "name"},
        {"epochs", "Number of epochs (default: the task's; with --data 0, sized to the file: "
                   "about 1000 optimizer steps, 10 to 500 epochs, with early stopping).", "N"},
        {"patience", "Early stopping: stop after N epochs without a lower validation loss and "
                     "restore the best epoch's weights (default 0: train every epoch; with "
                     "--data and automatic epochs a fifth of them, at least 10).", "N"},
        {"seed", "Random seed for data, weights and shuffling (default 7).", "S"},
        {"batch-size", "Mini-batch size (default: the task's).", "B"},
        {"hidden", "LSTM hidden units H; autoencoder: the first encoder layer's width (default: the task's).", "H"},
        {"code-units", "Autoencoder: the second encoder layer's width, the code (default 128).", "N"},
        {"attention-on-inputs", "Autoencoder: the attention block on the inputs, as the "
                                "feature-selection demo (default: after the first encoder layer, as the Q&A)."},
        {"attention-noise", "Autoencoder: std sigma of the Gaussian noise added after the attention "
                            "multiply in training, sigma / width per unit, 0..10 (default 0).", "sigma"},
        {"units", "Attention output units U (default 128).", "U"},
        {"attention", "Attention: " + choiceList(allAttentionKinds()) + " (default: the task's).", "kind"},
        {"cell", "Recurrent cell: lstm or gru (default lstm).", "kind"},
        {"init", "Initial weights: keras (Keras' initialisers, as keras-attention; default) or "
                 "pytorch (torch.nn's defaults; docs/parity.md).", "scheme"},
        {"heads", "Self-attention heads K; H must be divisible by K (default 1).", "K"},
        {"causal", "Self-attention: each step sees only itself and the past."},
        {"attention-window", "Self-attention window width w: steps with |t - s| < w (default 0: all).", "w"},
        {"local-width", "Local attention window D: local's Gaussian sigma D/2, local-m's window the last D+1 steps (default 4).", "D"},
        {"d-model", "Transformer: model width d_model D, divisible by --heads (default 32).", "D"},
        {"layers", "Transformer: encoder layers N (default 2).", "N"},
        {"ffn-units", "Transformer: inner width of the feed-forward sublayer (default 64).", "F"},
        {"pre-norm", "Transformer: LayerNorm before each sublayer (default: after, as in the paper)."},
        {"encoder-dropout", "Transformer: residual dropout rate, 0..0.9 (default 0).", "p"},
        {"input-dropout", "Recurrent layer (autoencoder: the input vector): dropout on the inputs, "
                          "0..0.9 (default 0; autoencoder 0.2).", "p"},
        {"recurrent-dropout", "Recurrent layer: dropout on the state, 0..0.9 (default 0).", "p"},
        {"no-mask", "Do not mask padding (sentiment's padding ids, the steps after a shorter "
                    "long-layout CSV sequence): show the unmasked attention on padding "
                    "(default: padding gets exactly zero attention)."},
        {"vocabulary", "sentiment: keep the N most frequent words (default: all).", "N"},
        {"max-length", "sentiment: words per sentence T after padding/truncation (default 32).", "T"},
        {"padding", "sentiment: pad with zeros pre (before) or post (after) the words (default post).", "side"},
        {"truncation", "sentiment: cut long sentences pre (at the start) or post (default post).", "side"},
        {"data", "Train on your own CSV sequences (one per row, target last; a UCR NAME_TRAIN "
                 "file uses NAME_TEST beside it as its test file, and alone reads whole-number "
                 "labels in its first column as the target). With --task autoencoder: a wide "
                 "file of numbers, each row one vector to reconstruct.", "file"},
        {"test-data", "With --data: a held-out test file, reported every epoch and in the final "
                      "line, never used for a choice (validation is always 20% of --data).", "file"},
        {"season", "With --window: the season P in steps for the seasonal naive baseline "
                   "(default 0: detected from the training series).", "P"},
        {"target", "With --data: target column: first, last, a number or a header name.", "column"},
        {"window", "With --data: cut a single series into windows of T values to forecast the "
                   "next one.", "T"},
        {"layout", "With --data: wide (default), wide-multivariate (T*F values per row, "
                   "time-major), long (one step per row) or series.", "name"},
        {"features", "With --layout wide-multivariate: F values per time step (default 1).", "F"},
        {"sequence-id", "With --layout long: the sequence-id column (number or header name).", "column"},
        {"task-type", "With --data: regression, binary or multiclass (default: detected from "
                      "the target).", "type"},
        {"no-standardize", "With --data: use the values as they are (default: standardise each "
                           "feature on the training split)."},
        {"no-instance-norm", "With --window: read the windows on the training split's scale only "
                             "(default: each window standardised by its own mean and spread, "
                             "the forecast put back on its level: RevIN)."},
        {"sentences", "sentiment: a sentence<TAB>label file to read instead of the shipped "
                      "amazon_cells + yelp (repeat for several files).", "file"},
        {"learning-rate", "Adam learning rate (default 0.001).", "lr"},
        {"warmup", "Learning-rate warmup steps w (Vaswani et al. 2017, sec. 5.3): the rate rises "
                   "linearly to --learning-rate over w steps, then falls as sqrt(w / step); 0 = "
                   "constant; -1 (default) = the transformer's min(4000, all steps / 25), none "
                   "for the other mechanisms.", "w"},
        {"train-size", "Training samples (default: the published size).", "N"},
        {"val-size", "Validation samples (default: the published size).", "N"},
        {"explain", "Add to every epoch's JSON the faithfulness of attention (\"faithfulness\": "
                    "Kendall's tau with gradient, input x gradient, leave-one-out and integrated "
                    "gradients, their alignment with the ground truth, the output change under "
                    "permuted and uniform attention), measured on the training worker."},
        {"explain-rows", "With --explain: the validation rows measured (default 256).", "N"},
        {"no-explain", "With --window: no faithfulness measures (default for forecasts: on, as "
                       "--explain --explain-rows 32, so the series view sets attention beside "
                       "what the forecast leans on)."},
        {"threads", "Threads that train: a run computes slices of each batch on N threads, "
                    "Compare trains up to N runs at once; the results are the same at any N "
                    "(default 0: one per core).", "N"},
        {"preset", "sentiment: start from a recipe (implies --task sentiment; other options "
                   "change it): " + runPresetChoices() + " (docs/tasks.md, \"Presets\").", "name"},
    });
}

QString readRunOptions(const QCommandLineParser &p, RunSettings &s)
{
    if (p.isSet("data") && p.value("task") == "autoencoder") { // a wide file: each row one vector
        s = RunSettings::defaults(TaskKind::Autoencoder);
        s.dataFile = p.value("data");
    } else if (p.isSet("data")) {
        if (p.isSet("task") && p.value("task") != "csv")
            return QStringLiteral("--data: trains the csv task, not --task %1").arg(p.value("task"));
        s = RunSettings::defaults(TaskKind::Csv);
        s.dataFile = p.value("data");
        if (!p.isSet("layout") && !p.isSet("window")) {
            // A single series (a value column, perhaps a date column) is read as File > Open
            // guesses it; any other file keeps the layout for csvTaskSpec (a lone UCR file).
            const RunSettings guessed = guessCsvSettings(s.dataFile, s);
            if (guessed.window > 0)
                s = guessed;
        }
        s.testDataFile = p.value("test-data");
        if (p.isSet("target"))
            s.target = p.value("target");
        s.sequenceId = p.value("sequence-id");
        s.standardize = !p.isSet("no-standardize");
        s.instanceNorm = !p.isSet("no-instance-norm");
        if (p.isSet("layout")) {
            if (!csvLayoutFromString(p.value("layout").toStdString()))
                return QStringLiteral("--layout: expected wide, wide-multivariate, long or series, got '%1'")
                    .arg(p.value("layout"));
            s.layout = p.value("layout");
        }
        if (p.isSet("task-type")) {
            const auto type = taskTypeFromString(p.value("task-type").toStdString());
            if (!type || *type == TaskType::Auto)
                return QStringLiteral("--task-type: expected regression, binary or multiclass, got '%1'")
                    .arg(p.value("task-type"));
            s.taskType = p.value("task-type");
        }
    } else {
        for (const char *option : {"test-data", "target", "window", "layout", "features",
                                   "sequence-id", "task-type", "no-standardize", "season",
                                   "no-instance-norm"})
            if (p.isSet(option))
                return QStringLiteral("--%1 needs --data FILE%2")
                    .arg(option, QString(option) == "window"
                                     ? " (the self-attention window width is --attention-window)"
                                     : "");
    }
    if (p.isSet("task") && !p.isSet("data")) {
        const auto kind = taskKindFromString(p.value("task").toStdString());
        if (!kind)
            return QStringLiteral("--task: expected %1, got '%2'")
                .arg(choiceList(allTaskKinds()), p.value("task"));
        s = RunSettings::defaults(*kind);
    }
    if (p.isSet("preset")) {
        const auto preset = runPresetFromString(p.value("preset"));
        if (!preset)
            return QStringLiteral("--preset: expected %1, got '%2'").arg(runPresetChoices(), p.value("preset"));
        if (s.task != TaskKind::Sentiment && (p.isSet("task") || p.isSet("data")))
            return QStringLiteral("--preset: the presets are recipes of the sentiment task, not of %1")
                .arg(QString::fromStdString(toString(s.task)));
        s = presetSettings(*preset);
    }
    if (p.isSet("seed")) {
        bool ok = false;
        const qulonglong seed = p.value("seed").toULongLong(&ok);
        if (!ok)
            return QStringLiteral("--seed: expected a non-negative whole number, got '%1'")
                .arg(p.value("seed"));
        s.train.seed = seed;
    }
    if (p.isSet("attention")) {
        const auto kind = attentionKindFromString(p.value("attention").toStdString());
        if (!kind)
            return QStringLiteral("--attention: expected %1, got '%2'")
                .arg(choiceList(allAttentionKinds()), p.value("attention"));
        const std::vector<AttentionKind> applicable = applicableAttention(s.task);
        if (std::find(applicable.begin(), applicable.end(), *kind) == applicable.end())
            return QStringLiteral("--attention: %1 does not apply to the %2 task (expected %3)")
                .arg(p.value("attention"), QString::fromStdString(toString(s.task)),
                     choiceList(applicable));
        s.model.attention = *kind;
    }
    if (p.isSet("attention-on-inputs")) {
        if (s.task != TaskKind::Autoencoder)
            return QStringLiteral("--attention-on-inputs: only the autoencoder task places its attention");
        s.model.attentionOnInputs = true;
    }
    if (p.isSet("attention-noise")) {
        bool ok = false;
        const double v = p.value("attention-noise").toDouble(&ok);
        if (!ok || !(v >= 0.0 && v <= 10.0))
            return QStringLiteral("--attention-noise: expected a number from 0 to 10, got '%1'")
                .arg(p.value("attention-noise"));
        if (s.task != TaskKind::Autoencoder)
            return QStringLiteral("--attention-noise: only the autoencoder task adds attention noise");
        s.model.attentionNoise = v;
    }
    if (p.isSet("cell")) {
        const auto cell = recurrentCellFromString(p.value("cell").toStdString());
        if (!cell)
            return QStringLiteral("--cell: expected lstm or gru, got '%1'").arg(p.value("cell"));
        s.model.cell = *cell;
    }
    if (p.isSet("init")) {
        const auto init = weightInitFromString(p.value("init").toStdString());
        if (!init)
            return QStringLiteral("--init: expected keras or pytorch, got '%1'").arg(p.value("init"));
        s.model.init = *init;
    }
    s.model.causal = s.model.causal || p.isSet("causal");
    s.model.preNorm = s.model.preNorm || p.isSet("pre-norm");
    if (p.isSet("no-mask"))
        s.model.maskPadding = false;
    if (p.isSet("explain-rows") && !p.isSet("explain"))
        return QStringLiteral("--explain-rows needs --explain");
    if (p.isSet("no-explain") && p.isSet("explain"))
        return QStringLiteral("--no-explain and --explain contradict each other");
    if (p.isSet("explain")) {
        s.train.explainRows = kDefaultExplainRows;
        if (p.isSet("explain-rows")) {
            bool ok = false;
            const int rows = p.value("explain-rows").toInt(&ok);
            if (!ok || rows < 1 || rows > 100000)
                return QStringLiteral("--explain-rows: expected a whole number from 1 to 100000, got '%1'")
                    .arg(p.value("explain-rows"));
            s.train.explainRows = rows;
        }
    } else if (p.isSet("no-explain")) {
        s.train.explainRows = 0; // also a guessed forecast's default
    }
    for (const IntSetting &o : kIntSettings) {
        if (!p.isSet(o.option))
            continue;
        bool ok = false;
        const long long v = p.value(o.option).toLongLong(&ok);
        if (!ok || v < o.min || v > o.max)
            return QStringLiteral("--%1: expected a whole number from %2 to %3, got '%4'")
                .arg(o.option)
                .arg(o.min)
                .arg(o.max)
                .arg(p.value(o.option));
        o.field(s) = int(v);
    }
    // A forecast's attention is set beside what the forecast leans on unless asked not to.
    if (s.task == TaskKind::Csv && s.window > 0 && !p.isSet("explain") && !p.isSet("no-explain"))
        s.train.explainRows = kForecastExplainRows;
    const struct {
        const char *name;
        double *field;
    } rates[] = {{"input-dropout", &s.model.inputDropout},
                 {"recurrent-dropout", &s.model.recurrentDropout},
                 {"encoder-dropout", &s.model.encoderDropout}};
    for (const auto &o : rates) {
        if (!p.isSet(o.name))
            continue;
        bool ok = false;
        const double v = p.value(o.name).toDouble(&ok);
        if (!ok || !(v >= 0.0 && v <= 0.9))
            return QStringLiteral("--%1: expected a number from 0 to 0.9, got '%2'")
                .arg(o.name, p.value(o.name));
        *o.field = v;
    }
    for (auto [name, field] : {std::pair{"padding", &s.tokenizer.padding},
                               std::pair{"truncation", &s.tokenizer.truncation}}) {
        if (!p.isSet(name))
            continue;
        const QString v = p.value(name);
        if (v != "pre" && v != "post")
            return QStringLiteral("--%1: expected pre or post, got '%2'").arg(name, v);
        *field = v == "pre" ? SequenceSide::Pre : SequenceSide::Post;
    }
    if (p.isSet("sentences")) {
        if (s.task != TaskKind::Sentiment)
            return QStringLiteral("--sentences: only the sentiment task reads sentence files "
                                  "(add --task sentiment)");
        s.sentenceFiles = p.values("sentences");
    }
    if (p.isSet("learning-rate")) {
        bool ok = false;
        const double lr = p.value("learning-rate").toDouble(&ok);
        if (!ok || !(lr > 0.0 && lr <= 10.0))
            return QStringLiteral("--learning-rate: expected a number in (0, 10], got '%1'")
                .arg(p.value("learning-rate"));
        s.train.learningRate = lr;
    }
    // Combinations the model or the trainer would refuse only after the data is read.
    if (s.model.attention == AttentionKind::SelfAttention && s.model.hidden % s.model.heads != 0)
        return QStringLiteral("--heads: self-attention splits the hidden state (H = %1) into K "
                              "heads of H/K units; %2 heads do not divide %1")
            .arg(s.model.hidden)
            .arg(s.model.heads);
    if (s.model.attention == AttentionKind::Transformer && s.model.modelWidth % s.model.heads != 0)
        return QStringLiteral("--heads: the transformer splits d_model (D = %1) into K heads of "
                              "D/K units; %2 heads do not divide %1")
            .arg(s.model.modelWidth)
            .arg(s.model.heads);
    const bool generated = s.task != TaskKind::Csv && s.task != TaskKind::Sentiment;
    if (generated && s.size.train > 0 && s.size.train < s.train.batchSize)
        return QStringLiteral("--batch-size: a batch of %1 is more than the %2 training samples "
                              "(--train-size)")
            .arg(s.train.batchSize)
            .arg(s.size.train);
    return {};
}
