// SPDX-License-Identifier: GPL-3.0-or-later
// The window's menus: the colour scale is the honest fixed 0..1 by default (scaling to the
// largest weight is an opt-in that reaches every view and persists under its own key), and Help
// lists the shortcut of every action.
#include "app/gui/mainmenus.h"
#include "app/gui/mainwindow.h"
#include "app/session/metatypes.h"
#include "widgets/heatmapview.h"
#include "widgets/sentenceview.h"
#include "tests/mainwindowhelpers.h"

#include <QAction>
#include <QApplication>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace mainwindowtest;

class TestMainMenus : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void colourScaleIsFixedByDefault();
    void helpListsEveryShortcut();

private:
    QTemporaryDir m_config;
};

void TestMainMenus::initTestCase()
{
    QVERIFY(m_config.isValid());
    isolateSettings(m_config, "tst_mainmenus");
}

void TestMainMenus::colourScaleIsFixedByDefault()
{
    QSettings().setValue("view/scaleToMax", true); // saved "on" by the old default: not read
    {
        MainWindow window(smallRun(2));
        auto *action = window.findChild<QAction *>("scaleToMax");
        auto *sentences = window.findChild<attn::SentenceView *>();
        QVERIFY(action && sentences);
        QVERIFY(!action->isChecked());
        QVERIFY(!window.heatmapView()->weightScale().scaled());
        QVERIFY(!sentences->weightScale().scaled());
        QCOMPARE(window.heatmapView()->colorRange().upper, 1.0);
        action->setChecked(true); // the opt-in reaches the heatmap and the sentences
        QVERIFY(window.heatmapView()->weightScale().scaled());
        QVERIFY(sentences->weightScale().scaled());
        window.close();
    }
    QSettings store;
    QVERIFY(!store.contains("view/scaleToMax"));
    QCOMPARE(store.value("view/scaleToLargestWeight").toBool(), true);
    MainWindow again(smallRun(2));
    QVERIFY(again.heatmapView()->weightScale().scaled()); // a choice made now persists
    again.findChild<QAction *>("scaleToMax")->setChecked(false);
    again.close();
}

void TestMainMenus::helpListsEveryShortcut()
{
    MainWindow window(smallRun(1));
    const QString help = window.menus()->shortcutsHtml();
    int shortcuts = 0;
    for (const QAction *a : window.findChildren<QAction *>()) {
        const QString key = a->shortcut().toString(QKeySequence::NativeText);
        if (key.isEmpty())
            continue;
        ++shortcuts;
        QVERIFY2(help.contains("<td>" + key.toHtmlEscaped() + "</td>"), qPrintable(key + " missing in " + help));
    }
    QVERIFY(shortcuts >= 12); // run controls, replay, files, exports, compare, quit
    for (const char *key : {"Space", "Ctrl+Return", "Ctrl+.", "Ctrl+Right", "Ctrl+R", "P", "Ctrl+K"})
        QVERIFY2(help.contains(QStringLiteral("<td>%1</td>").arg(QKeySequence(key).toString(QKeySequence::NativeText))),
                 key);
    QVERIFY(help.contains("Pause or resume between batches"));
}

QTEST_MAIN(TestMainMenus)
#include "tst_mainmenus.moc"
