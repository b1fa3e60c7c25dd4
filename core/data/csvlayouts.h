// SPDX-License-Identifier: GPL-3.0-or-later
// Internal to core/data's CSV import: one function per CsvLayout, called by toSequences
// (core/data/sequencecsv.cpp), which documents what each reads. Not part of the public API.
#pragma once

#include "core/data/sequencecsv.h"

namespace attn::csvdetail {

/// Wide (F = 1) and WideMultivariate (F = options.features) layouts.
SequenceData wideLayout(const CsvTable &t, const CsvOptions &o, const SequenceData *ref, int F);
/// Long layout: rows grouped by the sequence-id column.
SequenceData longLayout(const CsvTable &t, const CsvOptions &o, const SequenceData *ref);
/// Series layout: sliding windows of o.window rows over one series, with date-gap warnings.
SequenceData seriesLayout(const CsvTable &t, const CsvOptions &o, const SequenceData *ref);

} // namespace attn::csvdetail
