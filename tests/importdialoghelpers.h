// SPDX-License-Identifier: GPL-3.0-or-later
// What the CsvImportDialog tests share: a shipped data file's path, the csv task's defaults with
// fields the dialog must carry through, a file written whole, the dialog's OK button and a combo
// box set by its item data. Needs ATTN_RESOURCE_DATA.
#pragma once

#include "app/gui/csvimportdialog.h"
#include "app/session/runsettings.h"

#include <QByteArray>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QPushButton>
#include <QString>
#include <QTest>

namespace importtest {

inline QString dataFile(const QString &relative)
{
    return QDir(QStringLiteral(ATTN_RESOURCE_DATA)).filePath(relative);
}

// The csv task's defaults with a few fields that the dialog must carry through unchanged.
inline RunSettings base()
{
    RunSettings s = RunSettings::defaults(attn::TaskKind::Csv);
    s.train.seed = 11;
    s.train.epochs = 3;
    s.model.hidden = 17;
    return s;
}

inline bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

inline QPushButton *okButton(const CsvImportDialog &d)
{
    return d.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
}

inline void selectData(QComboBox *combo, const QString &data)
{
    const int i = combo->findData(data);
    QVERIFY2(i >= 0, qPrintable(data));
    combo->setCurrentIndex(i);
}

} // namespace importtest
