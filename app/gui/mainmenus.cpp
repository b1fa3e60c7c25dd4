// SPDX-License-Identifier: GPL-3.0-or-later
// The main window's menus, their shortcuts and the file dialogs of the File actions.
#include "app/gui/mainmenus.h"

#include "app/gui/exportactions.h"
#include "app/session/runsettings.h"
#include "app/session/sessionfile.h"

#include <QActionGroup>
#include <QApplication>
#include <QFileDialog>
#include <QKeySequence>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>

#include <utility>

MainMenus::MainMenus(QMainWindow *window, ExportActions *exports) : QObject(window), m_window(window)
{
    buildFileMenu(exports);
    buildViewMenu();
    QMenu *tools = m_window->menuBar()->addMenu(tr("&Tools"));
    m_compare = tools->addAction(tr("&Compare mechanisms..."), QKeySequence("Ctrl+K"));
    buildHelpMenu();
}

void MainMenus::buildFileMenu(ExportActions *exports)
{
    QMenu *file = m_window->menuBar()->addMenu(tr("&File"));
    m_openCsv = file->addAction(tr("&Open CSV sequences..."), QKeySequence::Open);
    m_openSentences = file->addAction(tr("Open &sentence files..."));
    file->addSeparator();
    file->addAction(tr("Open sess&ion..."), QKeySequence("Ctrl+Shift+O"), this, [this] {
        const QString path = QFileDialog::getOpenFileName(
            m_window, tr("Open session"), QString(), tr("Sessions (*.%1);;All files (*)").arg(kSessionExtension));
        if (!path.isEmpty())
            emit openSessionRequested(path);
    });
    file->addAction(tr("Save sessio&n..."), QKeySequence::Save, this, [this] {
        const QString path = askSaveSessionPath();
        if (!path.isEmpty())
            emit saveSessionRequested(path);
    });
    file->addAction(tr("Save &model..."), this, [this] {
        const QString path = QFileDialog::getSaveFileName(m_window, tr("Save model"), "model.safetensors",
                                                          tr("Models (*.safetensors *.json)"));
        if (!path.isEmpty())
            emit saveModelRequested(path);
    });
    file->addAction(tr("&Load model..."), this, [this] {
        const QString path = QFileDialog::getOpenFileName(m_window, tr("Load model"), QString(),
                                                          tr("Models (*.safetensors *.json)"));
        if (!path.isEmpty())
            emit loadModelRequested(path);
    });
    file->addAction(tr("P&redict from CSV..."), this, [this] {
        const QString input = QFileDialog::getOpenFileName(
            m_window, tr("Predict: sequences to read"), shippedDataDirectory(),
            tr("Sequences (*.csv *.tsv *.txt);;All files (*)"));
        if (input.isEmpty())
            return;
        const QString output = QFileDialog::getSaveFileName(
            m_window, tr("Predict: write the predictions to"), "predictions.csv", tr("CSV files (*.csv)"));
        if (!output.isEmpty())
            emit predictRequested(input, output);
    });
    file->addSeparator();
    exports->addTo(file);
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, m_window, &QWidget::close);
}

