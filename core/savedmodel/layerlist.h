// SPDX-License-Identifier: GPL-3.0-or-later
// The "layers" entry of NAME.json: a saved model's layers in order, in words a PyTorch user maps
// to torch.nn modules (docs/model-format.md). Written for people; reading a model never uses it.
#pragma once

#include "core/savedmodel/modelspec.h"

#include <nlohmann/json.hpp>

namespace attn {

/// The layers of spec.model in order, each an object with "name" (the tensor-name prefix of its
/// weights), "type" (the torch.nn module or the operation) and its sizes. Throws nothing.
nlohmann::ordered_json layerList(const ModelSpec &spec);

} // namespace attn
