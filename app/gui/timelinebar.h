// SPDX-License-Identifier: GPL-3.0-or-later
// TimelineBar: the replay control under the views. A slider over the stored epoch snapshots,
// Play/Pause at a chosen speed (epochs per second), and "live" following of new epochs while
// the slider sits on the newest one (as TensorBoard's step slider does).
#pragma once

#include <QWidget>

class QAction;
class QComboBox;
class QLabel;
class QSlider;
class QTimer;
class QToolButton;

class TimelineBar : public QWidget {
    Q_OBJECT
public:
    explicit TimelineBar(QWidget *parent = nullptr);

    /// Number of stored snapshots (indices 0..count-1). If the current index was the last one
    /// (or nothing was shown yet) the selection follows to the new last index.
    void setCount(int count);
    int count() const { return m_count; }
    /// The selected snapshot index, -1 when count() is 0.
    int currentIndex() const;
    /// Selects index (clamped to 0..count-1) and emits currentIndexChanged if it changed.
    void setCurrentIndex(int index);
    /// True while the selection follows new snapshots (it sits on the last one).
    bool isFollowing() const;

    void play();
    void pause();
    bool isPlaying() const;
    /// Replay speed in epochs per second (one of speeds()).
    double speed() const;
    void setSpeed(double epochsPerSecond);
    static QList<double> speeds();

signals:
    void currentIndexChanged(int index);

private:
    void advance();
    void updateLabel();

    int m_count = 0;
    QToolButton *m_play = nullptr;
    QAction *m_playAction = nullptr; // Replay / pause the replay (P)
    QSlider *m_slider = nullptr;
    QLabel *m_label = nullptr;
    QComboBox *m_speed = nullptr;
    QTimer *m_timer = nullptr;
};
