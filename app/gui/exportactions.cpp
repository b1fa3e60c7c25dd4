// SPDX-License-Identifier: GPL-3.0-or-later
// The main window's exports: file dialogs, the image size dialog, the writers in widgets/ and
// app/session/, and the report in the status bar.
#include "app/gui/exportactions.h"

#include "app/gui/attentionviews.h"
#include "app/gui/exportsizedialog.h"
#include "app/gui/timelinebar.h"
#include "app/session/attentioncsv.h"
#include "app/session/metricscsv.h"
#include "app/session/runhistory.h"
#include "widgets/attentionview.h"
#include "widgets/curvesview.h"
#include "widgets/heatmapview.h"
#include "widgets/imagefile.h"
#include "widgets/replayexporter.h"

#include <QFileDialog>
#include <QKeySequence>
#include <QMainWindow>
#include <QMenu>
#include <QMessageBox>
#include <QProgressDialog>
#include <QStatusBar>

ExportActions::ExportActions(QMainWindow *window, AttentionViews *views, attn::CurvesView *curves,
                             TimelineBar *timeline, const RunHistory *history)
    : QObject(window), m_window(window), m_views(views), m_curves(curves), m_timeline(timeline),
      m_history(history)
{
}

void ExportActions::addTo(QMenu *file)
{
    QMenu *png = file->addMenu(tr("Export &PNG"));
    png->addAction(tr("&Heatmap..."), this, [this] { exportView("heatmap", "png"); });
    png->addAction(tr("&Current view tab..."), this, [this] { exportView("view", "png"); });
    png->addAction(tr("&Loss plot..."), this, [this] { exportView("loss", "png"); });
    png->addAction(tr("&Alignment plot..."), this, [this] { exportView("alignment", "png"); });
    png->addAction(tr("&Dashboard..."), QKeySequence("Ctrl+E"), this,
                   [this] { exportView("dashboard", "png"); });
    QMenu *pdf = file->addMenu(tr("Export P&DF"));
    pdf->addAction(tr("&Heatmap..."), this, [this] { exportView("heatmap", "pdf"); });
    pdf->addAction(tr("&Loss plot..."), this, [this] { exportView("loss", "pdf"); });
    pdf->addAction(tr("&Alignment plot..."), this, [this] { exportView("alignment", "pdf"); });
    file->addAction(tr("Export replay as &GIF..."), QKeySequence("Ctrl+G"), this,
                    [this] { exportReplay(true); });
    file->addAction(tr("Export replay as PNG &series..."), this, [this] { exportReplay(false); });
    file->addAction(tr("Export &metrics CSV..."), this, &ExportActions::exportMetricsCsv);
    file->addAction(tr("Export &attention CSV (every epoch)..."), this, &ExportActions::exportAttentionCsv);
}

bool ExportActions::saveDashboardPng(const QString &path, QString *error)
{
    return attn::saveImagePng(m_window->centralWidget()->grab().toImage(), path, error);
}

void ExportActions::report(bool ok, const QString &path, const QString &error)
{
    if (ok)
        m_window->statusBar()->showMessage(tr("Saved %1").arg(path), 5000);
    else
        QMessageBox::warning(m_window, tr("Export failed"), error);
}

void ExportActions::exportView(const QString &what, const QString &format)
{
    const QString filter = format == "pdf" ? tr("PDF documents (*.pdf)") : tr("PNG images (*.png)");
    const QString path = QFileDialog::getSaveFileName(
        m_window, tr("Export %1 as %2").arg(what, format.toUpper()), what + "." + format, filter);
    if (path.isEmpty())
        return;
    bool ok = false;
    QString error;
    if (what == "dashboard") {
        ok = saveDashboardPng(path, &error);
    } else if (what == "view") {
        attn::AttentionView *view = m_views->currentView();
        ExportSizeDialog dialog(view->widget()->size(), true, m_window);
        if (dialog.exec() != QDialog::Accepted)
            return;
        const int w = dialog.imageSize().width(), h = dialog.imageSize().height();
        const double scale = dialog.scale();
        ok = view->savePng(path, w, h, scale, &error);
    } else {
        QWidget *source = what == "heatmap" ? static_cast<QWidget *>(m_views->heatmap()) : m_curves;
        ExportSizeDialog dialog(source->size(), format == "png", m_window);
        if (dialog.exec() != QDialog::Accepted)
            return;
        const QSize size = dialog.imageSize();
        const double scale = dialog.scale();
        const int w = size.width(), h = size.height();
        if (what == "heatmap")
            ok = format == "pdf" ? m_views->heatmap()->savePdf(path, w, h, &error)
                                 : m_views->heatmap()->savePng(path, w, h, scale, &error);
        else if (what == "loss")
            ok = format == "pdf" ? m_curves->saveLossPdf(path, w, h, &error)
                                 : m_curves->saveLossPng(path, w, h, scale, &error);
        else
            ok = format == "pdf" ? m_curves->saveAlignmentPdf(path, w, h, &error)
                                 : m_curves->saveAlignmentPng(path, w, h, scale, &error);
    }
    report(ok, path, error);
}

void ExportActions::exportReplay(bool gif)
{
    if (m_history->empty()) {
        QMessageBox::information(m_window, tr("Nothing to export"), tr("Train first: the replay is empty."));
        return;
    }
    const QString path =
        gif ? QFileDialog::getSaveFileName(m_window, tr("Export replay as GIF"), "attention.gif",
                                           tr("GIF animations (*.gif)"))
            : QFileDialog::getExistingDirectory(m_window, tr("Export replay as PNG series into"));
    if (path.isEmpty())
        return;
    attn::ReplayExporter exporter;
    exporter.copyStyle(*m_views->heatmap());
    ExportSizeDialog dialog(exporter.fittedFrameSize(m_history->back(), 960), true, m_window);
    if (dialog.exec() != QDialog::Accepted)
        return;
    exporter.setFrameSize(dialog.imageSize());
    exporter.setScale(dialog.scale());
    exporter.setFrameDelay(int(100.0 / m_timeline->speed() + 0.5));
    QProgressDialog progress(tr("Rendering frames..."), tr("Cancel"), 0, m_history->size(), m_window);
    progress.setWindowModality(Qt::WindowModal);
    progress.setMinimumDuration(500);
    exporter.setProgressCallback([&progress](int done, int total) {
        progress.setMaximum(total);
        progress.setValue(done);
        return !progress.wasCanceled();
    });
    const bool ok = gif ? exporter.writeGif(m_history->snapshots(), path)
                       : exporter.writePngSeries(m_history->snapshots(), path);
    if (ok)
        m_window->statusBar()->showMessage(tr("Saved %1 frames to %2").arg(m_history->size()).arg(path), 5000);
    else
        QMessageBox::warning(m_window, tr("Export failed"), exporter.errorString());
}

void ExportActions::exportMetricsCsv()
{
    const QString path = QFileDialog::getSaveFileName(m_window, tr("Export metrics as CSV"), "metrics.csv",
                                                      tr("CSV files (*.csv)"));
    if (path.isEmpty())
        return;
    QString error;
    const bool ok = writeMetricsCsv(m_history->snapshots(), path, &error);
    report(ok, path, error);
}

void ExportActions::exportAttentionCsv()
{
    const QString path = QFileDialog::getSaveFileName(m_window, tr("Export attention weights as CSV"),
                                                      "attention.csv", tr("CSV files (*.csv)"));
    if (path.isEmpty())
        return;
    QString error;
    const bool ok = writeAttentionCsv(m_history->snapshots(), m_history->settings().task, path, &error);
    report(ok, path, error);
}
