// SPDX-License-Identifier: GPL-3.0-or-later
// Line splitting, validation and label parsing of `sentence<TAB>label` files.
#include "core/data/sentencefile.h"

#include "core/data/tokenizer.h"
#include "core/fileio/boundedread.h"

#include <algorithm>

namespace attn {

namespace {

std::string prefix(const std::string &file, int line)
{
    return line > 0 ? file + ":" + std::to_string(line) + ": " : file + ": ";
}

// True if s is well-formed UTF-8 (no overlong forms, no surrogates, at most U+10FFFF).
bool validUtf8(std::string_view s)
{
    std::size_t i = 0;
    while (i < s.size()) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        int extra = 0;
        unsigned cp = 0;
        if (c < 0x80) {
            ++i;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            extra = 1;
            cp = c & 0x1Fu;
        } else if (c >= 0xE0 && c <= 0xEF) {
            extra = 2;
            cp = c & 0x0Fu;
        } else if (c >= 0xF0 && c <= 0xF4) {
            extra = 3;
            cp = c & 0x07u;
        } else {
            return false;
        }
        if (i + std::size_t(extra) >= s.size()) // truncated sequence
            return false;
        for (int k = 1; k <= extra; ++k) {
            const unsigned char d = static_cast<unsigned char>(s[i + std::size_t(k)]);
            if ((d & 0xC0u) != 0x80u)
                return false;
            cp = (cp << 6) | (d & 0x3Fu);
        }
        if ((extra == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
            (extra == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
            return false;
        i += std::size_t(extra) + 1;
    }
    return true;
}

bool blank(std::string_view s)
{
    return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t'; });
}

// The cell as it should appear inside a message: quoted, control characters escaped, cut short.
std::string quoted(std::string_view s)
{
    std::string out = "\"";
    for (std::size_t i = 0; i < s.size() && i < 40; ++i) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        if (c < 0x20) {
            static const char hex[] = "0123456789abcdef";
            out += "\\x";
            out += hex[c >> 4];
            out += hex[c & 15];
        } else {
            out += char(c);
        }
    }
    if (s.size() > 40)
        out += "...";
    return out + "\"";
}

} // namespace

SentenceFileError::SentenceFileError(std::string file_, int line_, std::string message_)
    : std::runtime_error(prefix(file_, line_) + message_),
      file(std::move(file_)),
      line(line_),
      message(std::move(message_))
{
}

std::vector<LabelledSentence> parseSentenceFile(std::string_view text, const std::string &file)
{
    if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF")
        text.remove_prefix(3); // UTF-8 byte order mark
    std::vector<LabelledSentence> out;
    int lineNo = 0;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos)
            end = text.size();
        std::string_view line = text.substr(start, end - start);
        start = end + 1;
        ++lineNo;
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1); // CRLF
        if (line.size() > kMaxSentenceLineBytes)
            throw SentenceFileError(file, lineNo,
                                    "line longer than " + std::to_string(kMaxSentenceLineBytes) +
                                        " bytes (a line may have at most " +
                                        std::to_string(kMaxSentenceLineBytes) + ")");
        if (line.find('\0') != std::string_view::npos)
            throw SentenceFileError(file, lineNo, "NUL byte: this is not a text file");
        if (!validUtf8(line))
            throw SentenceFileError(file, lineNo, "invalid UTF-8 (the file must be UTF-8 text)");
        if (blank(line) && line.find('\t') == std::string_view::npos)
            continue;
        const std::size_t tab = line.find('\t');
        if (tab == std::string_view::npos)
            throw SentenceFileError(file, lineNo,
                                    "no TAB between sentence and label (expected sentence<TAB>label)");
        const auto tabs = std::count(line.begin(), line.end(), '\t');
        if (tabs > 1)
            throw SentenceFileError(file, lineNo,
                                    std::to_string(tabs) +
                                        " TABs (expected exactly one, between sentence and label)");
        const std::string_view sentence = line.substr(0, tab);
        std::string_view label = line.substr(tab + 1);
        while (!label.empty() && label.front() == ' ')
            label.remove_prefix(1);
        while (!label.empty() && label.back() == ' ')
            label.remove_suffix(1);
        if (blank(sentence))
            throw SentenceFileError(file, lineNo, "empty sentence before the TAB");
        if (label != "0" && label != "1")
            throw SentenceFileError(file, lineNo, "label " + quoted(label) + " is not 0 or 1");
        // A sentence of n bytes has at most (n + 1) / 2 words: only long ones need counting.
        if (sentence.size() >= 2 * std::size_t(kMaxSentenceWords) &&
            Tokenizer::words(sentence).size() > std::size_t(kMaxSentenceWords))
            throw SentenceFileError(file, lineNo,
                                    "more than " + std::to_string(kMaxSentenceWords) +
                                        " words in the sentence (a sentence may have at most " +
                                        std::to_string(kMaxSentenceWords) + ")");
        if (out.size() == std::size_t(kMaxSentences))
            throw SentenceFileError(file, lineNo,
                                    "more than " + std::to_string(kMaxSentences) +
                                        " sentences (a file may hold at most " +
                                        std::to_string(kMaxSentences) + ")");
        out.push_back({std::string(sentence), label == "1" ? 1 : 0, lineNo});
    }
    if (out.empty())
        throw SentenceFileError(file, 0, "no labelled sentences (expected lines sentence<TAB>label)");
    return out;
}

std::vector<LabelledSentence> readSentenceFile(const std::string &path)
{
    std::string text;
    try {
        text = readRegularFile(path, kMaxSentenceFileBytes);
    } catch (const FileReadError &e) {
        throw SentenceFileError(path, 0, e.message);
    }
    return parseSentenceFile(text, path);
}

} // namespace attn
