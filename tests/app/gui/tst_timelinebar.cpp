// SPDX-License-Identifier: GPL-3.0-or-later
// TimelineBar: the selection follows new epochs only while it sits on the newest one,
// scrubbing selects exactly the asked epoch, and Play replays to the end and stops there.
#include "app/gui/timelinebar.h"

#include <QSignalSpy>
#include <QTest>

class TestTimelineBar : public QObject {
    Q_OBJECT
private slots:
    void followsNewEpochsWhileOnTheNewest();
    void scrubbingStaysWhereTheUserPutIt();
    void playReplaysToTheEndAndStops();
};

void TestTimelineBar::followsNewEpochsWhileOnTheNewest()
{
    TimelineBar bar;
    QSignalSpy changed(&bar, &TimelineBar::currentIndexChanged);
    QCOMPARE(bar.currentIndex(), -1);
    bar.setCount(1);
    QCOMPARE(bar.currentIndex(), 0);
    // The first epoch (the untrained epoch 0 after Reset) is shown at once, not with the second.
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.last().at(0).toInt(), 0);
    for (int n = 2; n <= 5; ++n)
        bar.setCount(n);
    QCOMPARE(bar.currentIndex(), 4);
    QVERIFY(bar.isFollowing());
    QCOMPARE(changed.last().at(0).toInt(), 4);
    bar.setCount(0); // a new run: its first epoch is shown again
    bar.setCount(1);
    QCOMPARE(changed.last().at(0).toInt(), 0);
    QCOMPARE(changed.size(), 6);
}

void TestTimelineBar::scrubbingStaysWhereTheUserPutIt()
{
    TimelineBar bar;
    bar.setCount(6);
    QSignalSpy changed(&bar, &TimelineBar::currentIndexChanged);
    bar.setCurrentIndex(2);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.last().at(0).toInt(), 2);
    bar.setCount(7); // a new epoch arrives while the user looks at epoch 2
    QCOMPARE(bar.currentIndex(), 2);
    QCOMPARE(changed.count(), 1);
    bar.setCurrentIndex(99); // clamped to the newest, which resumes following
    QCOMPARE(bar.currentIndex(), 6);
    bar.setCount(8);
    QCOMPARE(bar.currentIndex(), 7);
}

void TestTimelineBar::playReplaysToTheEndAndStops()
{
    TimelineBar bar;
    bar.setCount(5);
    bar.setSpeed(30.0);
    QCOMPARE(bar.speed(), 30.0);
    QSignalSpy changed(&bar, &TimelineBar::currentIndexChanged);
    bar.play(); // at the newest epoch, Play starts over from epoch 0
    QVERIFY(bar.isPlaying());
    QTRY_VERIFY_WITH_TIMEOUT(!bar.isPlaying(), 5000);
    QCOMPARE(bar.currentIndex(), 4);
    QList<int> seen;
    for (const auto &args : changed)
        seen.append(args.at(0).toInt());
    QCOMPARE(seen, (QList<int>{0, 1, 2, 3, 4}));
}

QTEST_MAIN(TestTimelineBar)
#include "tst_timelinebar.moc"
