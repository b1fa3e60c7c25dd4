// SPDX-License-Identifier: GPL-3.0-or-later
// Tests of the Tokenizer: word splitting on the quirky lines of the real sentiment files (C1
// control characters between words, two spaces before the TAB, unbalanced quotes, accented
// letters), the frequency-ranked vocabulary with its limit, and padding / truncation.
#include "core/data/sentencefile.h"
#include "core/data/tokenizer.h"

#include <QTest>

using namespace attn;

namespace {

using Words = std::vector<std::string>;

const std::string kData = ATTN_SENTIMENT_DATA; // resources/data/sentiment_labelled_sentences

// The sentence on 1-based line `line` of a shipped file.
std::string sentenceAt(const std::string &file, int line)
{
    for (const LabelledSentence &s : readSentenceFile(kData + "/" + file))
        if (s.line == line)
            return s.text;
    throw std::runtime_error("no line " + std::to_string(line));
}

} // namespace

class TestTokenizer : public QObject {
    Q_OBJECT
private slots:
    void splitsPlainText();
    void quirkyLinesOfTheRealFiles();
    void vocabularyByFrequency();
    void vocabularyLimit();
    void paddingAndTruncation();
    void rejectsBadOptions();
};

void TestTokenizer::splitsPlainText()
{
    QCOMPARE(Tokenizer::words("Doesn't hold charge."), (Words{"doesn't", "hold", "charge"}));
    QCOMPARE(Tokenizer::words("A very, very slow-moving... movie!"),
             (Words{"a", "very", "very", "slow", "moving", "movie"}));
    QCOMPARE(Tokenizer::words("  'quoted' words, (brackets) & 7/10 "),
             (Words{"quoted", "words", "brackets", "7", "10"}));
    QCOMPARE(Tokenizer::words("\"\"\"...!!!"), Words{});
    QCOMPARE(Tokenizer::words(""), Words{});
    // Latin-1 capitals are lower-cased; the multiplication sign is not a letter to change.
    QCOMPARE(Tokenizer::words("CAF\xC3\x89 \xC3\x97"), (Words{"caf\xC3\xA9", "\xC3\x97"}));
}

void TestTokenizer::quirkyLinesOfTheRealFiles()
{
    // imdb line 179: U+0085 (NEL) glues "is" and "was"; it separates them.
    QCOMPARE(Tokenizer::words(sentenceAt("imdb_labelled.txt", 179)),
             (Words{"the", "script", "is", "was", "there", "a", "script"}));
    // imdb line 19: U+0096 between two spaces, an unbalanced quote, two spaces before the TAB.
    const Words line19 = Tokenizer::words(sentenceAt("imdb_labelled.txt", 19));
    QCOMPARE(line19, (Words{"it's", "practically", "perfect", "in", "all", "of", "them", "a", "true",
                            "masterpiece", "in", "a", "sea", "of", "faux", "masterpieces"}));
    // imdb line 558: U+0097 (em dash in the original) between two words.
    const Words line558 = Tokenizer::words(sentenceAt("imdb_labelled.txt", 558));
    QCOMPARE(Words(line558.begin(), line558.begin() + 6),
             (Words{"let's", "start", "with", "all", "the", "problems"}));
    QCOMPARE(line558[6], std::string("the"));
    // imdb line 81: "Québec" keeps its é; the unbalanced quote does not swallow the next line.
    const Words line81 = Tokenizer::words(sentenceAt("imdb_labelled.txt", 81));
    QCOMPARE(line81.back(), std::string("qu\xC3\xA9" "bec"));
    QCOMPARE(Tokenizer::words(sentenceAt("imdb_labelled.txt", 82)).empty(), false);
    // yelp: accented words stay whole.
    QCOMPARE(Tokenizer::words(sentenceAt("yelp_labelled.txt", 824)),
             (Words{"the", "cr\xC3\xAApe", "was", "delicate", "and", "thin", "and", "moist"}));
    QCOMPARE(Tokenizer::words(sentenceAt("yelp_labelled.txt", 151))[1], std::string("fianc\xC3\xA9"));
    // amazon: apostrophes inside words stay.
    QCOMPARE(Tokenizer::words(sentenceAt("amazon_cells_labelled.txt", 21))[3],
             std::string("motorola's"));
    // No token of any shipped file holds a control character, a space or a C1 character.
    for (const char *f : {"amazon_cells_labelled.txt", "yelp_labelled.txt", "imdb_labelled.txt"})
        for (const LabelledSentence &s : readSentenceFile(kData + "/" + f))
            for (const std::string &w : Tokenizer::words(s.text)) {
                QVERIFY(!w.empty());
                for (std::size_t i = 0; i < w.size(); ++i) {
                    const unsigned char c = static_cast<unsigned char>(w[i]);
                    QVERIFY2(c > ' ' && c != 0x7F, w.c_str());
                    if (c == 0xC2 && i + 1 < w.size())
                        QVERIFY2(static_cast<unsigned char>(w[i + 1]) > 0xA0, w.c_str());
                }
            }
}

