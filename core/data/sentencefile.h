// SPDX-License-Identifier: GPL-3.0-or-later
// Reader of labelled-sentence files, one example per line as `sentence<TAB>label` with label 0
// or 1 (the Sentiment Labelled Sentences format, Kotzias et al. 2015). Lines are raw text, not
// CSV: no quoting (the imdb file has unbalanced '"'), and only LF ends a line (the imdb file
// contains U+0085, which some Unicode-aware splitters take for a line break).
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace attn {

/// Limits of a sentence file, checked before anything is allocated for the part they bound: a
/// damaged or hostile file is refused with a message instead of freezing the window (a 50 MB
/// line took 50 s and 4.5 GB to tokenize). The shipped files are far below them (lines up to
/// 481 bytes, 1,000 sentences).
inline constexpr std::uintmax_t kMaxSentenceFileBytes = std::uintmax_t(256) << 20; // whole file
inline constexpr std::size_t kMaxSentenceLineBytes = 100'000; // one line, CR/LF not counted
inline constexpr int kMaxSentenceWords = 10'000; // words of one sentence (Tokenizer::words)
inline constexpr int kMaxSentences = 1'000'000;  // labelled lines in one file

/// A malformed or unreadable sentence file. what() is "FILE:LINE: message" for a bad line
/// (LINE 1-based) and "FILE: message" for the file as a whole (line = 0), with FILE the path as
/// given, e.g. `yelp.txt:12: label "2" is not 0 or 1`.
class SentenceFileError : public std::runtime_error {
public:
    SentenceFileError(std::string file, int line, std::string message);
    std::string file;
    int line = 0;        // 1-based; 0 = the file as a whole
    std::string message; // what() without the "FILE:LINE: " prefix
};

struct LabelledSentence {
    std::string text; // the sentence as written (UTF-8), without the TAB and label
    int label = 0;    // 0 (negative) or 1 (positive)
    int line = 0;     // 1-based line in its file
};

/// Parses the whole text of a file; `file` names it in messages.
/// - A UTF-8 BOM is skipped; lines end in LF (a CR before it is dropped); the last line break is
///   optional; blank lines (spaces only) are skipped but counted.
/// - Each other line is split at its one TAB: the sentence before it, the label after it
///   (spaces around the label are ignored).
/// Throws SentenceFileError: no TAB on a line, more than one TAB, a blank sentence, a label that
/// is not 0 or 1, a NUL byte (not a text file), invalid UTF-8, or no labelled line at all; a line
/// over kMaxSentenceLineBytes bytes, a sentence of more than kMaxSentenceWords words, more than
/// kMaxSentences labelled lines (at the first line too many), e.g.
/// `big.txt:7: line longer than 100000 bytes (a line may have at most 100000)`.
std::vector<LabelledSentence> parseSentenceFile(std::string_view text, const std::string &file);

/// Reads a file with readRegularFile (core/fileio/boundedread.h) and parses it
/// (parseSentenceFile). Throws SentenceFileError (line 0) with readRegularFile's message if the
/// file is not a regular file ("is a directory", "is not a regular file (a device, a pipe or a
/// socket)": a directory, /dev/zero or a FIFO is refused before a byte is read), cannot be opened
/// or read, or is larger than kMaxSentenceFileBytes ("file too large: N bytes, more than M",
/// checked before reading; never more than that is read, even from a file that grows), and
/// every parse error.
std::vector<LabelledSentence> readSentenceFile(const std::string &path);

} // namespace attn
