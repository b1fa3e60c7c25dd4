// SPDX-License-Identifier: GPL-3.0-or-later
// Qt meta-type declarations of the core value types that cross threads in queued signals.
#pragma once

#include "core/snapshot/snapshot.h"

#include <QMetaType>

Q_DECLARE_METATYPE(attn::EpochSnapshot)
Q_DECLARE_METATYPE(attn::ProgressInfo)

/// Registers the types above (and RunSettings, TrainedModelPtr) for queued connections; call once at start-up.
void registerMetaTypes();
