// Turns an event file's bytes into UTF-8 while streaming. Event Viewer and PowerShell often write
// UTF-16 with a byte-order mark; everything downstream (splitting, pugixml) works on UTF-8 only.
#pragma once

#include <string>

#include "flexrecon/event_store.h"

namespace flexrecon {

class Utf8Decoder : public ByteSource {
 public:
  enum class Encoding { Unknown, Utf8, Utf16LE, Utf16BE };

  explicit Utf8Decoder(ByteSource& in) : in_(in) {}
  // Reads decoded UTF-8. The encoding is decided from the first bytes: a BOM (UTF-8, UTF-16LE/BE),
  // else `<\0` / `\0<` (UTF-16 without BOM), else UTF-8. A UTF-8 BOM is dropped. Unpaired UTF-16
  // surrogates and a dangling odd byte become U+FFFD rather than stopping the file.
  std::size_t read(char* buf, std::size_t n) override;
  Encoding encoding() const { return encoding_; }

 private:
  void detect();
  void decode_utf16(bool at_end);

  ByteSource& in_;
  Encoding encoding_ = Encoding::Unknown;
  std::string raw_;  // undecoded bytes (UTF-16 leftovers, or the sniffed head)
  std::string out_;  // decoded bytes not yet handed out
  std::size_t out_pos_ = 0;
  bool eof_ = false;
};

}  // namespace flexrecon
