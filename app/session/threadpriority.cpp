// SPDX-License-Identifier: GPL-3.0-or-later
// lowerThisThreadPriority: setpriority on the thread id (Linux keeps a nice value per thread).
#include "app/session/threadpriority.h"

#include <QtGlobal>

#ifdef Q_OS_LINUX
#include <sys/resource.h>
#include <unistd.h>
#endif

void lowerThisThreadPriority()
{
#ifdef Q_OS_LINUX
    constexpr int kNice = 5; // CFS weight 335 against the GUI thread's 1024 at nice 0
    (void)setpriority(PRIO_PROCESS, id_t(gettid()), kNice);
#endif
}
