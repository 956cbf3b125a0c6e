// CRC-32 as used by EVTX file and chunk headers (RFC 1952 polynomial, initial value 0).
#pragma once

#include <cstddef>
#include <cstdint>

namespace flexrecon::evtx {

// Continues a CRC over `size` more bytes; start with crc = 0.
std::uint32_t crc32_update(std::uint32_t crc, const std::uint8_t* data, std::size_t size);

}  // namespace flexrecon::evtx
