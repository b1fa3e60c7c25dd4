// SPDX-License-Identifier: GPL-3.0-or-later
// ExportActions: the File menu's exports of the main window: PNG and PDF of the heatmap, the
// view in front and the curves, the dashboard as PNG, the replay as GIF or PNG series, and the
// metrics and attention weights of every epoch as CSV. Each asks for a path (and an image
// size), writes, and reports in the status bar or an error box.
#pragma once

#include <QObject>
#include <QString>

class AttentionViews;
class QMainWindow;
class QMenu;
class RunHistory;
class TimelineBar;

namespace attn {
class CurvesView;
}

class ExportActions : public QObject {
    Q_OBJECT
public:
    /// Exports what window shows: views, curves, dashboard (the window's central widget), the
    /// timeline's replay speed and history's epochs.
    ExportActions(QMainWindow *window, AttentionViews *views, attn::CurvesView *curves,
                  TimelineBar *timeline, const RunHistory *history);

    /// Adds the export submenus and actions to file.
    void addTo(QMenu *file);
    /// Renders the whole dashboard (settings, views, curves) to a PNG file, written atomically;
    /// false with *error "PATH: cannot write the file: REASON" (old file kept) on failure.
    bool saveDashboardPng(const QString &path, QString *error = nullptr);

private:
    void exportView(const QString &what, const QString &format);
    void exportReplay(bool gif);
    void exportMetricsCsv();
    void exportAttentionCsv();
    void report(bool ok, const QString &path, const QString &error);

    QMainWindow *m_window;
    AttentionViews *m_views;
    attn::CurvesView *m_curves;
    TimelineBar *m_timeline;
    const RunHistory *m_history;
};
