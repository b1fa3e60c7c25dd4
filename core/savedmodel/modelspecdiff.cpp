// SPDX-License-Identifier: GPL-3.0-or-later
// The first entry in which two ModelSpecs differ, named by its path in NAME.json: what
// --load-model reports when a continuation's data, vocabulary or model differs from the saved one.
#include "core/savedmodel/modelspec.h"

#include <nlohmann/json.hpp>

namespace attn {

namespace {

using Json = nlohmann::ordered_json;

/// A value as written in the message: short scalars whole, long texts cut.
std::string shown(const Json &v)
{
    std::string text = v.dump();
    if (text.size() > 60)
        text = text.substr(0, 57) + "...";
    return text;
}

std::string difference(const Json &saved, const Json &run, const std::string &path)
{
    if (saved.type() != run.type())
        return path + ": " + shown(saved) + " in the model file, " + shown(run) + " in this run";
    if (saved.is_object()) {
        for (const auto &[key, value] : saved.items()) {
            if (path.empty() && (key == "epochs_trained" || key == "layers"))
                continue; // layers is derived from model: name the setting, not its summary
            if (path == "model" && key == "init")
                continue; // the initial weights are replaced by the saved ones
            const std::string at = path.empty() ? key : path + "." + key;
            const auto other = run.find(key);
            if (other == run.end())
                return at + ": in the model file, not in this run";
            if (std::string d = difference(value, *other, at); !d.empty())
                return d;
        }
        for (const auto &[key, value] : run.items())
            if (!saved.contains(key))
                return (path.empty() ? key : path + "." + key) + ": in this run, not in the model file";
        return {};
    }
    if (saved.is_array()) {
        for (std::size_t i = 0; i < std::min(saved.size(), run.size()); ++i)
            if (std::string d = difference(saved[i], run[i], path + "[" + std::to_string(i) + "]");
                !d.empty())
                return d;
        if (saved.size() != run.size())
            return path + ": " + std::to_string(saved.size()) + " entries in the model file, " +
                   std::to_string(run.size()) + " in this run";
        return {};
    }
    return saved == run ? std::string()
                        : path + ": " + shown(saved) + " in the model file, " + shown(run) + " in this run";
}

} // namespace

std::string modelSpecDifference(const ModelSpec &saved, const ModelSpec &run)
{
    return difference(Json::parse(modelSpecToJson(saved)), Json::parse(modelSpecToJson(run)), "");
}

} // namespace attn
