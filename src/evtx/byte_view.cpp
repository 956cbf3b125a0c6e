#include "evtx/byte_view.h"

namespace flexrecon::evtx {

void throw_out_of_range(std::size_t pos, std::size_t n, std::size_t size) {
  throw DecodeError("read of " + std::to_string(n) + " bytes at offset " + std::to_string(pos) +
                    " runs past the end (" + std::to_string(size) + ")");
}

}  // namespace flexrecon::evtx
