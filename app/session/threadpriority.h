// SPDX-License-Identifier: GPL-3.0-or-later
// Lowers the calling thread's scheduling priority, so that training on every core leaves the
// GUI thread the first claim on a core when it wakes (bench_latency measures it).
#pragma once

/// Linux: nice 5 for the calling thread (a thread it starts afterwards inherits it, e.g. the
/// Trainer's batch-slice threads); elsewhere nothing. Never fails: a refused change is ignored.
void lowerThisThreadPriority();
