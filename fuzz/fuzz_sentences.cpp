// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target for the sentence-file reader: any bytes -> parseSentenceFile, then the
// sentences through the tokenizer as the sentiment task uses them. A SentenceFileError is the
// expected outcome for bad input; anything else (a crash, a sanitizer report, another
// exception, a result that breaks the reader's promises) is a bug.
#include "core/data/sentencefile.h"
#include "core/data/tokenizer.h"

#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    using namespace attn;
    const std::string_view text(reinterpret_cast<const char *>(data), size);
    std::vector<LabelledSentence> sentences;
    try {
        sentences = parseSentenceFile(text, "fuzz.txt");
    } catch (const SentenceFileError &e) {
        if (e.file != "fuzz.txt" || e.line < 0)
            std::abort(); // the message must name the file and a line (0 = the whole file)
        return 0;
    }
    // The reader's promises: at least one sentence, at most kMaxSentences, lines increasing,
    // labels 0 or 1, no TAB or line break in a sentence, every line within the limits.
    if (sentences.empty() || sentences.size() > std::size_t(kMaxSentences))
        std::abort();
    std::vector<std::vector<std::string>> texts;
    int previousLine = 0;
    for (const LabelledSentence &s : sentences) {
        if (s.line <= previousLine || (s.label != 0 && s.label != 1) ||
            s.text.find_first_of("\t\n") != std::string::npos || s.text.size() > kMaxSentenceLineBytes)
            std::abort();
        previousLine = s.line;
        texts.push_back(Tokenizer::words(s.text));
        if (texts.back().size() > std::size_t(kMaxSentenceWords))
            std::abort();
    }
    Tokenizer tokenizer;
    tokenizer.fit(texts, 50);
    TokenizerOptions options;
    options.maxLength = 8;
    for (const std::vector<std::string> &words : texts)
        if (tokenizer.encode(words, options).size() != 8)
            std::abort();
    return 0;
}
