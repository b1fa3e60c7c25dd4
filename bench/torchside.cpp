// SPDX-License-Identifier: GPL-3.0-or-later
// PyTorch's side of bench_sidebyside (torchside.h).
#include "bench/torchside.h"

#include <sys/wait.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <stdexcept>

namespace attn::bench {

namespace {

// Single-quotes text for /bin/sh.
std::string shellQuote(const std::string &text)
{
    std::string out = "'";
    for (const char c : text)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

struct PipeCloser {
    void operator()(std::FILE *f) const
    {
        if (f)
            ::pclose(f);
    }
};

std::string readLine(std::FILE *f, bool &eof)
{
    std::string line;
    for (int c; (c = std::fgetc(f)) != EOF;) {
        if (c == '\n')
            return line;
        line += char(c);
    }
    eof = true;
    return line;
}

} // namespace

std::optional<TorchRecord> parseFlatJson(const std::string &line)
{
    std::size_t i = 0;
    auto skip = [&] {
        while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i])))
            ++i;
    };
    auto readString = [&](std::string &out) {
        if (i >= line.size() || line[i] != '"')
            return false;
        for (++i; i < line.size() && line[i] != '"'; ++i) {
            if (line[i] == '\\' && i + 1 < line.size())
                ++i;
            out += line[i];
        }
        return i++ < line.size();
    };
    TorchRecord r;
    skip();
    if (i >= line.size() || line[i++] != '{')
        return std::nullopt;
    for (;;) {
        skip();
        if (i < line.size() && line[i] == '}')
            return r;
        std::string key, value;
        if (!readString(key))
            return std::nullopt;
        skip();
        if (i >= line.size() || line[i++] != ':')
            return std::nullopt;
        skip();
        if (i < line.size() && line[i] == '"') {
            if (!readString(value))
                return std::nullopt;
        } else {
            while (i < line.size() && line[i] != ',' && line[i] != '}')
                value += line[i++];
            while (!value.empty() && std::isspace(static_cast<unsigned char>(value.back())))
                value.pop_back();
        }
        r[key] = value;
        skip();
        if (i < line.size() && line[i] == ',')
            ++i;
        else if (i < line.size() && line[i] == '}')
            return r;
        else
            return std::nullopt;
    }
}

std::optional<std::string> torchVersion(const std::string &python)
{
    const std::string command =
        shellQuote(python) + " -c 'import torch; print(torch.__version__)' 2>/dev/null";
    std::unique_ptr<std::FILE, PipeCloser> f(::popen(command.c_str(), "r"));
    if (!f)
        return std::nullopt;
    bool eof = false;
    const std::string version = readLine(f.get(), eof);
    const int status = ::pclose(f.release());
    if (status != 0 || version.empty())
        return std::nullopt;
    return version;
}

std::vector<TorchRecord> runTorchScript(const std::string &python, const std::string &script,
                                        const std::string &args, const std::string &echo)
{
    const std::string command = shellQuote(python) + " " + shellQuote(script) + " " + args;
    std::fflush(stdout);
    std::unique_ptr<std::FILE, PipeCloser> f(::popen(command.c_str(), "r"));
    if (!f)
        throw std::runtime_error("cannot start: " + command);
    std::vector<TorchRecord> records;
    for (bool eof = false; !eof;) {
        const std::string line = readLine(f.get(), eof);
        if (line.empty())
            continue;
        if (!echo.empty()) {
            std::printf("%s%s\n", echo.c_str(), line.c_str());
            std::fflush(stdout);
        }
        if (auto r = parseFlatJson(line))
            records.push_back(std::move(*r));
    }
    const int status = ::pclose(f.release());
    if (status != 0)
        throw std::runtime_error("'" + command + "' failed (status " + std::to_string(status) +
                                 ")");
    return records;
}

std::optional<double> torchNumber(const std::vector<TorchRecord> &records,
                                  const std::string &caseName, const std::string &key,
                                  const TorchRecord &where)
{
    for (const TorchRecord &r : records) {
        const auto c = r.find("case");
        if (c == r.end() || c->second != caseName)
            continue;
        bool match = true;
        for (const auto &[k, v] : where) {
            const auto it = r.find(k);
            match = match && it != r.end() && it->second == v;
        }
        if (!match)
            continue;
        const auto it = r.find(key);
        if (it == r.end() || it->second == "null")
            return std::nullopt;
        char *end = nullptr;
        const double v = std::strtod(it->second.c_str(), &end);
        if (end == it->second.c_str())
            return std::nullopt;
        return v;
    }
    return std::nullopt;
}

} // namespace attn::bench