void MainMenus::buildViewMenu()
{
    QMenu *view = m_window->menuBar()->addMenu(tr("&View"));
    QMenu *maps = view->addMenu(tr("&Colour map"));
    m_colorMaps = new QActionGroup(this);
    for (auto kind : {attn::ColorMapKind::Viridis, attn::ColorMapKind::Cividis,
                      attn::ColorMapKind::Magma, attn::ColorMapKind::Grayscale}) {
        QAction *a = maps->addAction(attn::colorMapDisplayName(kind));
        a->setCheckable(true);
        a->setData(attn::colorMapKindToString(kind));
        a->setChecked(kind == attn::ColorMapKind::Viridis);
        m_colorMaps->addAction(a);
        connect(a, &QAction::triggered, this, [this, kind] { emit colorMapChosen(kind); });
    }
    m_showInputs = view->addAction(tr("Show the &inputs beside the map"));
    m_showInputs->setObjectName("showInputs");
    m_showInputs->setCheckable(true);
    m_showInputs->setChecked(true);
    m_scaleToMax = view->addAction(tr("Scale colours to the &largest weight"));
    m_scaleToMax->setObjectName("scaleToMax");
    m_scaleToMax->setToolTip(tr("Colour the attention from 0 to its largest weight instead of 0 to 1 "
                                "(the colour bar says so; the ground truth keeps its own 0..1 bar): "
                                "over long sequences every weight is small."));
    m_scaleToMax->setCheckable(true);
    m_scaleToMax->setChecked(false); // one fixed 0..1 scale by default, as keras-attention's figures
    QMenu *themes = view->addMenu(tr("&Theme"));
    m_themes = new QActionGroup(this);
    for (auto [choice, name] : {std::pair{ThemeChoice::System, tr("Follow the &system")},
                                std::pair{ThemeChoice::Light, tr("&Light")},
                                std::pair{ThemeChoice::Dark, tr("&Dark")}}) {
        QAction *a = themes->addAction(name);
        a->setCheckable(true);
        a->setData(toString(choice));
        a->setChecked(choice == ThemeChoice::System);
        m_themes->addAction(a);
        connect(a, &QAction::triggered, this, [this, choice] { emit themeChosen(choice); });
    }
}

void MainMenus::buildHelpMenu()
{
    QMenu *help = m_window->menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&Keyboard shortcuts"), this, [this] {
        QMessageBox::information(m_window, tr("Keyboard shortcuts"), shortcutsHtml());
    });
    help->addAction(tr("&About"), this, [this] {
        QMessageBox::about(
            m_window, tr("About Attention Studio"),
            tr("<b>Attention Studio %1</b><p>Trains LSTM + attention models on its own Eigen "
               "engine and shows, epoch by epoch, where they attend.</p>"
               "<p>Copyright the Attention Studio authors. Free software under the GNU GPL "
               "version 3 or later.</p><p>Uses Qt %2 (LGPL-3.0), QCustomPlot (GPL-3.0), "
               "Eigen (MPL-2.0) and giflib (MIT).</p>")
                .arg(QApplication::applicationVersion(), QString::fromLatin1(qVersion())));
    });
}

QString MainMenus::askSaveSessionPath() const
{
    return QFileDialog::getSaveFileName(m_window, tr("Save session"),
                                        QStringLiteral("run.%1").arg(kSessionExtension),
                                        tr("Sessions (*.%1)").arg(kSessionExtension));
}

QString MainMenus::shortcutsHtml() const
{
    QString rows;
    QStringList seen;
    for (const QAction *a : m_window->findChildren<QAction *>()) {
        const QString key = a->shortcut().toString(QKeySequence::NativeText);
        if (key.isEmpty() || seen.contains(key))
            continue;
        seen << key;
        QString text = a->text();
        text.remove('&');
        if (text.endsWith(QStringLiteral("...")))
            text.chop(3);
        if (const QString tip = a->toolTip(); !tip.isEmpty() && tip != a->text())
            text = tip.section(QStringLiteral(" ("), 0, 0); // the tooltip says more than a button text
        rows += QStringLiteral("<tr><td>%1</td><td>%2</td></tr>").arg(key.toHtmlEscaped(), text.toHtmlEscaped());
    }
    return QStringLiteral("<table>%1</table>").arg(rows);
}

void MainMenus::checkColorMap(attn::ColorMapKind kind)
{
    for (QAction *a : m_colorMaps->actions())
        a->setChecked(a->data().toString() == attn::colorMapKindToString(kind));
}

void MainMenus::checkTheme(ThemeChoice choice)
{
    for (QAction *a : m_themes->actions())
        a->setChecked(a->data().toString() == toString(choice));
}