void TestTokenizer::vocabularyByFrequency()
{
    Tokenizer t;
    t.fit({{"b", "a", "c"}, {"a", "c", "d"}, {"a"}});
    // a: 3, c: 2, b: 1, d: 1 (b before d: first seen earlier).
    QCOMPARE(t.vocabularySize(), 4);
    QCOMPARE(t.vocabulary(), (Words{"", "a", "c", "b", "d"}));
    QCOMPARE(t.id("a"), 1);
    QCOMPARE(t.id("d"), 4);
    QCOMPARE(t.id("zzz"), 0);
    QCOMPARE(t.word(0), std::string());
    QCOMPARE(t.word(2), std::string("c"));
    QVERIFY_THROWS_EXCEPTION(std::out_of_range, t.word(5));
}

void TestTokenizer::vocabularyLimit()
{
    Tokenizer t;
    t.fit({{"b", "a", "c"}, {"a", "c", "d"}, {"a"}}, 2);
    QCOMPARE(t.vocabularySize(), 2);
    QCOMPARE(t.vocabulary(), (Words{"", "a", "c"}));
    TokenizerOptions o;
    o.maxLength = 5;
    // Words outside the vocabulary are dropped (Keras' texts_to_sequences without oov_token).
    QCOMPARE(t.encode({"b", "a", "d", "c"}, o), (std::vector<int>{1, 2, 0, 0, 0}));
    // A limit above the number of words keeps them all.
    t.fit({{"x", "y"}}, 100);
    QCOMPARE(t.vocabularySize(), 2);
}

void TestTokenizer::paddingAndTruncation()
{
    Tokenizer t;
    t.fit({{"a", "b", "c", "d", "e"}}); // ids 1..5 in order of appearance (all counts 1)
    const Words text{"a", "b", "c", "d", "e"};
    TokenizerOptions o;
    o.maxLength = 3;
    QCOMPARE(t.encode(text, o), (std::vector<int>{1, 2, 3})); // post truncation: keep the start
    o.truncation = SequenceSide::Pre;
    QCOMPARE(t.encode(text, o), (std::vector<int>{3, 4, 5}));
    o.maxLength = 7;
    QCOMPARE(t.encode(text, o), (std::vector<int>{1, 2, 3, 4, 5, 0, 0})); // post padding
    o.padding = SequenceSide::Pre;
    QCOMPARE(t.encode(text, o), (std::vector<int>{0, 0, 1, 2, 3, 4, 5}));
    QCOMPARE(t.encode({}, o), (std::vector<int>(7, 0)));
    o.maxLength = 5;
    QCOMPARE(t.encode(text, o), (std::vector<int>{1, 2, 3, 4, 5}));
}

void TestTokenizer::rejectsBadOptions()
{
    Tokenizer t;
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, t.fit({{"a"}}, -1));
    t.fit({{"a"}});
    TokenizerOptions o;
    o.maxLength = 0;
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, t.encode({"a"}, o));
}

QTEST_APPLESS_MAIN(TestTokenizer)
#include "tst_tokenizer.moc"
