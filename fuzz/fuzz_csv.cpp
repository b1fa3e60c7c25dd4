// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target for the CSV reader: any bytes -> parseCsv under several formats -> toSequences
// under several layouts and option sets (also against a reference split) -> scaling. A CsvError
// or std::invalid_argument (ShapeError included) is the expected outcome for bad input; anything
// else (a crash, a sanitizer report, another exception) is a bug.
#include "core/io/csvparser.h"
#include "core/data/sequencecsv.h"

#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string_view>
#include <vector>

namespace {

using namespace attn;

std::vector<CsvOptions> optionSets()
{
    std::vector<CsvOptions> sets;
    CsvOptions o; // wide, target last, everything auto
    sets.push_back(o);

    o = ucrOptions(); // wide, label first, no header
    sets.push_back(o);

    o = {};
    o.layout = CsvLayout::WideMultivariate;
    o.features = 2;
    o.target = CsvColumn::named("class");
    o.taskType = TaskType::MultiClass;
    sets.push_back(o);

    o = {};
    o.layout = CsvLayout::Long;
    o.sequenceId = CsvColumn::first();
    o.ignore = {CsvColumn::named("step")};
    sets.push_back(o);

    o = {};
    o.layout = CsvLayout::Series;
    o.window = 3;
    sets.push_back(o);

    o = {};
    o.layout = CsvLayout::Series;
    o.window = 1;
    o.date = CsvColumn::none();
    o.target = CsvColumn::at(1);
    sets.push_back(o);

    o = {};
    o.delimiter = CsvDelimiter::Semicolon;
    o.header = CsvHeader::Yes;
    o.quoting = false;
    o.taskType = TaskType::Binary;
    o.minSequences = 2;
    sets.push_back(o);

    o = {};
    o.delimiter = CsvDelimiter::Whitespace;
    o.header = CsvHeader::No;
    o.target = CsvColumn::at(2);
    o.taskType = TaskType::Regression;
    o.ignore = {CsvColumn::at(1)};
    sets.push_back(o);

    o = {};
    o.delimiter = CsvDelimiter::Tab;
    o.layout = CsvLayout::Series;
    o.window = 2;
    o.date = CsvColumn::named("date");
    o.target = CsvColumn::last();
    sets.push_back(o);
    return sets;
}

void exercise(const SequenceData &data)
{
    (void)describe(data);
    Dataset copy = data.data;
    const Scaling s = fitScaling(copy, data.taskType);
    applyScaling(s, copy);
    if (s.input.isFitted())
        s.input.inverseTransform(copy.x);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *bytes, std::size_t size)
{
    static const std::vector<CsvOptions> sets = optionSets();
    const std::string_view text(reinterpret_cast<const char *>(bytes), size);
    const SequenceData *reference = nullptr;
    SequenceData first;
    for (const CsvOptions &options : sets) {
        try {
            const CsvTable table = parseCsv(text, "fuzz.csv", options);
            SequenceData data = toSequences(table, options);
            exercise(data);
            // The same table read as the test file of a split whose training file it also is.
            exercise(toSequences(table, options, &data));
            if (reference != nullptr && reference->data.steps > 0)
                exercise(toSequences(table, options, reference));
            if (reference == nullptr) {
                first = std::move(data);
                reference = &first;
            }
        } catch (const CsvError &) {
        } catch (const std::invalid_argument &) {
        }
    }
    return 0;
}
