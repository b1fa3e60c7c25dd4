// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target for the architecture-file reader: any bytes -> modelSpecFromJson (which builds
// the model once to check the sizes), then the spec written back with modelSpecToJson and read
// again, which must succeed: the app never writes a file it refuses to read. A ModelFileError is
// the expected outcome for bad input; anything else is a bug.
#include "core/io/modelfile.h"
#include "core/savedmodel/modelspec.h"

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    using namespace attn;
    const std::string_view text(reinterpret_cast<const char *>(data), size);
    ModelSpec spec;
    try {
        spec = modelSpecFromJson(text, "fuzz.json");
    } catch (const ModelFileError &) {
        return 0;
    }
    const std::string written = modelSpecToJson(spec);
    try {
        const ModelSpec again = modelSpecFromJson(written, "fuzz.json");
        if (modelSpecToJson(again) != written)
            std::abort(); // a second round trip must not change the file
    } catch (const ModelFileError &) {
        std::abort(); // the writer wrote what the reader refuses
    }
    return 0;
}
