// SPDX-License-Identifier: GPL-3.0-or-later
// Replay slider, Play/Pause and speed: drives which stored epoch snapshot the views show.
#include "app/gui/timelinebar.h"

#include <QAction>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSlider>
#include <QStyle>
#include <QTimer>
#include <QToolButton>

#include <cmath>

TimelineBar::TimelineBar(QWidget *parent) : QWidget(parent)
{
    // An action carries the shortcut (Help lists it); the button shows it.
    m_playAction = new QAction(style()->standardIcon(QStyle::SP_MediaPlay), tr("Replay"), this);
    m_playAction->setObjectName("replayAction");
    m_playAction->setShortcut(QKeySequence("P"));
    m_playAction->setToolTip(tr("Replay the run from the selected epoch (P)"));
    m_play = new QToolButton;
    m_play->setDefaultAction(m_playAction);
    m_slider = new QSlider(Qt::Horizontal);
    m_slider->setRange(0, 0);
    m_slider->setEnabled(false);
    m_slider->setToolTip(tr("Scrub through the stored epochs; on the last one it follows training"));
    m_label = new QLabel;
    m_label->setMinimumWidth(m_label->fontMetrics().horizontalAdvance("epoch 0000 / 0000"));
    m_speed = new QComboBox;
    for (double s : speeds())
        m_speed->addItem(tr("%1 epochs/s").arg(s), s);
    m_speed->setCurrentIndex(int(speeds().indexOf(2.0)));
    m_speed->setToolTip(tr("Replay speed"));
    m_timer = new QTimer(this);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_play);
    layout->addWidget(m_slider, 1);
    layout->addWidget(m_label);
    layout->addWidget(m_speed);

    connect(m_slider, &QSlider::valueChanged, this, [this](int v) {
        updateLabel();
        emit currentIndexChanged(v);
    });
    connect(m_playAction, &QAction::triggered, this, [this] { isPlaying() ? pause() : play(); });
    connect(m_timer, &QTimer::timeout, this, &TimelineBar::advance);
    connect(m_speed, &QComboBox::currentIndexChanged, this, [this] {
        m_timer->setInterval(int(std::lround(1000.0 / speed())));
    });
    m_timer->setInterval(int(std::lround(1000.0 / speed())));
    updateLabel();
}

QList<double> TimelineBar::speeds() { return {0.5, 1.0, 2.0, 5.0, 10.0, 30.0}; }

void TimelineBar::setCount(int count)
{
    const bool wasEmpty = m_count == 0;
    const bool follow = wasEmpty || isFollowing();
    m_count = std::max(0, count);
    const QSignalBlocker block(m_slider);
    m_slider->setRange(0, std::max(0, m_count - 1));
    m_slider->setEnabled(m_count > 1);
    if (follow && !isPlaying() && m_count > 0) {
        const int last = m_count - 1;
        if (m_slider->value() != last || wasEmpty) { // the slider sits at 0 for the first epoch too
            m_slider->setValue(last);
            updateLabel();
            emit currentIndexChanged(last);
            return;
        }
    }
    updateLabel();
}

int TimelineBar::currentIndex() const { return m_count == 0 ? -1 : m_slider->value(); }

void TimelineBar::setCurrentIndex(int index)
{
    if (m_count > 0)
        m_slider->setValue(std::clamp(index, 0, m_count - 1));
}

bool TimelineBar::isFollowing() const { return m_count > 0 && m_slider->value() == m_count - 1; }

void TimelineBar::play()
{
    if (m_count < 2)
        return;
    if (isFollowing())
        setCurrentIndex(0); // replay from the start when already at the end
    m_timer->start();
    m_playAction->setIcon(style()->standardIcon(QStyle::SP_MediaPause));
}

void TimelineBar::pause()
{
    m_timer->stop();
    m_playAction->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
}

bool TimelineBar::isPlaying() const { return m_timer->isActive(); }

double TimelineBar::speed() const { return m_speed->currentData().toDouble(); }

void TimelineBar::setSpeed(double epochsPerSecond)
{
    const int i = m_speed->findData(epochsPerSecond);
    if (i >= 0)
        m_speed->setCurrentIndex(i);
}

void TimelineBar::advance()
{
    if (m_slider->value() >= m_count - 1) {
        pause(); // reached the newest epoch: stay there, following training again
        return;
    }
    setCurrentIndex(m_slider->value() + 1);
}

void TimelineBar::updateLabel()
{
    m_label->setText(m_count == 0 ? tr("no epochs") : tr("epoch %1 / %2").arg(m_slider->value()).arg(m_count - 1));
}
