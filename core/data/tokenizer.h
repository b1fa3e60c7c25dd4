// SPDX-License-Identifier: GPL-3.0-or-later
// Text -> token ids for the sentiment task, in the manner of Keras' Tokenizer and pad_sequences:
// lower-case, punctuation stripped, a vocabulary ranked by frequency with an optional size limit,
// every sequence padded or truncated to T ids (0 = padding).
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace attn {

/// Where padding goes / which end is cut (Keras pad_sequences' padding= and truncating=).
enum class SequenceSide { Pre, Post };

struct TokenizerOptions {
    int vocabularyLimit = 0;                        // keep the N most frequent words; 0 = every word
    int maxLength = 32;                             // T: ids per sequence
    SequenceSide padding = SequenceSide::Post;      // zeros after the words (Post) or before (Pre)
    SequenceSide truncation = SequenceSide::Post;   // drop words from the end (Post) or the start (Pre)
};

class Tokenizer {
public:
    /// Splits UTF-8 text into words:
    /// - ASCII letters are lower-cased, and so are the Latin-1 capitals U+00C0..U+00DE (but not
    ///   U+00D7, the multiplication sign); other characters are kept as they are (é stays é).
    /// - Separators: ASCII whitespace, the C1 control characters U+0080..U+009F (the imdb file's
    ///   stray U+0085 / U+0096 / U+0097 stand between words), U+00A0, and every ASCII punctuation
    ///   character except the apostrophe (Keras' default filters: !"#$%&()*+,-./:;<=>?@[\]^_`{|}~).
    /// - Apostrophes stay inside a word ("don't", "it's") but are stripped from its ends ("'90s" ->
    ///   "90s", quotes 'like this' -> like this).
    static std::vector<std::string> words(std::string_view text);

    /// Builds the vocabulary from tokenized texts: words ranked by count (most frequent first),
    /// ties in order of first appearance; only the first `limit` are kept (0 = all), and never
    /// more than kMaxVocabulary (core/models/modellimits.h). Ids are
    /// 1..V in rank order; 0 is padding. Throws ConfigError if limit < 0.
    void fit(const std::vector<std::vector<std::string>> &texts, int limit = 0);

    /// V, the number of words with an id.
    int vocabularySize() const { return int(m_words.size()) - 1; }
    /// The id 1..V of a word, or 0 if it is not in the vocabulary.
    int id(const std::string &word) const;
    /// The word of id 1..V; "" for 0. Throws std::out_of_range outside 0..V.
    const std::string &word(int id) const;
    /// words[id] for id 0..V, words[0] = "".
    const std::vector<std::string> &vocabulary() const { return m_words; }

    /// The ids of the words that are in the vocabulary (others are dropped, as Keras'
    /// texts_to_sequences does without an oov_token), then truncated and padded to exactly
    /// options.maxLength ids. Throws ConfigError if maxLength < 1.
    std::vector<int> encode(const std::vector<std::string> &words, const TokenizerOptions &options) const;

private:
    std::vector<std::string> m_words{std::string()}; // (V+1) words by id
    std::unordered_map<std::string, int> m_ids;      // word -> id
};

} // namespace attn
