// SPDX-License-Identifier: GPL-3.0-or-later
// One-time registration of the value types carried by queued signals.
#include "app/metatypes.h"

#include "app/runsettings.h"
#include "app/trainingworker.h"

void registerMetaTypes()
{
    qRegisterMetaType<attn::EpochSnapshot>();
    qRegisterMetaType<attn::ProgressInfo>();
    qRegisterMetaType<TrainedModelPtr>();
    qRegisterMetaType<RunSettings>();
    qRegisterMetaType<TrainingWorker::State>();
}
