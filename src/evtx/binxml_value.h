// Text rendering of Binary XML substitution values (the value types of libevtx's documentation),
// the way Windows and python-evtx print them: SIDs as S-1-5-..., GUIDs as {lower-case}, hex integers
// as 0x..., FILETIME / SYSTEMTIME as ISO timestamps.
#pragma once

#include <cstdint>
#include <string>

#include "evtx/byte_view.h"

namespace flexrecon::evtx {

// Value type codes used by the decoder (the full list is in the .cpp renderer).
constexpr std::uint8_t kNullType = 0x00;
constexpr std::uint8_t kStringType = 0x01;
constexpr std::uint8_t kBinXmlType = 0x21;
constexpr std::uint8_t kArrayFlag = 0x80;

// UTF-16LE code units [pos, pos + 2*chars) of `v` as UTF-8; unpaired surrogates become U+FFFD.
std::string utf16le_to_utf8(const ByteView& v, std::size_t pos, std::size_t chars);
// The same, appended to `out` (the decoder builds each element's text in place, without a temporary).
void append_utf16le_as_utf8(std::string& out, const ByteView& v, std::size_t pos, std::size_t chars);

// Renders one value of `type` stored in `bytes`. String arrays render as python-evtx prints them
// (`<string>a</string>\n<string>b</string>\n`), other arrays as their items joined by ", ". Binary XML (0x21) is not handled here (the decoder expands it).
// Throws DecodeError when the bytes do not fit the type (a 4-byte FILETIME, say).
std::string render_value(std::uint8_t type, const ByteView& bytes);
// The same rendering appended to `out`; on DecodeError `out` may hold part of it.
void append_value(std::string& out, std::uint8_t type, const ByteView& bytes);

// FILETIME (100 ns ticks since 1601) -> `YYYY-MM-DDTHH:MM:SS.fffffffZ`, exact (7 fraction digits).
std::string format_filetime(std::uint64_t ticks);

}  // namespace flexrecon::evtx
