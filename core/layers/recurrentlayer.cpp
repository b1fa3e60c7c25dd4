// SPDX-License-Identifier: GPL-3.0-or-later
// Keras-style initialisation shared by the recurrent layers (LSTM, GRU).
#include "core/layers/recurrentlayer.h"

#include "core/tensor/init.h"

namespace attn {

void initRecurrentKernels(Mat &weightIh, Mat &weightHh, int inputs, int hidden, int gates, Rng &rng)
{
    const int rows = gates * hidden;
    weightIh.resize(rows, inputs);
    glorotUniform(weightIh, inputs, rows, rng);
    Mat recurrent(hidden, rows); // Keras' (H, G*H) kernel has orthonormal rows
    orthogonal(recurrent, rng);
    weightHh = recurrent.transpose();
}

} // namespace attn
