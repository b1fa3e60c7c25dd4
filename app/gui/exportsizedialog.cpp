// SPDX-License-Identifier: GPL-3.0-or-later
// The export size form: width, height and scale factor, with OK / Cancel.
#include "app/gui/exportsizedialog.h"

#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QSpinBox>

ExportSizeDialog::ExportSizeDialog(QSize initial, bool withScale, QWidget *parent) : QDialog(parent)
{
    setWindowTitle(tr("Export size"));
    auto *form = new QFormLayout(this);
    m_width = new QSpinBox;
    m_width->setRange(100, 8000);
    m_width->setSuffix(tr(" px"));
    m_width->setValue(initial.width());
    m_height = new QSpinBox;
    m_height->setRange(100, 8000);
    m_height->setSuffix(tr(" px"));
    m_height->setValue(initial.height());
    form->addRow(tr("Width"), m_width);
    form->addRow(tr("Height"), m_height);
    if (withScale) {
        m_scale = new QDoubleSpinBox;
        m_scale->setRange(1.0, 4.0);
        m_scale->setSingleStep(0.5);
        m_scale->setValue(2.0);
        m_scale->setToolTip(tr("2 gives a sharp image on high-DPI screens and in print (about 192 DPI)"));
        form->addRow(tr("Scale"), m_scale);
    }
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    form->addRow(buttons);
}

QSize ExportSizeDialog::imageSize() const { return {m_width->value(), m_height->value()}; }

double ExportSizeDialog::scale() const { return m_scale ? m_scale->value() : 1.0; }
