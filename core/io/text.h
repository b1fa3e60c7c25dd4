// SPDX-License-Identifier: GPL-3.0-or-later
// Small text helpers shared by the file readers (core/io, core/data) and the compare-mode name
// lists (core/train): trimming, and a byte as hex in messages. Header-only, plain C++.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

namespace attn {

/// s without leading and trailing spaces and tabs.
inline std::string trimmed(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return std::string(s);
}

/// "0x1F": a byte in a message about a file's content.
inline std::string hexByte(unsigned char c)
{
    char buf[8];
    std::snprintf(buf, sizeof buf, "0x%02X", unsigned(c));
    return buf;
}

} // namespace attn
