// SPDX-License-Identifier: GPL-3.0-or-later
// What every test that builds app/ widgets needs first: QSettings pointed at a temporary directory
// (a test never reads or writes the user's real settings) and the meta types registered.
#pragma once

#include "app/session/metatypes.h"

#include <QApplication>
#include <QSettings>
#include <QTemporaryDir>

namespace testsupport {

/// Registers the meta types and points QSettings (INI format) at dir under the application name
/// appName and the organisation "attention-studio-test".
inline void isolateSettings(const QTemporaryDir &dir, const char *appName)
{
    registerMetaTypes();
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, dir.path());
    QApplication::setOrganizationName("attention-studio-test");
    QApplication::setApplicationName(appName);
}

} // namespace testsupport
