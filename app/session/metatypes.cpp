// SPDX-License-Identifier: GPL-3.0-or-later
// One-time registration of the value types carried by queued signals.
#include "app/session/metatypes.h"

#include "app/session/runsettings.h"
#include "app/session/trainingworker.h"

void registerMetaTypes()
{
    qRegisterMetaType<attn::EpochSnapshot>();
    qRegisterMetaType<attn::ProgressInfo>();
    qRegisterMetaType<TrainedModelPtr>();
    qRegisterMetaType<RunSettings>();
    qRegisterMetaType<TrainingWorker::State>();
}
