// Builds small EVTX files by hand for tests: one chunk of records whose Binary XML is written
// directly (no templates), with inline names. Enough to produce event shapes the public samples
// lack (LocalSessionManager UserData, unnamed Data, deep nesting, missing header elements).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "evtx/crc32.h"

namespace flexrecon::evtx_test {

// Binary XML writer. `base` is the chunk offset where `out` starts: inline names are recognised by
// their offset being the current position, so the writer must know where it is in the chunk.
class BinXmlWriter {
 public:
  explicit BinXmlWriter(std::size_t base) : base_(base) {}

  void u8(unsigned v) { out_ += static_cast<char>(v & 0xff); }
  void u16(unsigned v) { u8(v); u8(v >> 8); }
  void u32(std::uint32_t v) { u16(v & 0xffff); u16(v >> 16); }
  void utf16(const std::string& ascii) {
    for (char ch : ascii) u16(static_cast<unsigned char>(ch));
  }

  void fragment_header() { u8(0x0f); u8(1); u8(1); u8(0); }
  void eof() { u8(0x00); }

  // <name a="v" ...> (call close() later), or <name .../> when `empty`.
  void open(const std::string& name, const std::vector<std::pair<std::string, std::string>>& attrs = {},
            bool empty = false) {
    u8(attrs.empty() ? 0x01 : 0x41);
    u16(0xffff);  // dependency identifier
    u32(0);       // data size (not used by the reader)
    inline_name(name);
    if (!attrs.empty()) {
      u32(0);  // attribute list size (not used by the reader)
      for (std::size_t k = 0; k < attrs.size(); ++k) {
        u8(k + 1 < attrs.size() ? 0x46 : 0x06);
        inline_name(attrs[k].first);
        text(attrs[k].second);
      }
    }
    u8(empty ? 0x03 : 0x02);
  }
  void text(const std::string& ascii) {
    u8(0x05);
    u8(0x01);
    u16(static_cast<unsigned>(ascii.size()));
    utf16(ascii);
  }
  void entity(const std::string& name) {
    u8(0x09);
    inline_name(name);
  }
  void char_ref(unsigned code) {
    u8(0x08);
    u16(code);
  }
  void close() { u8(0x04); }
  // <name>text</name>
  void leaf(const std::string& name, const std::string& value,
            const std::vector<std::pair<std::string, std::string>>& attrs = {}) {
    open(name, attrs);
    if (!value.empty()) text(value);
    close();
  }

  const std::string& bytes() const { return out_; }

 private:
  void inline_name(const std::string& name) {
    u32(static_cast<std::uint32_t>(base_ + out_.size() + 4));  // points just past itself: inline
    u32(0);                                                      // next name offset
    u16(0);                                                      // hash (not checked)
    u16(static_cast<unsigned>(name.size()));
    utf16(name);
    u16(0);
  }

  std::size_t base_;
  std::string out_;
};

// The System part of an event; `extra` writes the rest (EventData, UserData) before </Event>.
struct EventShape {
  int event_id = 4624;
  std::uint64_t record_id = 1;
  std::string time = "2025-03-03T09:15:00.1234567Z";
  std::string channel = "Security";
  std::string provider = "Microsoft-Windows-Security-Auditing";
  std::string computer = "WS-0042.corp.example";
  bool with_event_id = true;
  std::function<void(BinXmlWriter&)> extra;
};

inline void write_event(BinXmlWriter& w, const EventShape& s) {
  w.fragment_header();
  w.open("Event", {{"xmlns", "http://schemas.microsoft.com/win/2004/08/events/event"}});
  w.open("System");
  w.open("Provider", {{"Name", s.provider}}, true);
  if (s.with_event_id) w.leaf("EventID", std::to_string(s.event_id));
  w.open("TimeCreated", {{"SystemTime", s.time}}, true);
  w.leaf("EventRecordID", std::to_string(s.record_id));
  w.leaf("Channel", s.channel);
  w.leaf("Computer", s.computer);
  w.close();  // System
  if (s.extra) s.extra(w);
  w.close();  // Event
  w.eof();
}

// A whole file: header and one chunk holding the events in order.
inline std::string build_evtx(const std::vector<EventShape>& events) {
  std::string chunk(65536, '\0');
  auto put32 = [&](std::size_t pos, std::uint32_t v) {
    for (int k = 0; k < 4; ++k) chunk[pos + k] = static_cast<char>((v >> (8 * k)) & 0xff);
  };
  auto put64 = [&](std::size_t pos, std::uint64_t v) {
    for (int k = 0; k < 8; ++k) chunk[pos + k] = static_cast<char>((v >> (8 * k)) & 0xff);
  };
  chunk.replace(0, 8, std::string("ElfChnk\0", 8));
  std::size_t pos = 512, last = 512;
  for (std::size_t i = 0; i < events.size(); ++i) {
    BinXmlWriter w(pos + 24);
    write_event(w, events[i]);
    const std::size_t size = 24 + w.bytes().size() + 4;
    put32(pos, 0x00002a2a);
    put32(pos + 4, static_cast<std::uint32_t>(size));
    put64(pos + 8, i + 1);
    put64(pos + 16, 0);
    chunk.replace(pos + 24, w.bytes().size(), w.bytes());
    put32(pos + size - 4, static_cast<std::uint32_t>(size));
    last = pos;
    pos += size;
  }
  put64(8, 1);
  put64(16, events.size());
  put64(24, 1);
  put64(32, events.size());
  put32(40, 128);
  put32(44, static_cast<std::uint32_t>(last));
  put32(48, static_cast<std::uint32_t>(pos));
  auto* c = reinterpret_cast<const std::uint8_t*>(chunk.data());
  put32(52, evtx::crc32_update(0, c + 512, pos - 512));
  put32(124, evtx::crc32_update(evtx::crc32_update(0, c, 120), c + 128, 384));

  std::string header(4096, '\0');
  header.replace(0, 8, std::string("ElfFile\0", 8));
  header[32] = static_cast<char>(128);
  header[36] = 1;  // minor version
  header[38] = 3;  // major version
  header[41] = 0x10;  // header block size 4096
  header[42] = 1;     // one chunk
  return header + chunk;
}

}  // namespace flexrecon::evtx_test
