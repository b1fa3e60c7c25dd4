// SPDX-License-Identifier: GPL-3.0-or-later
// Word splitting, frequency-ranked vocabulary and padded id sequences.
#include "core/data/tokenizer.h"

#include "core/models/modellimits.h"

#include "core/tensor/errors.h"

#include <algorithm>
#include <stdexcept>

namespace attn {

namespace {

bool isAsciiSeparator(unsigned char c)
{
    if (c == ' ' || (c >= '\t' && c <= '\r'))
        return true;
    // ASCII punctuation: Keras' default filters, i.e. all of it but the apostrophe.
    return c != '\'' && ((c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') ||
                         (c >= '{' && c <= '~'));
}

void finishWord(std::string &word, std::vector<std::string> &out)
{
    const std::size_t first = word.find_first_not_of('\'');
    if (first != std::string::npos) {
        const std::size_t last = word.find_last_not_of('\'');
        out.push_back(word.substr(first, last - first + 1));
    }
    word.clear();
}

} // namespace

std::vector<std::string> Tokenizer::words(std::string_view text)
{
    std::vector<std::string> out;
    std::string word;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(text[i]);
        if (c < 0x80) {
            if (isAsciiSeparator(c))
                finishWord(word, out);
            else
                word.push_back(c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : char(c));
            continue;
        }
        if (c == 0xC2 && i + 1 < text.size()) {
            const unsigned char d = static_cast<unsigned char>(text[i + 1]);
            if (d >= 0x80 && d <= 0xA0) { // U+0080..U+009F (C1 controls) and U+00A0 (no-break space)
                finishWord(word, out);
                ++i;
                continue;
            }
        }
        if (c == 0xC3 && i + 1 < text.size()) {
            const unsigned char d = static_cast<unsigned char>(text[i + 1]);
            if (d >= 0x80 && d <= 0x9E && d != 0x97) { // U+00C0..U+00DE -> U+00E0..U+00FE
                word.push_back(char(c));
                word.push_back(char(d + 0x20));
                ++i;
                continue;
            }
        }
        word.push_back(char(c));
    }
    finishWord(word, out);
    return out;
}

void Tokenizer::fit(const std::vector<std::vector<std::string>> &texts, int limit)
{
    if (limit < 0)
        throw ConfigError("Tokenizer::fit: the vocabulary limit must be >= 0 (0 = all words)");
    std::unordered_map<std::string, std::size_t> slot; // word -> index in order of first appearance
    std::vector<std::string> order;
    std::vector<long long> counts;
    for (const auto &text : texts)
        for (const std::string &w : text) {
            const auto [it, inserted] = slot.try_emplace(w, order.size());
            if (inserted) {
                order.push_back(w);
                counts.push_back(0);
            }
            ++counts[it->second];
        }
    std::vector<std::size_t> rank(order.size());
    for (std::size_t i = 0; i < rank.size(); ++i)
        rank[i] = i;
    // Stable: equal counts keep their order of first appearance.
    std::stable_sort(rank.begin(), rank.end(),
                     [&](std::size_t a, std::size_t b) { return counts[a] > counts[b]; });
    // Never more words than a model may embed (kMaxVocabulary): 0 = all, up to that.
    const std::size_t cap = std::size_t(limit > 0 ? std::min(limit, kMaxVocabulary) : kMaxVocabulary);
    const std::size_t keep = std::min(rank.size(), cap);
    m_words.assign(1, std::string());
    m_ids.clear();
    for (std::size_t r = 0; r < keep; ++r) {
        m_ids.emplace(order[rank[r]], int(m_words.size()));
        m_words.push_back(order[rank[r]]);
    }
}

int Tokenizer::id(const std::string &word) const
{
    const auto it = m_ids.find(word);
    return it == m_ids.end() ? 0 : it->second;
}

const std::string &Tokenizer::word(int id) const
{
    if (id < 0 || id >= int(m_words.size()))
        throw std::out_of_range("Tokenizer::word: id " + std::to_string(id) + " is outside 0.." +
                                std::to_string(vocabularySize()));
    return m_words[std::size_t(id)];
}

std::vector<int> Tokenizer::encode(const std::vector<std::string> &words,
                                   const TokenizerOptions &options) const
{
    if (options.maxLength < 1)
        throw ConfigError("Tokenizer::encode: the sequence length must be >= 1");
    std::vector<int> ids;
    for (const std::string &w : words)
        if (const int i = id(w); i > 0)
            ids.push_back(i);
    const std::size_t T = std::size_t(options.maxLength);
    if (ids.size() > T) {
        if (options.truncation == SequenceSide::Pre)
            ids.erase(ids.begin(), ids.end() - std::ptrdiff_t(T));
        else
            ids.resize(T);
    }
    const std::size_t pad = T - ids.size();
    if (options.padding == SequenceSide::Pre)
        ids.insert(ids.begin(), pad, 0);
    else
        ids.insert(ids.end(), pad, 0);
    return ids;
}

} // namespace attn
