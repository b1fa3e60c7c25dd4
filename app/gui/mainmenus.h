// SPDX-License-Identifier: GPL-3.0-or-later
// MainMenus: the main window's menu bar: File (open data, sessions and models, predict, the
// exports of ExportActions, quit), View (colour map, inputs, colour scale, theme), Tools
// (compare mechanisms) and Help. Its actions are members; file actions ask for their paths and
// emit them, so the window only wires the requests to what carries them out.
#pragma once

#include "app/gui/theme.h"
#include "widgets/colormap.h"

#include <QObject>
#include <QString>

class ExportActions;
class QAction;
class QActionGroup;
class QMainWindow;

class MainMenus : public QObject {
    Q_OBJECT
public:
    /// Fills window's menu bar; exports adds its actions to the File menu.
    MainMenus(QMainWindow *window, ExportActions *exports);

    QAction *openCsvAction() const { return m_openCsv; }
    QAction *openSentencesAction() const { return m_openSentences; }
    QAction *compareAction() const { return m_compare; }
    /// View > Show the inputs beside the map (checkable, objectName "showInputs").
    QAction *showInputsAction() const { return m_showInputs; }
    /// View > Scale colours to the largest weight (checkable, objectName "scaleToMax"; off by
    /// default: heatmap and sentences on the fixed 0..1 scale).
    QAction *scaleToMaxAction() const { return m_scaleToMax; }
    /// Asks where to save a session (File > Save session's dialog); empty when cancelled.
    QString askSaveSessionPath() const;
    /// Help > Keyboard shortcuts: every action of the window that has a shortcut, as an HTML
    /// table of shortcut and action, read from the actions themselves.
    QString shortcutsHtml() const;
    /// Checks kind in View > Colour map (without emitting colorMapChosen).
    void checkColorMap(attn::ColorMapKind kind);
    /// Checks choice in View > Theme (without emitting themeChosen).
    void checkTheme(ThemeChoice choice);

signals:
    void openSessionRequested(const QString &path);
    void saveSessionRequested(const QString &path);
    void saveModelRequested(const QString &path);
    void loadModelRequested(const QString &path);
    void predictRequested(const QString &input, const QString &predictionsPath);
    void colorMapChosen(attn::ColorMapKind kind);
    void themeChosen(ThemeChoice choice);

private:
    void buildFileMenu(ExportActions *exports);
    void buildViewMenu();
    void buildHelpMenu();

    QMainWindow *m_window;
    QAction *m_openCsv = nullptr;
    QAction *m_openSentences = nullptr;
    QAction *m_compare = nullptr;
    QAction *m_showInputs = nullptr;
    QAction *m_scaleToMax = nullptr;
    QActionGroup *m_colorMaps = nullptr;
    QActionGroup *m_themes = nullptr;
};
