// SPDX-License-Identifier: GPL-3.0-or-later
// The CSV import dialog's check result: shape and task type, split and scaling, warnings and the
// class counts of each split, or the error that makes the file unusable.
#include "app/gui/csvcheckpanel.h"

#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QStringList>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <vector>

using namespace attn;

namespace {

const QColor kErrorColor(0xc6, 0x28, 0x28);
const QColor kWarningColor(0xb2, 0x6a, 0x00);

} // namespace

CsvCheckPanel::CsvCheckPanel(QWidget *parent)
    : QGroupBox(tr("What the model will see"), parent)
{
    auto *layout = new QVBoxLayout(this);
    m_status = new QLabel(tr("Checking the file\u2026"));
    m_status->setObjectName("checkStatus");
    m_status->setToolTip(tr("The file is read and checked in the background; OK is enabled when the "
                            "check has passed"));
    m_status->hide();
    layout->addWidget(m_status);
    m_progress = new QProgressBar;
    m_progress->setObjectName("readProgress");
    m_progress->setRange(0, 1000);
    m_progress->setTextVisible(false);
    m_progress->hide();
    layout->addWidget(m_progress);
    m_shape = new QLabel;
    m_shape->setObjectName("shapeLabel");
    m_shape->setWordWrap(true);
    m_shape->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont bold = m_shape->font();
    bold.setBold(true);
    m_shape->setFont(bold);
    m_shape->setToolTip(tr("N sequences of T steps with F features each, after the split into "
                           "training and validation"));
    layout->addWidget(m_shape);
    m_detail = new QLabel;
    m_detail->setObjectName("detailLabel");
    m_detail->setWordWrap(true);
    layout->addWidget(m_detail);
    m_error = new QLabel;
    m_error->setObjectName("csvError");
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setStyleSheet(QStringLiteral("color: %1;").arg(kErrorColor.name()));
    m_error->setToolTip(tr("Why the file cannot be used as it is: FILE:LINE:COLUMN: message"));
    layout->addWidget(m_error);
    m_warnings = new QLabel;
    m_warnings->setObjectName("csvWarnings");
    m_warnings->setWordWrap(true);
    m_warnings->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_warnings->setStyleSheet(QStringLiteral("color: %1;").arg(kWarningColor.name()));
    m_warnings->setToolTip(tr("Notes that do not stop the import, e.g. missing dates in a series "
                              "(the windows treat the rows as consecutive)"));
    layout->addWidget(m_warnings);
    m_classTable = new QTableWidget(0, 4);
    m_classTable->setObjectName("classTable");
    m_classTable->setHorizontalHeaderLabels({tr("Class"), tr("Training"), tr("Validation"), tr("Test")});
    m_classTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_classTable->setSelectionMode(QAbstractItemView::NoSelection);
    m_classTable->verticalHeader()->hide();
    m_classTable->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_classTable->setToolTip(tr("Sequences per class in each split (the labels as written in the file)"));
    layout->addWidget(m_classTable);
    layout->addStretch(1);
}

QColor CsvCheckPanel::errorColor() { return kErrorColor; }

void CsvCheckPanel::showChecking() { m_status->show(); }

void CsvCheckPanel::showProgress(quint64 bytesRead, quint64 fileBytes)
{
    if (fileBytes == 0)
        return;
    m_progress->setValue(int(std::min<quint64>(1000, bytesRead * 1000 / fileBytes)));
    m_status->setText(tr("Reading the file\u2026 %1 of %2 MB")
                          .arg(double(bytesRead) / 1e6, 0, 'f', 1)
                          .arg(double(fileBytes) / 1e6, 0, 'f', 1));
    m_progress->show();
}

void CsvCheckPanel::showError(const QString &error)
{
    m_status->hide();
    m_status->setText(tr("Checking the file\u2026"));
    m_progress->hide();
    m_error->setText(error);
    m_error->setVisible(true);
    m_shape->clear();
    m_shape->hide();
    m_detail->setText(tr("The file cannot be used with these options. Change them, or fix "
                         "the file at the line and column named below."));
    m_warnings->clear();
    m_warnings->hide();
    m_classTable->hide();
}

void CsvCheckPanel::showResult(const QString &shape, const QString &detail, const CsvTaskInfo &info,
                               const Mat &validationY)
{
    m_status->hide();
    m_status->setText(tr("Checking the file\u2026"));
    m_progress->hide();
    m_error->setText(QString());
    m_error->setVisible(false);
    // Shown as "N = ..." / "T = ..., F = ..." / task type, with no-break spaces inside "T = 12
    // steps" etc., so a narrow window wraps only after a comma.
    QStringList parts = shape.section(QLatin1Char('\n'), 0, 0).split(QStringLiteral(", "));
    for (QString &part : parts)
        part.replace(QLatin1Char(' '), QChar(QChar::Nbsp));
    m_shape->setText(parts.front() + QLatin1Char('\n') + parts.mid(1).join(QStringLiteral(", ")) +
                     QLatin1Char('\n') + shape.section(QLatin1Char('\n'), 1));
    m_shape->show();

    m_detail->setText(detail);

    QStringList warnings;
    const int maxWarnings = 5;
    for (std::size_t i = 0; i < info.warnings.size() && int(i) < maxWarnings; ++i)
        warnings << QString::fromStdString(info.warnings[i]);
    if (int(info.warnings.size()) > maxWarnings)
        warnings << tr("... and %1 more").arg(int(info.warnings.size()) - maxWarnings);
    m_warnings->setText(warnings.join(QLatin1Char('\n')));
    m_warnings->setVisible(!warnings.isEmpty());

    const int classes = int(info.classNames.size());
    if (classes == 0) {
        m_classTable->hide();
        return;
    }
    // Validation counts from the targets: one logit (0/1) for binary, one-hot rows otherwise.
    std::vector<int> validationCounts(classes, 0);
    const Mat &y = validationY;
    for (Eigen::Index r = 0; r < y.rows(); ++r) {
        Eigen::Index k = 0;
        if (y.cols() == 1)
            k = y(r, 0) > Scalar(0.5) ? 1 : 0;
        else
            y.row(r).maxCoeff(&k);
        if (k < classes)
            ++validationCounts[k];
    }
    m_classTable->setRowCount(classes);
    for (int k = 0; k < classes; ++k) {
        const QString values[] = {QString::fromStdString(info.classNames[k]),
                                  QString::number(k < int(info.trainClassCounts.size())
                                                      ? info.trainClassCounts[k]
                                                      : 0),
                                  QString::number(validationCounts[k]),
                                  QString::number(k < int(info.testClassCounts.size())
                                                      ? info.testClassCounts[k]
                                                      : 0)};
        for (int c = 0; c < 4; ++c) {
            auto *item = new QTableWidgetItem(values[c]);
            item->setTextAlignment(c == 0 ? Qt::AlignLeft | Qt::AlignVCenter : Qt::AlignRight | Qt::AlignVCenter);
            m_classTable->setItem(k, c, item);
        }
    }
    m_classTable->setColumnHidden(3, info.testClassCounts.empty()); // no test file
    m_classTable->resizeRowsToContents();
    // As tall as its rows (up to 8, then it scrolls), so no empty grid is left under them.
    const int visibleRows = std::min(classes, 8);
    int height = m_classTable->horizontalHeader()->height() + 2 * m_classTable->frameWidth();
    for (int k = 0; k < visibleRows; ++k)
        height += m_classTable->rowHeight(k);
    m_classTable->setFixedHeight(height);
    m_classTable->show();
}
