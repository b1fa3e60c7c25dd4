// SPDX-License-Identifier: GPL-3.0-or-later
// CompareWindow's persisted choices: checked mechanisms, runs per mechanism, the plotted
// quantity and the window geometry, per task (QSettings group compare/<task>).
#include "app/gui/comparewindow.h"

#include <QCheckBox>
#include <QComboBox>
#include <QSettings>
#include <QSpinBox>

namespace {

QString groupOf(attn::TaskKind task)
{
    return QStringLiteral("compare/%1").arg(QString::fromStdString(attn::toString(task)));
}

} // namespace

void CompareWindow::restoreSettings()
{
    QSettings store;
    store.beginGroup(groupOf(m_base.task));
    if (const QVariant geometry = store.value("geometry"); geometry.isValid())
        restoreGeometry(geometry.toByteArray());
    if (const int runs = store.value("runs").toInt(); runs >= m_runs->minimum() && runs <= m_runs->maximum())
        m_runs->setValue(runs);
    if (const int plot = m_quantity->findData(store.value("plot")); store.contains("plot") && plot >= 0)
        m_quantity->setCurrentIndex(plot);
    // Mechanisms by name; none of this task's (or a damaged entry) keeps the defaults.
    std::vector<attn::AttentionKind> checked;
    for (const QString &name : store.value("mechanisms").toStringList())
        for (attn::AttentionKind kind : m_applicable)
            if (name == QString::fromStdString(attn::toString(kind)))
                checked.push_back(kind);
    if (!checked.empty())
        setCheckedMechanisms(checked);
}

void CompareWindow::saveSettings() const
{
    QSettings store;
    store.beginGroup(groupOf(m_base.task));
    store.setValue("geometry", saveGeometry());
    store.setValue("runs", m_runs->value());
    store.setValue("plot", m_quantity->currentData());
    QStringList names;
    for (attn::AttentionKind kind : checkedMechanisms())
        names << QString::fromStdString(attn::toString(kind));
    store.setValue("mechanisms", names);
}
