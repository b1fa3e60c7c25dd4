// SPDX-License-Identifier: GPL-3.0-or-later
// The small fixed model the fuzz_modelfile target loads into, and that fuzz_make_seeds saves as
// seeds: an LSTM (F = 2, H = 2) and a Dense(2 -> 1) under their PyTorch names.
#pragma once

#include "core/tensor/tensor.h"

#include <string>
#include <vector>

namespace attn::fuzz {

struct FuzzModel {
    Mat weightIh{8, 2}, weightHh{8, 2}, biasIh{1, 8}, biasHh{1, 8}, denseWeight{1, 2}, denseBias{1, 1};
    Mat grad; // unused by the loader
    std::vector<ParamRef> params()
    {
        return {{"lstm.weight_ih_l0", &weightIh, &grad}, {"lstm.weight_hh_l0", &weightHh, &grad},
                {"lstm.bias_ih_l0", &biasIh, &grad},     {"lstm.bias_hh_l0", &biasHh, &grad},
                {"dense.weight", &denseWeight, &grad},   {"dense.bias", &denseBias, &grad}};
    }
};

} // namespace attn::fuzz
